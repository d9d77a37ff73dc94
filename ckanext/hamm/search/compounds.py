"""What a compound of the search box matches: the whole word, all of its parts, or a telling part.

"Zählstelle" is split by the Hunspell dictionary (``dictionary.py``) into ``zähl`` + ``stelle``.
Matching any single part would find every "Baustelle" and "Stellplatz" (issue 33), so a query
compound finds the documents that contain all of its parts, best within one word (the index holds
the pairs of parts of each word, ``table.PAIR_SQL``: "Radverkehrszählung" has ``rad``+``zahl``,
"Fahrradständer … Zahl der Stellplätze" has not), and a part alone only when it says something of
its own:

- never the head, the last part: it names the kind of thing (-stelle, -platz, -amt, -daten),
  which countless other compounds share;
- never a part that many documents contain (document frequency above ``MAX_PART_SHARE`` of the
  index, at least ``MIN_PART_DOCUMENTS``): "zahl" or "stadt" tell nothing apart.

So "Radwege" still finds "Fahrradständer" (``rad`` is rare and not the head), "Lärmkarte" finds
"Lärmkartierung" but no map. A match through parts in different words or through a single part
ranks far below one through the word or its parts in one word (``sql.score_sql``), so that the
relevance floor (``connection.py``) drops it when better hits exist. Parts come in the
dictionary's order and are stemmed as the documents' parts are (``table.PARTS_CONFIG``); both
are kept per process, the document frequencies per index version.
"""
from __future__ import annotations

import dataclasses
import itertools
from typing import Optional

import sqlalchemy as sa

from . import cache, table

MAX_PART_SHARE = 0.08
MIN_PART_DOCUMENTS = 3

_PARTS = sa.text(
    f"SELECT s.lexeme FROM unnest(CAST(:words AS text[])) WITH ORDINALITY AS w(word, n), "
    f"unnest(ts_lexize('hamm_german_compound', w.word)) WITH ORDINALITY AS l(part, ord), "
    f"unnest(tsvector_to_array(to_tsvector('{table.PARTS_CONFIG}', l.part))) AS s(lexeme) "
    f"ORDER BY w.n, l.ord")
_HAS_DICTIONARY = sa.text("SELECT EXISTS (SELECT 1 FROM pg_ts_dict WHERE dictname = 'hamm_german_compound')")
_STEMMED = sa.text(f"SELECT s.lexeme FROM unnest(CAST(:tokens AS text[])) WITH ORDINALITY AS t(token, n), "
                   f"unnest(tsvector_to_array(to_tsvector('{table.PARTS_CONFIG}', t.token))) AS s(lexeme) ORDER BY t.n")
_TOTAL = sa.text(f"SELECT count(*) FROM {table.TABLE}")
_FREQUENCY = sa.text(f"SELECT count(*) FROM (SELECT 1 FROM {table.TABLE} "
                     f"WHERE tsv @@ CAST(:lexeme AS tsquery) LIMIT :cap) AS hits")

_parts = cache.Lru(1024)  # spellings -> the stemmed parts in order


@dataclasses.dataclass(frozen=True)
class Expansion:
    """tsquery texts: ``whole`` (all parts of the compound in one word of the document),
    ``alone`` (all parts in different words, or a telling part alone; ranked lower)."""

    whole: str
    alone: str


def _quoted(lexeme: str) -> str:
    return "'" + lexeme.replace("'", "''") + "'"


def parts(session, spellings: list[str]) -> list[str]:
    """The stemmed parts of a word (in any of its spellings), in order, without repeats."""
    key = tuple(spellings)
    found = _parts.get(key)
    if found is None:
        if not session.execute(_HAS_DICTIONARY).scalar():
            return []
        lexemes = session.execute(_PARTS, {"words": [w.lower() for w in spellings]}).scalars().all()
        found = list(dict.fromkeys(lexemes))
        _parts.put(key, found)
    return found


def _frequent(session, lexeme: str) -> bool:
    version = cache.version(session)
    total_key = (version, "compound-total")
    total = cache.get(total_key) if version else None
    if total is None:
        total = session.execute(_TOTAL).scalar() or 0
        if version:
            cache.put(total_key, total)
    cap = max(MIN_PART_DOCUMENTS, int(total * MAX_PART_SHARE))
    key = (version, "compound-df", lexeme, cap)
    count = cache.get(key) if version else None
    if count is None:
        count = session.execute(_FREQUENCY, {"lexeme": _quoted(lexeme), "cap": cap + 1}).scalar()
        if version:
            cache.put(key, count)
    return count > cap


def _pairs(session, found: list[str]) -> list[str]:
    """The pair lexemes of the parts as the index holds them (``table.PAIR_SQL``, stemmed once more)."""
    tokens = [a + table.PAIR_SEPARATOR + b for a, b in itertools.combinations(sorted(found), 2)]
    key = ("pairs", *tokens)
    lexemes = _parts.get(key)
    if lexemes is None:
        lexemes = list(dict.fromkeys(session.execute(_STEMMED, {"tokens": tokens}).scalars().all()))
        _parts.put(key, lexemes)
    return lexemes


def expand(session, spellings: list[str]) -> Optional[Expansion]:
    """What the compound matches through its parts, None for a word the dictionary does not split."""
    found = parts(session, spellings)
    if not found:
        return None
    if len(found) == 1:  # not a compound: its one part (its dictionary form) is the word itself
        return Expansion(_quoted(found[0]), "")
    whole = " & ".join(_quoted(p) for p in _pairs(session, found))
    apart = "(" + " & ".join(_quoted(p) for p in found) + ")"
    telling = [_quoted(p) for p in found[:-1] if not _frequent(session, p)]
    return Expansion("(" + whole + ")", " | ".join([apart, *telling]))
