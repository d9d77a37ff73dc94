"""Concept choices and labels for the Datenwunsch form and the Kennzahlen.

A thin adapter over ``ckanext.hamm.vocabulary`` (the city's YAML files), so a
new Handlungsfeld appears in the form and the charts without a code change.
"""
from __future__ import annotations

from typing import Optional

from ckanext.hamm.vocabularies import store as vocabulary


def ids(scheme_id: str) -> list[str]:
    return vocabulary.concept_ids(scheme_id)


def choices(scheme_id: str, lang: Optional[str] = None) -> list[tuple[str, str]]:
    """(id, label) pairs in the vocabulary's order; empty when the city has no such file."""
    try:
        scheme = vocabulary.get_vocabulary(scheme_id)
    except KeyError:
        return []
    lang = lang or vocabulary.current_language()
    return [(c.id, c.text("label", lang)) for c in scheme.concepts]


def label(scheme_id: str, concept_id: Optional[str], lang: Optional[str] = None) -> str:
    """The concept's label, or the id itself for concepts the city has since removed."""
    return vocabulary.concept_label(scheme_id, concept_id, lang) if concept_id else ""
