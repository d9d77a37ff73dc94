"""ckanext-hamm: the CKAN extension behind the open-data portal of the City of Hamm."""

__version__ = "0.1.0"
