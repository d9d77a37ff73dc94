"""The portal's view of the three Hamm dimensions (Handlungsfeld, Zielgruppe, Persona).

A small adapter between the citizen pages and ``store.py``: the pages need
concepts already localised, persona cards, and the links between concepts in
both directions (a persona names its Handlungsfelder; a Handlungsfeld page shows
the personas that name it).
"""
from __future__ import annotations

import dataclasses
from typing import Any, Optional

from ckanext.hamm.vocabularies import DIMENSIONS
from ckanext.hamm.vocabularies import store as vocabulary

__all__ = ["DIMENSIONS"]  # re-exported: pages and helpers reach the list through this module
CARD_FIELDS: tuple[str, ...] = ("story", "interests", "challenges", "data_needs")
# Links between concepts are stored under the dimension name or its plural.
PLURALS: dict[str, str] = {"handlungsfeld": "handlungsfelder", "zielgruppe": "zielgruppen", "persona": "personas"}


@dataclasses.dataclass(frozen=True)
class Concept:
    """One concept with its texts in the requested language."""

    dimension: str
    id: str
    label: str
    description: str
    card: dict[str, Any]
    related: dict[str, tuple[str, ...]]

    @property
    def search_field(self) -> str:
        return f"vocab_{self.dimension}"


def _scheme(dimension: str) -> Optional[vocabulary.Vocabulary]:
    if dimension not in DIMENSIONS:
        raise KeyError(dimension)
    try:
        return vocabulary.get_vocabulary(dimension)
    except KeyError:
        return None


localise = vocabulary.localise


def _as_ids(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, (list, tuple)):
        return tuple(str(item) for item in value)
    return ()


def _concept(dimension: str, raw: vocabulary.Concept, lang: str) -> Concept:
    card = {name: localise(raw.extra.get(name), lang) for name in CARD_FIELDS if raw.extra.get(name)}
    related = {other: _as_ids(raw.extra.get(other) or raw.extra.get(PLURALS[other]))
               for other in DIMENSIONS if other != dimension}
    return Concept(dimension=dimension, id=raw.id, label=raw.text("label", lang),
                   description=str(localise(raw.description, lang) or ""), card=card, related=related)


def scheme_label(dimension: str, lang: str) -> str:
    scheme = _scheme(dimension)
    return str(localise(scheme.label, lang)) if scheme else dimension


def scheme_description(dimension: str, lang: str) -> str:
    scheme = _scheme(dimension)
    return str(localise(scheme.description, lang) or "") if scheme else ""


def concepts(dimension: str, lang: str) -> list[Concept]:
    """All concepts of a dimension in the city's order."""
    scheme = _scheme(dimension)
    return [_concept(dimension, raw, lang) for raw in scheme.concepts] if scheme else []


def concept(dimension: str, concept_id: str, lang: str) -> Optional[Concept]:
    return next((item for item in concepts(dimension, lang) if item.id == concept_id), None)


def related(item: Concept, lang: str) -> dict[str, list[Concept]]:
    """Concepts linked to ``item`` in either direction (a persona names its fields and groups)."""
    result: dict[str, list[Concept]] = {}
    for other in DIMENSIONS:
        if other == item.dimension:
            continue
        linked = set(item.related.get(other, ()))
        found = [candidate for candidate in concepts(other, lang)
                 if candidate.id in linked or item.id in candidate.related.get(item.dimension, ())]
        if found:
            result[other] = found
    return result


def labels(dimension: str, ids: Any, lang: str) -> list[Concept]:
    """Concepts for the ids stored on a dataset, unknown ids kept with the id as label."""
    known = {item.id: item for item in concepts(dimension, lang)}
    result = []
    for concept_id in _as_ids(ids):
        result.append(known.get(concept_id) or Concept(dimension, concept_id, concept_id, "", {}, {}))
    return result
