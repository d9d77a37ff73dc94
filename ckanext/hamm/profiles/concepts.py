"""The portal's own dimensions (Handlungsfeld, Zielgruppe, Persona) as seen by the profile.

A thin view on ``ckanext.hamm.vocabularies.store``: for each dataset field the scheme URI and,
per concept id, its URI and labels. Kept separate so the profile never needs to know how
the city maintains its vocabularies.
"""
from __future__ import annotations

import functools
import re
import threading
from dataclasses import dataclass, field
from typing import Optional

import cachetools

from ckanext.hamm.vocabularies import DIMENSIONS

# Dataset field -> vocabulary (scheme) id
FIELDS = {dimension: dimension for dimension in DIMENSIONS}


@dataclass
class Concept:
    id: str
    uri: str
    labels: dict[str, str] = field(default_factory=dict)

    def label(self, lang: str = "de") -> str:
        return self.labels.get(lang) or next(iter(self.labels.values()), None) or self.id

    def keyword(self, lang: str = "de") -> str:
        """The label as a keyword every CKAN accepts as a tag (letters, digits, space, -_.)."""
        return keyword(self.label(lang))


@dataclass
class Scheme:
    id: str
    uri: str
    labels: dict[str, str]
    concepts: list[Concept]

    def by_id(self, concept_id: str) -> Optional[Concept]:
        return next((c for c in self.concepts if c.id == concept_id), None)

    def by_uri(self, uri: str) -> Optional[Concept]:
        return next((c for c in self.concepts if c.uri == uri), None)

    def by_label(self, label: str) -> Optional[Concept]:
        folded = label.strip().casefold()
        return next((c for c in self.concepts
                     if folded in {v.casefold() for v in c.labels.values()}), None)


@functools.lru_cache(maxsize=4096)
def keyword(label: str) -> str:
    """``Bürger:innen`` -> ``Bürgerinnen``, ``A & B`` -> ``A und B``: CKAN rejects other characters
    in tags, and a downstream harvester would drop the whole dataset over one bad keyword."""
    text = re.sub(r"\s*&\s*", " und ", label)
    text = re.sub(r"[^\w \-.]", "", text)
    return re.sub(r"\s+", " ", text).strip()[:100]


# Looking the files up costs a directory scan; a catalogue page asks 300 times.
_CACHE_SECONDS = 10.0


@cachetools.cached(cachetools.TTLCache(maxsize=256, ttl=_CACHE_SECONDS), lock=threading.Lock())
def scheme(vocabulary_id: str) -> Optional[Scheme]:
    """The scheme for a vocabulary id, or None when the city has not defined it.

    Cached for a few seconds, so an edited vocabulary file shows up almost at once.
    """
    from ckanext.hamm.vocabularies import store as vocabulary

    try:
        vocab = vocabulary.get_vocabulary(vocabulary_id)
    except KeyError:
        found = None
    else:
        concepts = [Concept(c.id, c.uri, dict(c.label)) for c in vocab.concepts]
        found = Scheme(vocab.id, vocab.uri, dict(vocab.label), concepts)
    return found
