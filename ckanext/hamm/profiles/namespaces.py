"""The DCAT-AP.de namespace (current and the 1.x spellings that harvested catalogues still use).

Everything else (DCAT, DCT, FOAF, VCARD, SKOS …) comes from ``ckanext.dcat.profiles``.
"""
from __future__ import annotations

from rdflib import Namespace

DCATDE = Namespace("http://dcat-ap.de/def/dcatde/")
# Parse-only: DCAT-AP.de 1.0 / 1.0.1 catalogues.
DCATDE_LEGACY = (
    Namespace("http://dcat-ap.de/def/dcatde/1_0/"),
    Namespace("http://dcat-ap.de/def/dcatde/1.0/"),
    Namespace("http://dcat-ap.de/def/dcatde/1.0.1/"),
)
DCATDE_ALL = (DCATDE,) + DCATDE_LEGACY
