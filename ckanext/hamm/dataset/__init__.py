"""What the portal adds to a dataset: index fields, create defaults, origin mark, quality score, licence register."""
