"""The DCAT-AP.de namespace (current and the 1.x spellings that harvested catalogues still use).

Everything else (DCAT, DCT, FOAF, VCARD, SKOS …) comes from ``ckanext.dcat.profiles``.
"""
from __future__ import annotations

from rdflib import Namespace, URIRef

DCATDE = Namespace("http://dcat-ap.de/def/dcatde/")
# Parse-only: DCAT-AP.de 1.0 / 1.0.1 catalogues.
DCATDE_LEGACY = (
    Namespace("http://dcat-ap.de/def/dcatde/1_0/"),
    Namespace("http://dcat-ap.de/def/dcatde/1.0/"),
    Namespace("http://dcat-ap.de/def/dcatde/1.0.1/"),
)
DCATDE_ALL = (DCATDE,) + DCATDE_LEGACY


class Terms:
    """A namespace's terms as plain attributes, each made once.

    ``DCAT.keyword`` on an rdflib ``Namespace`` builds a new ``URIRef`` on every access;
    a catalogue page of 100 datasets reads such terms thousands of times.
    """

    def __init__(self, namespace: Namespace) -> None:
        self._namespace = namespace

    def __getattr__(self, name: str) -> URIRef:  # only reached the first time
        if name.startswith("_"):
            raise AttributeError(name)
        term = self._namespace[name]
        setattr(self, name, term)
        return term

    def __getitem__(self, name: str) -> URIRef:  # for names that are str methods (``format``)
        return getattr(self, name)
