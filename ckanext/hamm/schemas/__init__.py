"""The city's data: scheming schemas and vocabularies (installed as ``ckanext.hamm.schemas``)."""
