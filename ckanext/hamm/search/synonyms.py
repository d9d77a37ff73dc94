"""Words that search treats as the same: the city's data, not code.

``schemas/search_synonyms.yaml`` (or ``ckanext.hamm.search.synonyms_file``)
lists groups such as Kita, Kindertagesstätte, U3, day care; the labels of the
Handlungsfeld, Zielgruppe and Persona concepts form one group per concept
(German and English label, a persona's name). The file is re-read when it
changes, like the vocabularies, and synonyms apply at query time, so an edit
needs no re-index.

A query's words are matched against the groups longest phrase first, as they
are folded for the index (case, umlauts, ß, a plural ``s`` do not matter); a
matched phrase becomes one clause that any member of its group satisfies.
"""
from __future__ import annotations

import functools
import logging
import re
from pathlib import Path
from typing import Any

from ckanext.hamm import config
from ckanext.hamm.vocabularies import store

from . import analysis

log = logging.getLogger(__name__)

MAX_WORDS = 4  # the longest phrase that is looked up
_WORD_RE = re.compile(r"\w+")
_CONCEPT_VOCABULARIES = ("handlungsfeld", "zielgruppe", "persona")


def synonyms_file() -> Path:
    configured = config.search_synonyms_file()
    return Path(configured) if configured else store.SCHEMAS / "search_synonyms.yaml"


def _phrase_words(phrase: str) -> list[str]:
    return _WORD_RE.findall(analysis.fold_variants(phrase)[0])


def _file_groups() -> tuple[tuple[str, ...], ...]:
    try:
        raw: Any = store.read_yaml_when_changed(synonyms_file()) or {}
    except Exception as error:  # a broken file must not break search
        log.warning("Search synonyms not read from %s: %s", synonyms_file(), error)
        return ()
    groups = raw.get("groups") if isinstance(raw, dict) else None
    return tuple(tuple(str(p) for p in group if p not in (None, ""))
                 for group in groups or [] if isinstance(group, list))


def _concept_groups() -> tuple[tuple[str, ...], ...]:
    try:
        vocabularies = store.vocabularies()
    except (KeyError, OSError) as error:  # hamm_search alone: no vocabulary options declared
        log.debug("No concept synonyms: %s", error)
        return ()
    groups = []
    for vocab_id in _CONCEPT_VOCABULARIES:
        vocab = vocabularies.get(vocab_id)
        for concept in vocab.concepts if vocab else ():
            members = [*concept.label.values(), concept.extra.get("name")]
            groups.append(tuple(dict.fromkeys(str(m) for m in members if m)))
    return tuple(g for g in groups if len(g) > 1)


@functools.lru_cache(maxsize=4)
def _index(groups: tuple[tuple[str, ...], ...]) -> dict[str, tuple[str, ...]]:
    """Lookup form of every member -> all members of its groups."""
    index: dict[str, dict[str, None]] = {}
    for group in groups:
        for member in group:
            words = _phrase_words(member)
            if words and len(words) <= MAX_WORDS:
                index.setdefault(" ".join(words), {}).update(dict.fromkeys(group))
    return {k: tuple(v) for k, v in index.items()}


def current() -> dict[str, tuple[str, ...]]:
    return _index(_file_groups() + _concept_groups())


def match(words: list[str]) -> tuple[int, tuple[str, ...]] | None:
    """The longest phrase at the start of ``words`` that has synonyms: (its length, the group).

    A final plural ``s`` is tried off as well ("Kitas", "bus stops").
    """
    index = current()
    for length in range(min(MAX_WORDS, len(words)), 0, -1):
        phrase = " ".join(w for word in words[:length] for w in _phrase_words(word))
        for candidate in (phrase, phrase[:-1] if phrase.endswith("s") else None):
            if candidate and candidate in index:
                return length, index[candidate]
    return None
