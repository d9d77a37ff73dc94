"""The free text of the search box, with Solr's ``dismax`` rules.

CKAN sends a ``q`` without a colon as ``defType=dismax``, ``qf=name^4 title^4
tags^2 groups^2 text`` and ``mm=2<-1 5<80%``. Like Solr's DisMaxQParser we
escape the characters dismax does not support (``\\ ! ( ) : ^ [ ] { } ~ * ?``
become literal, and text analysis then drops them), keep ``+``/``-``, quotes and
``AND``/``OR``/``NOT``, parse with ``OR`` as the default operator and apply
``mm`` to the optional top-level clauses. A run of words that the city's
synonyms know (``synonyms.py``) counts as one clause that any synonym meets. Field boosts become ``tsv`` weights
(title A > tags B > notes C > resources D), ranked with ``ts_rank_cd``.
"""
from __future__ import annotations

import itertools
import math
from typing import Optional

from ckan.lib.search.common import SearchQueryError

from . import lucene, synonyms
from .sql import Params, Ranking, exact_tsquery, phrase_tsquery, term_tsquery

_ESCAPED = set('\\!():^[]{}~*?')
_OPERATORS = {"AND", "OR", "NOT", "&&", "||"}
MAX_COMBINATIONS = 64


CKAN_MM = "2<-1 5<80%"


def _mm_value(spec: str, count: int) -> int:
    """One ``mm`` expression without conditions: ``3``, ``-1``, ``75%``, ``-25%``."""
    negative = spec.startswith("-")
    if spec.endswith("%"):
        share = int(count * abs(int(spec[:-1])) / 100)
        return count - share if negative else share
    value = int(spec)
    return count + value if negative else value


def minimum_match(count: int, mm: Optional[str] = None) -> int:
    """How many of ``count`` optional clauses must match, by Solr's ``mm`` rules.

    CKAN sends ``2<-1 5<80%``: all of 1–2 clauses, all but one of 3–5, 80 % (rounded down)
    beyond. Conditions (``n<spec``) apply to more than ``n`` clauses, the largest one that
    applies wins; as in Solr the result is never below 1 nor above ``count``. An ``mm`` Solr
    would refuse is a SearchQueryError.
    """
    if count <= 0:
        return 0
    text = " ".join((mm if mm is not None and str(mm).strip() else CKAN_MM).split())
    text = text.replace(" < ", "<")
    try:
        if "<" not in text:
            needed = _mm_value(text, count)
        else:
            needed = count  # up to the first condition every clause is required
            for part in text.split():
                limit, _, spec = part.partition("<")
                if count > int(limit):
                    needed = _mm_value(spec, count)
    except ValueError:
        raise SearchQueryError(f"mm verstehe ich nicht: {mm!r} / Invalid mm: {mm!r}") from None
    return min(max(needed, 1), count)


def _escape(text: str) -> str:
    if text.count('"') % 2:
        text = text.replace('"', " ")  # Solr strips unbalanced quotes
    return "".join("\\" + ch if ch in _ESCAPED else ch for ch in text)


def _tsquery(node: lucene.Node, params: Params) -> Optional[str]:
    if isinstance(node, lucene.Phrase):
        return phrase_tsquery(node.value, params)
    if isinstance(node, lucene.Term):
        return term_tsquery(node.value, params, partial=True)
    raise SearchQueryError("Unsupported free-text query")


def _synonym_clause(clauses: tuple, start: int, params: Params) -> tuple[int, str] | None:
    """(words used, tsquery) when the plain words from ``start`` on begin with a known synonym."""
    occur = clauses[start][0]
    words: list[str] = []
    for clause_occur, node in clauses[start:start + synonyms.MAX_WORDS]:
        if clause_occur != occur or not isinstance(node, lucene.Term) or node.field or node.wildcard:
            break
        words.append(node.value)
    found = synonyms.match(words) if words else None
    if not found:
        return None
    length, group = found
    alternatives = []
    typed = " ".join(words[:length])
    for member in (typed, *group):
        # a synonym finds the compounds it starts, the typed words also those they end
        queries = (term_tsquery(w, params, partial=True, compounds=member is typed) for w in member.split())
        parts = [q for q in queries if q]
        if parts:
            alternatives.append("(" + " && ".join(parts) + ")")
    return length, "(" + " || ".join(alternatives) + ")"


def compile_dismax(text: str, params: Params, mm: Optional[str] = None) -> tuple[str, Optional[Ranking]]:
    """Return (condition, what to rank by) for a free-text query (``mm``: Solr's minimum match)."""
    if not text.strip():
        return "TRUE", None
    try:
        node = lucene.parse(_escape(text), default_and=False)
    except SearchQueryError:
        # A search box never fails: stray operators ("AND baum", "baum -") become plain words.
        words = [w.strip('+-"!') for w in text.split() if w not in _OPERATORS]
        words = [w for w in words if w]
        if not words:
            return "FALSE", None
        node = lucene.parse(" ".join(_escape(w) for w in words), default_and=False)
    clauses = node.clauses if isinstance(node, lucene.Bool) else (("should", node),)
    groups: dict[str, list[str]] = {"must": [], "should": [], "must_not": []}
    exact: list[str] = []
    stems: list[str] = []
    position = 0
    while position < len(clauses):
        occur, clause = clauses[position]
        found = _synonym_clause(clauses, position, params)
        length, tsquery = found if found else (1, _tsquery(clause, params))
        if occur != "must_not":
            typed = [n.value for _, n in clauses[position:position + length] if isinstance(n, lucene.Term)]
            if typed:
                exact.extend(q for q in (exact_tsquery(" ".join(typed), params),) if q)
                stems.extend(q for q in (exact_tsquery(" ".join(typed), params, stemmed=True),) if q)
        position += length
        if tsquery is not None:  # words that analysis drops entirely are not counted
            groups[occur].append(tsquery)
    required, optional, prohibited = groups["must"], groups["should"], groups["must_not"]
    positive = required + optional
    if not positive:  # only negative or noise words: Solr's dismax matches nothing
        return "FALSE", None
    needed = minimum_match(len(optional), mm)
    conditions = [f"tsv @@ {q}" for q in required]
    if needed == len(optional):
        conditions.extend(f"tsv @@ {q}" for q in optional)
    elif needed > 1 and math.comb(len(optional), needed) <= MAX_COMBINATIONS:
        # "k of n" as one tsquery (OR of the k-word ANDs): the GIN index finds
        # exactly the matches instead of testing every row that has any word
        combos = (" && ".join(c) for c in itertools.combinations(optional, needed))
        conditions.append("tsv @@ (" + " || ".join(f"({c})" for c in combos) + ")")
    elif needed > 0 or not required:
        conditions.append("tsv @@ (" + " || ".join(optional) + ")")
        if needed > 1:
            hits = " + ".join(f"(tsv @@ {q})::int" for q in optional)
            conditions.append(f"({hits}) >= {needed}")
    conditions.extend(f"NOT (tsv @@ {q})" for q in prohibited)
    def any_of(queries: list[str]) -> Optional[str]:
        return "(" + " || ".join(queries) + ")" if queries else None

    ranking = Ranking(any_of(positive) or "", any_of(stems), any_of(exact))
    return "(" + " AND ".join(conditions) + ")", ranking
