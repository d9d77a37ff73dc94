"""The words behind "Meinten Sie …?" on a ``/dataset`` page without hits.

The suggestion comes from the catalogue's own words (the titles and tags of
active datasets), never from a general dictionary: a word of the query that the
catalogue does not know is replaced by the closest one it does know
("Bevölkrung" → "Bevölkerung"), compared in their folded spelling so that
umlauts typed as ``ae`` or without dots cost nothing (the page offers it only
when it finds something: ``helpers/search.py``). The word list is cached until a dataset or tag
changes. Works with Solr as well as with ``hamm_search``.
"""
from __future__ import annotations

import collections
import difflib
import re
import threading
from typing import Any

import sqlalchemy as sa
from ckan import model

from . import analysis

MIN_LENGTH = 4  # shorter words are neither corrected nor offered
CUTOFF = 0.8  # difflib similarity a correction needs
_WORD_RE = re.compile(r"[^\W\d_]{%d,}" % MIN_LENGTH)
_STAMP = sa.text(
    "SELECT (SELECT count(*) || '/' || coalesce(max(metadata_modified)::text, '') FROM package) "
    "|| '/' || (SELECT count(*) FROM tag)")
_WORDS = sa.text(
    "SELECT p.title FROM package p WHERE p.state = 'active' AND NOT p.private "
    "UNION ALL SELECT t.name FROM tag t JOIN package_tag pt ON pt.tag_id = t.id AND pt.state = 'active' "
    "JOIN package p ON p.id = pt.package_id AND p.state = 'active' AND NOT p.private")

_cache: dict[str, Any] = {}
_lock = threading.Lock()


def catalogue_words() -> dict[str, str]:
    """Folded word -> the spelling the catalogue uses most, for titles and tags of public datasets."""
    stamp = model.Session.execute(_STAMP).scalar()
    with _lock:
        if _cache.get("stamp") == stamp:
            return _cache["words"]
    counts: dict[str, collections.Counter] = {}
    for (text,) in model.Session.execute(_WORDS):
        for word in _WORD_RE.findall(text or ""):
            counts.setdefault(analysis.fold_variants(word)[0], collections.Counter())[word] += 1
    words = {folded: spellings.most_common(1)[0][0] for folded, spellings in counts.items()}
    with _lock:
        _cache.update(stamp=stamp, words=words)
    return words


def corrected(query: str) -> str | None:
    """``query`` with its unknown words replaced by the closest catalogue words, or None."""
    words = catalogue_words()
    changed = False

    def replace(match: re.Match) -> str:
        nonlocal changed
        word = match.group(0)
        folded = analysis.fold_variants(word)[0]
        if folded in words:
            return word
        close = difflib.get_close_matches(folded, words.keys(), n=1, cutoff=CUTOFF)
        if not close:
            return word
        changed = True
        return words[close[0]]

    fixed = _WORD_RE.sub(replace, query)
    return fixed if changed else None
