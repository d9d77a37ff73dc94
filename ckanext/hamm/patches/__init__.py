"""Process-wide fixes to libraries (fork safety, GC pauses, the Turtle writer, ckanext-dcat's profile lookup), each applied once at start-up."""
