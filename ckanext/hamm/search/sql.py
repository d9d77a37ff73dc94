"""Compile parsed Lucene queries into SQL over the ``hamm_search_index`` table.

Every user value travels as a bind parameter; only field names chosen from
the schema rules and fixed SQL fragments are spelled into the statement.
"""
from __future__ import annotations

import dataclasses
import json
import re
from typing import Any, Callable, Optional

from ckan.lib.search.common import SearchQueryError

from . import analysis, lucene
from .dates import normalise_date, resolve_date_math
from .fields import COLUMNS, UNINDEXED, facet_entry, field_spec, is_faceted

DEFAULT_FIELD = "text"
_DATE_COLUMNS = {"metadata_modified", "metadata_created"}
_FIELD_NAME_RE = re.compile(r"^[A-Za-z0-9_.\-]+$")


class Params:
    """Collects bind parameters under generated names.

    ``compounds`` (from the connection) expands a free-text word into what its compound parts
    match (``compounds.expand``); the parameters holding single-part alternatives are noted in
    ``weak``, so that ranking can tell a match through one part from one through all.
    """

    def __init__(self, compounds: Optional[Callable[[list[str]], Any]] = None) -> None:
        self.values: dict[str, Any] = {}
        self.compounds = compounds
        self.weak: set[str] = set()

    def add(self, value: Any) -> str:
        name = f"p{len(self.values)}"
        self.values[name] = value
        return f":{name}"


def check_field_name(name: str) -> str:
    if not _FIELD_NAME_RE.match(name):
        raise SearchQueryError(f"Invalid field name: {name!r}")
    return name


# -- text search --------------------------------------------------------------
PARTIAL_MIN_LENGTH = 4
_WORD_RE = re.compile(r"\w+")


def term_tsquery(value: str, params: Params, prefix: bool = False, partial: bool = False,
                 compounds: bool = True) -> Optional[str]:
    """A tsquery matching one user word in any of its spellings, or None for noise.

    ``partial`` adds the prefix of the word's German stem, so that a word also
    finds the compounds it starts, and the word's compound parts from the
    dictionary (``table.py``), so that "Radwege" finds "Radverkehr" and "Bäume"
    finds "Straßenbäume" (only for free text, never for field queries). A compound matches
    through all of its parts, or through a telling part alone (``compounds.py``).
    """
    words = analysis.tokens(value)
    if not words:
        return None
    if prefix:
        stem = re.sub(r"\W", "", analysis.fold_variants(value.rstrip("*"))[0])
        if not stem:
            return None
        return f"to_tsquery('simple', {params.add(stem + ':*')})"
    long_form, short_form = analysis.fold_variants(value)
    parts = [
        f"plainto_tsquery('german', {params.add(value)})",
        f"plainto_tsquery('simple', {params.add(long_form)})",
    ]
    if short_form != long_form:
        parts.append(f"plainto_tsquery('simple', {params.add(short_form)})")
    word = value.strip().lower()
    single = _WORD_RE.fullmatch(word) is not None
    if partial and len(word) >= PARTIAL_MIN_LENGTH and single:
        # German compounds: "Bäume" (stem "baum") also finds "Baumkataster"
        parts.append(f"to_tsquery('german', {params.add(word + ':*')})")
    if partial and compounds and single:
        if params.compounds is None:
            parts.append(f"hamm_compound_query({params.add(' '.join(analysis.umlaut_spellings(value)))})")
        else:
            expansion = params.compounds(analysis.umlaut_spellings(value))
            if expansion is not None:
                parts.append(f"CAST({params.add(expansion.whole)} AS tsquery)")
                if expansion.alone:
                    weak = params.add(expansion.alone)
                    params.weak.add(weak[1:])
                    parts.append(f"CAST({weak} AS tsquery)")
    return "(" + " || ".join(parts) + ")"


def exact_tsquery(value: str, params: Params, stemmed: bool = False) -> Optional[str]:
    """The words as typed (folded; ``stemmed``: their German stems), without compound parts
    and synonyms: ranks whole-word matches first."""
    if not analysis.tokens(value):
        return None
    if stemmed:
        return f"plainto_tsquery('german', {params.add(value)})"
    long_form, short_form = analysis.fold_variants(value)
    parts = [f"plainto_tsquery('simple', {params.add(long_form)})"]
    if short_form != long_form:
        parts.append(f"plainto_tsquery('simple', {params.add(short_form)})")
    return "(" + " || ".join(parts) + ")"


@dataclasses.dataclass(frozen=True)
class Ranking:
    """What a text query ranks by: every alternative it matched with, the typed words' stems,
    and the words as typed; ``strong``: every alternative but the single compound parts (set
    when a query word has parts that match alone)."""

    matched: str
    stems: Optional[str] = None
    exact: Optional[str] = None
    strong: Optional[str] = None


def _top_level_alternatives(text: str) -> list[str]:
    """The operands of a tsquery's outermost OR, as PostgreSQL prints it (quotes and brackets kept)."""
    parts: list[str] = []
    depth, quoted, start = 0, False, 0
    for position, char in enumerate(text):
        if char == "'":
            quoted = not quoted  # a doubled quote inside a lexeme toggles twice
        elif not quoted and char == "(":
            depth += 1
        elif not quoted and char == ")":
            depth -= 1
        elif not quoted and depth == 0 and char == "|":
            parts.append(text[start:position].strip())
            start = position + 1
    parts.append(text[start:].strip())
    return parts


_PREFIX_OPERAND_RE = re.compile(r"^('(?:[^']|'')*'):\*$")


def simplify_tsquery(text: str) -> str:
    """``text`` (a tsquery as PostgreSQL prints it) without repeated alternatives.

    A free-text word expands into its stem, both folded spellings, the stem prefix and its
    compound parts, which often are the same lexeme (``'kita' | 'kita' | 'kita':* | …``);
    ``ts_rank_cd`` walks every operand for every candidate row. An alternative that is
    already there, or a word whose prefix (``'x':*``) is there, matches exactly the same
    positions, so dropping it changes neither the matches nor the rank — only the work.
    """
    alternatives = list(dict.fromkeys(a for a in _top_level_alternatives(text) if a))
    prefixes = {m.group(1) for m in map(_PREFIX_OPERAND_RE.match, alternatives) if m}
    kept = [a for a in alternatives if a not in prefixes]
    return " | ".join(kept)


# Field weights of ``tsv`` (D resources, C description, B tags, A title), as ts_rank_cd takes them.
WEIGHTS = "{0.05, 0.1, 0.3, 1.0}"
HARVESTED_FACTOR = 0.8
TIER_FACTOR = 1.2
PART_FACTOR = 0.1


def score_sql(ranking: Ranking, vector: str = "tsv") -> str:
    """The relevance of a row; the rules are in the README ("Ranking").

    ``ts_rank_cd`` over every alternative the query matched with, by field weight
    (normalisation 32, rank / (rank + 1), keeps a dataset that repeats a word in every
    resource from outweighing one that has it in its title); times 1.2 if the typed
    words' stems match and 1.2 again if the words as typed match, so whole words beat
    stems and stems beat compound parts and synonyms; times 0.1 if a compound matched only
    through parts in different words or a single part (not the word or its parts in one word);
    times 0.8 for a harvested dataset. Rounded, so that near-equal scores tie and the more
    recently modified dataset wins.
    """
    score = f"ts_rank_cd('{WEIGHTS}', {vector}, {ranking.matched}, 32)"
    for tier in (ranking.stems, ranking.exact):
        if tier:
            score += f" * CASE WHEN {vector} @@ {tier} THEN {TIER_FACTOR} ELSE 1.0 END"
    if ranking.strong:
        score += f" * CASE WHEN {vector} @@ {ranking.strong} THEN 1.0 ELSE {PART_FACTOR} END"
    return f"round(({score} * CASE WHEN made_here THEN 1.0 ELSE {HARVESTED_FACTOR} END)::numeric, 4)"


def phrase_tsquery(value: str, params: Params) -> Optional[str]:
    long_form, short_form = analysis.fold_variants(value)
    if not analysis.tokens(value):
        return None
    parts = [f"phraseto_tsquery('simple', {params.add(long_form)})"]
    if short_form != long_form:
        parts.append(f"phraseto_tsquery('simple', {params.add(short_form)})")
    return "(" + " || ".join(parts) + ")"


# -- single-field conditions ----------------------------------------------------
def _contains(field: str, values: list[str], params: Params) -> str:
    return f"fields @> CAST({params.add(json.dumps({field: values}))} AS jsonb)"


def _string_equals(field: str, value: str, params: Params) -> str:
    """Exact match on a string field, through the cheapest structure that holds it."""
    if field in COLUMNS:
        return f"{field} = {params.add(value)}"
    if field == "permission_labels":
        return f"permission_labels @> CAST(ARRAY[{params.add(value)}] AS text[])"
    if is_faceted(field):
        return f"facets @> CAST(ARRAY[{params.add(facet_entry(field, value))}] AS text[])"
    return _contains(field, [value], params)


_NGRAM_SOURCES = {"name_ngram": "name", "title_ngram": "title_string"}


def _ngram(field: str, value: str, params: Params) -> str:
    """Solr's ``text_ngram``: 2–10 character grams of the lower-cased name/title.

    The query side splits on whitespace; a single word matches if it is one of
    the grams (a substring of 2–10 characters). Several words would form a
    phrase over consecutive grams, which practically never matches in Solr,
    so they match nothing here either.
    """
    words = value.lower().split()
    if len(words) != 1 or not 2 <= len(words[0]) <= 10:
        return "FALSE"
    return f"strpos(lower({_NGRAM_SOURCES[field]}), {params.add(words[0])}) > 0"


def _any_value(field: str, condition: str, params: Params) -> str:
    return (
        f"EXISTS (SELECT 1 FROM jsonb_array_elements_text(fields -> {params.add(field)}) AS v(value) "
        f"WHERE {condition})"
    )


def _like_pattern(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped.replace("*", "%").replace("?", "_")


def compile_term(node: lucene.Term, params: Params) -> str:
    field = check_field_name(node.field or DEFAULT_FIELD)
    if field in UNINDEXED:
        return "FALSE"
    spec = field_spec(field)
    value = node.value
    if node.wildcard and value.strip("*") == "":
        if field in COLUMNS:
            return f"{field} IS NOT NULL"
        return f"fields ? {params.add(field)}"
    if field in _NGRAM_SOURCES:
        return _ngram(field, value, params)
    if field == DEFAULT_FIELD:
        tsquery = term_tsquery(value, params, prefix=node.wildcard)
        return f"tsv @@ {tsquery}" if tsquery else "FALSE"
    if spec.kind == "text":
        if node.wildcard:
            pattern = _like_pattern(analysis.fold_variants(value)[0])
            return _any_value(field, f"v.value LIKE {params.add(pattern)}", params)
        words = analysis.tokens(analysis.fold_variants(value)[0])
        return _contains(field, words, params) if words else "FALSE"
    if node.wildcard:
        if field in COLUMNS:
            return f"{field} LIKE {params.add(_like_pattern(value))}"
        return _any_value(field, f"v.value LIKE {params.add(_like_pattern(value))}", params)
    if spec.kind == "date":
        return _contains(field, [normalise_date(resolve_date_math(value))], params)
    if spec.kind == "int":
        try:
            return _contains(field, [str(int(value))], params)
        except ValueError:
            raise SearchQueryError(f"{field} needs a whole number, not {value!r}") from None
    return _string_equals(field, value, params)


def compile_phrase(node: lucene.Phrase, params: Params) -> str:
    field = check_field_name(node.field or DEFAULT_FIELD)
    if field in UNINDEXED:
        return "FALSE"
    spec = field_spec(field)
    if field in _NGRAM_SOURCES:
        return _ngram(field, node.value, params)
    if field == DEFAULT_FIELD:
        tsquery = phrase_tsquery(node.value, params)
        return f"tsv @@ {tsquery}" if tsquery else "FALSE"
    if spec.kind == "text":
        words = analysis.tokens(analysis.fold_variants(node.value)[0])
        if not words:
            return "FALSE"
        if len(words) == 1:
            return _contains(field, words, params)
        # the words must be in this field, and in this order somewhere in the document
        return f"({_contains(field, words, params)} AND tsv @@ {phrase_tsquery(node.value, params)})"
    return compile_term(lucene.Term(field, node.value), params)


def compile_range(node: lucene.Range, params: Params) -> str:
    field = check_field_name(node.field or DEFAULT_FIELD)
    spec = field_spec(field)
    if field == DEFAULT_FIELD or field in UNINDEXED:
        raise SearchQueryError(f"Ranges are not supported on the field {field!r}")

    def bound(value: str) -> Any:
        if spec.kind == "date":
            resolved = resolve_date_math(value)
            return resolved if field in _DATE_COLUMNS else normalise_date(resolved)
        if spec.kind == "int":
            try:
                return int(value)
            except ValueError:
                raise SearchQueryError(f"{field} needs whole numbers in a range, not {value!r}") from None
        return value

    if field in _DATE_COLUMNS:
        target = field
    elif field in COLUMNS:
        target = f'{field} COLLATE "C"'
    elif spec.kind == "int":
        target = "(v.value)::numeric"
    else:
        target = 'v.value COLLATE "C"'
    checks = []
    if node.low is not None:
        checks.append(f"{target} {'>=' if node.include_low else '>'} {params.add(bound(node.low))}")
    if node.high is not None:
        checks.append(f"{target} {'<=' if node.include_high else '<'} {params.add(bound(node.high))}")
    if not checks:
        if field in _DATE_COLUMNS or field in COLUMNS:
            return f"{field} IS NOT NULL"
        return f"fields ? {params.add(field)}"
    condition = " AND ".join(checks)
    if field in _DATE_COLUMNS or field in COLUMNS:
        return f"({condition})"
    return _any_value(field, condition, params)


def compile_node(node: lucene.Node, params: Params) -> str:
    if isinstance(node, lucene.MatchAll):
        return "TRUE"
    if isinstance(node, lucene.Term):
        return compile_term(node, params)
    if isinstance(node, lucene.Phrase):
        return compile_phrase(node, params)
    if isinstance(node, lucene.Range):
        return compile_range(node, params)
    return compile_bool(node, params)


def compile_bool(node: lucene.Bool, params: Params) -> str:
    must = [compile_node(n, params) for occur, n in node.clauses if occur == "must"]
    should = [compile_node(n, params) for occur, n in node.clauses if occur == "should"]
    must_not = [compile_node(n, params) for occur, n in node.clauses if occur == "must_not"]
    parts = list(must)
    if should and not must:
        parts.append("(" + " OR ".join(should) + ")")
    parts.extend(f"NOT ({c})" for c in must_not)
    return "(" + " AND ".join(parts or ["TRUE"]) + ")"


def compile_lucene(text: str, params: Params, default_and: bool = True) -> str:
    return compile_node(lucene.parse(text, default_and=default_and), params)


# -- sorting ------------------------------------------------------------------------
_SORT_COLUMNS = {
    "metadata_modified": "metadata_modified",
    "metadata_created": "metadata_created",
    "name": 'name COLLATE "C"',
    "title_string": 'title_string COLLATE "C"',
    "id": 'id COLLATE "C"',
}


def compile_sort(sort: str, params: Params, has_score: bool) -> str:
    keys = []
    for part in [p.strip() for p in sort.split(",") if p.strip()]:
        bits = part.split()
        if len(bits) != 2 or bits[1].lower() not in ("asc", "desc"):
            raise SearchQueryError('Invalid "sort" parameter')
        field, direction = check_field_name(bits[0]), bits[1].upper()
        if field == "score":
            if has_score:
                keys.append(f"score {direction}")
            continue
        spec = field_spec(field)
        column = _SORT_COLUMNS.get(field)
        if column is None:
            if spec.multi:
                raise SearchQueryError(f"Cannot sort on the multi-valued field {field!r}")
            element = f"(fields -> {params.add(field)} ->> 0)"
            column = f"({element})::numeric" if spec.kind == "int" else f'{element} COLLATE "C"'
        keys.append(f"{column} {direction} NULLS LAST")
    keys.append('index_id COLLATE "C" ASC')
    return ", ".join(keys)

