"""DCAT-AP.de for the Hamm portal, as ckanext-dcat RDF profiles (entry point ``ckan.rdf.profiles``)."""
from ckanext.hamm.profiles.dcat_ap_de import HammDCATAPDEProfile

__all__ = ["HammDCATAPDEProfile"]
