"""The inventory's controlled lists (Zugang, Datenschutzstatus, Status) with German and English labels.

They live in ``schemas/vocabularies/inventar/`` beside the city's dimensions but
apart from them: the dimensions folder is the list of Handlungsfeld-like concepts
the public pages show, these lists steer visibility and the workflow.
"""
from __future__ import annotations

import functools
from pathlib import Path
from typing import Optional

import yaml

from ckanext.hamm.vocabularies import store

FOLDER = store.SCHEMAS / "vocabularies" / "inventar"


@functools.lru_cache(maxsize=8)
def _load(path: str, mtime: float) -> store.Vocabulary:
    raw = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    return store.parse_vocabulary(raw, Path(path).stem, "")


def get(vocab_id: str) -> store.Vocabulary:
    path = FOLDER / f"{vocab_id}.yaml"
    return _load(str(path), path.stat().st_mtime)


def ids(vocab_id: str) -> list[str]:
    return get(vocab_id).ids()


def label(vocab_id: str, concept_id: Optional[str], lang: Optional[str] = None) -> str:
    """The concept's label in ``lang`` (default: the page's), the id for unknown values."""
    if not concept_id:
        return ""
    found = get(vocab_id).get(concept_id)
    return found.text("label", lang or store.current_language()) if found else concept_id


def choices(vocab_id: str, lang: Optional[str] = None) -> list[tuple[str, str]]:
    lang = lang or store.current_language()
    return [(c.id, c.text("label", lang)) for c in get(vocab_id).concepts]


def normalise(vocab_id: str, value: str) -> str:
    """An id, or the id of a German/English label (spreadsheets give labels); else the value unchanged."""
    text = value.strip()
    for concept in get(vocab_id).concepts:
        if text == concept.id or text.casefold() in (v.casefold() for v in concept.label.values()):
            return concept.id
    return text
