"""A pysolr-shaped connection that keeps CKAN's search index in PostgreSQL.

CKAN core keeps building the documents, the permission filters and the facet
structures; only the object returned by ``make_connection`` changes. Writes
for one dataset ride the caller's database session, so a rolled-back
``package_create`` leaves no index row behind; bulk deletes (``clean_index``,
``harvest_source_clear``) run in a transaction of their own.
"""
from __future__ import annotations

import contextlib
import copy
import dataclasses
import json
import logging
import re
from typing import Any, Iterable, Iterator, Optional

import sqlalchemy as sa
from ckan import model
from ckan.common import config
from ckan.lib.search.common import SearchQueryError, solr_datetime_decoder

from ckanext.hamm import config as hamm_config

from . import cache, compounds, dates, dismax, facets, localparams, spatial, sql, table, writer
from .fields import field_spec

log = logging.getLogger(__name__)

_ROW_COLUMNS = {"data_dict", "validated_data_dict"}
_VECTOR = "hamm_tsv"  # a ranked candidate's tsv, detoasted once
_SCORE_KEY_RE = re.compile(r"(^|, )score (ASC|DESC)")
_PARAM_RE = re.compile(r":(p\d+)\b")
_rank_queries = cache.Lru(1024)  # (tsquery expression, its values) -> simplified tsquery text


@dataclasses.dataclass
class Results:
    """What ``pysolr.Solr.search`` returns, as far as CKAN reads it."""

    docs: list[dict[str, Any]]
    hits: int
    facets: dict[str, Any]
    raw_response: dict[str, Any]

    def __len__(self) -> int:
        return len(self.docs)

    def __iter__(self):
        return iter(self.docs)


MAX_QUERY_CHARS = 10_000  # longer q/fq are refused: parsing and matching them would hold a worker
MAX_OFFSET = 2**31 - 1    # Solr's limit for start and rows


def _check_size(q: Optional[str], params: dict[str, Any]) -> None:
    texts = [q or params.get("q") or ""] + [str(fq) for fq in _as_list(params.get("fq"))]
    if any(len(str(text)) > MAX_QUERY_CHARS for text in texts):
        raise SearchQueryError(f"Die Suchanfrage ist zu lang (höchstens {MAX_QUERY_CHARS} Zeichen). / "
                               f"The query is too long (at most {MAX_QUERY_CHARS} characters).")
    try:
        start = int(params.get("start", 0) or 0)
    except (TypeError, ValueError):
        raise SearchQueryError("start muss eine ganze Zahl sein. / start needs a whole number.") from None
    if start > MAX_OFFSET:
        raise SearchQueryError(f"start ist zu groß (höchstens {MAX_OFFSET}). / "
                               f"start is too large (at most {MAX_OFFSET}).")


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _fl(value: Any) -> list[str]:
    names: list[str] = []
    for item in _as_list(value):
        names.extend(n for n in str(item).replace(",", " ").split() if n)
    return names or ["*"]


class PostgresSearchConnection:
    """Drop-in for ``pysolr.Solr`` as used by ``ckan.lib.search``."""

    url = "postgresql://hamm_search"

    def __init__(self, session=None, decode_dates: bool = True):
        self.session = session or model.Session
        self.decode_dates = decode_dates

    # -- writes (see writer.py) ---------------------------------------------------------
    def add(self, docs: Iterable[dict[str, Any]], commit: Optional[bool] = None, **_: Any) -> None:
        writer.add(self.session, docs, defer=commit is False)

    def delete(self, id: Optional[str] = None, q: Optional[str] = None,
               commit: Optional[bool] = None, **_: Any) -> None:
        writer.delete(self.session, id=id, q=q)

    def commit(self, *_: Any, **__: Any) -> None:
        """Writes are committed with the database transaction that carried them;
        buffered ones are written now so that the caller's commit includes them."""
        writer.flush(self.session)

    def optimize(self, *_: Any, **__: Any) -> None:
        """Nothing to optimise: PostgreSQL maintains its indexes itself."""

    # -- reads ------------------------------------------------------------------------
    def search(self, q: Optional[str] = None, **params: Any) -> Results:
        """Answer a Solr-style query; input it cannot answer is a SearchQueryError (a 4xx), never a 500."""
        writer.flush(self.session)
        table.ensure(self.session)
        _check_size(q, params)
        try:
            with self.session.begin_nested():  # a refused value rolls back the query alone
                return self._search(q, params)
        except RecursionError:
            raise SearchQueryError("Die Suchanfrage hat zu viele verschachtelte Klammern. / "
                                   "Too many nested brackets in the query.") from None
        except (sa.exc.DataError, OverflowError):
            raise SearchQueryError("Eine Zahl oder ein Datum der Suchanfrage liegt außerhalb des erlaubten Bereichs. / "
                                   "A number or date in the query is out of range.") from None

    def _search(self, q: Optional[str], params: dict[str, Any]) -> Results:
        params = _take_floor(params)
        bind = sql.Params(compounds=lambda spellings: compounds.expand(self.session, spellings))
        condition, ranking = self._condition(q, params, bind)
        free_text = ranking is not None and self._free_text(q, params)
        boost = self._boost(params, bind)
        sort = params.get("sort") or ("score desc" if ranking or boost else "")
        order = sql.compile_sort(sort, bind, has_score=ranking is not None or boost is not None)
        if ranking:
            strong = self._strong(ranking.matched, bind)
            ranking = dataclasses.replace(ranking, matched=self._rank_query(ranking.matched, bind),
                                          strong=self._rank_query(strong, bind) if strong else None)
        # ranked by score: every candidate is scored, so its vector is read once, not per use
        by_score = ranking is not None and _SCORE_KEY_RE.search(order) is not None
        score = sql.score_sql(ranking, _VECTOR if by_score else "tsv") if ranking else "1.0"
        if boost:
            score = f"({score} + coalesce({boost}, 0))"
        ratio = self._min_score_ratio(params) if free_text and not boost else 0.0
        if ranking and ratio > 0:
            with _planner_hints(self.session, text_search=True):
                condition = self._floor(condition, bind, sql.score_sql(ranking, _VECTOR), ratio)
        rows = min(max(int(params.get("rows", 10)), 0), MAX_OFFSET)
        start = max(int(params.get("start", 0)), 0)
        fl = _fl(params.get("fl"))
        with _planner_hints(self.session, text_search=ranking is not None or "tsv @@" in condition):
            result = self._page(condition, bind, score, order, rows, start, fl, by_score)
            hits = self._count(condition, bind)
            wants_facets = str(params.get("facet", "false")).lower() == "true"
            facets = self._facets(condition, bind, params) if wants_facets else {}
        docs = [self._dates(self._project(row, fl)) for row in result]
        raw = {"response": {"numFound": hits, "start": start, "docs": docs}, "facet_counts": facets}
        return Results(docs=docs, hits=hits, facets=facets, raw_response=raw)

    def _page(self, condition: str, bind: sql.Params, score: str, order: str, rows: int, start: int,
              fl: list[str], by_score: bool = False) -> list[Any]:
        """The requested page.

        Ordering and paging touch only narrow columns; the big ones (stored
        fields, documents) are joined for the page rows alone, so a deep page
        or a large result never detoasts what it skips. Ranked by score, each
        candidate's ``tsv`` (out of line) is fetched and unpacked once into
        ``hamm_tsv``: the rank and both tier tests read it, and PostgreSQL
        would otherwise detoast the column again for each of them.
        """
        extra = [f"t.{c}" for c in _ROW_COLUMNS if c in fl or "*" in fl]
        source = (f"(SELECT *, tsv || ''::tsvector AS {_VECTOR} FROM {table.TABLE} WHERE {condition} OFFSET 0) AS c"
                  if by_score else f"{table.TABLE} WHERE {condition}")
        query = (
            f"SELECT p.index_id, p.score, t.stored{''.join(', ' + c for c in extra)} FROM ("
            f"SELECT i.*, row_number() OVER () AS ord FROM ("
            f"SELECT index_id, {score} AS score FROM {source} "
            f"ORDER BY {order} LIMIT {bind.add(rows)} OFFSET {bind.add(start)}"
            f") AS i) AS p JOIN {table.TABLE} AS t ON t.index_id = p.index_id ORDER BY p.ord"
        )
        return self.session.execute(sa.text(query), bind.values).mappings().all()

    @staticmethod
    def _strong(expression: str, bind: sql.Params) -> Optional[str]:
        """``expression`` without its single-part alternatives (None when it has none)."""
        if not bind.weak or not any(name in bind.weak for name in _PARAM_RE.findall(expression)):
            return None
        empty = bind.add("")[1:]
        return _PARAM_RE.sub(lambda m: f":{empty}" if m.group(1) in bind.weak else m.group(0), expression)

    def _free_text(self, q: Optional[str], params: dict[str, Any]) -> bool:
        q = (q if q is not None else params.get("q")) or ""
        parser, _, text = localparams.split(q)
        return parser in ("dismax", "edismax") or (parser is None and bool(text.strip())
                                                   and self._search_box(text, params))

    @staticmethod
    def _min_score_ratio(params: dict[str, Any]) -> float:
        """The relevance floor: ``min_score_ratio`` of the query (or ``ext_min_score_ratio`` in
        CKAN's ``extras``), else ``ckanext.hamm.search.min_score_ratio``; 0 switches it off."""
        value = params.get("min_score_ratio")
        if value is None or str(value).strip() == "":
            return hamm_config.search_min_score_ratio()
        try:
            ratio = float(value)
        except (TypeError, ValueError):
            raise SearchQueryError("min_score_ratio muss eine Zahl zwischen 0 und 1 sein. / "
                                   "min_score_ratio needs a number between 0 and 1.") from None
        if not 0 <= ratio <= 1:
            raise SearchQueryError("min_score_ratio muss eine Zahl zwischen 0 und 1 sein. / "
                                   "min_score_ratio needs a number between 0 and 1.")
        return ratio

    def _floor(self, condition: str, bind: sql.Params, score: str, ratio: float) -> str:
        """``condition`` without the hits that score below ``ratio`` times the best one.

        One pass scores every candidate (as ranking a page does anyway); what stays is named by
        id, so the page, the count and the facets read only the kept rows. Kept per index version.
        """
        version = cache.version(self.session)
        key = (version, "floor", condition, repr(sorted(bind.values.items())), score, ratio) if version else None
        kept = cache.get(key) if key else None
        if kept is None:
            scored = self.session.execute(sa.text(
                f"SELECT index_id, {score} AS score FROM (SELECT *, tsv || ''::tsvector AS {_VECTOR} "
                f"FROM {table.TABLE} WHERE {condition} OFFSET 0) AS c"), bind.values).all()
            best = max((float(s) for _, s in scored), default=0.0)
            above = tuple(sorted(i for i, s in scored if float(s) >= best * ratio))
            kept = above if len(above) < len(scored) else ()
            if key:
                cache.put(key, kept)
        if not kept:  # nothing below the floor
            return condition
        return f"({condition} AND index_id = ANY(CAST({bind.add(list(kept))} AS text[])))"

    def _count(self, condition: str, bind: sql.Params) -> int:
        """The total; a separate pass lets the page use an index and stop early. Cached per version."""
        version = cache.version(self.session)
        key = (version, "count", condition, repr(sorted(bind.values.items()))) if version else None
        hits = cache.get(key) if key else None
        if hits is None:
            hits = self.session.execute(
                sa.text(f"SELECT count(*) FROM {table.TABLE} WHERE {condition}"), bind.values).scalar()
            if key:
                cache.put(key, hits)
        return hits

    def _condition(self, q: Optional[str], params: dict[str, Any],
                   bind: sql.Params) -> tuple[str, Optional[sql.Ranking]]:
        default_and = str(params.get("q.op", "AND")).upper() != "OR"
        q = (q if q is not None else params.get("q")) or "*:*"
        parser, local, q = localparams.split(q)
        q_and = str(local.get("q.op", "AND" if default_and else "OR")).upper() != "OR"
        conditions: list[str] = []
        ranking = None
        if parser in ("frange", "field"):
            raise SearchQueryError("Räumliche Filter gehören in fq. / Spatial filters belong in fq.")
        if q.strip() in ("*:*", "*"):
            pass
        elif parser in ("dismax", "edismax") or (parser is None and self._search_box(q, params)):
            condition, ranking = dismax.compile_dismax(q, bind, local.get("mm", params.get("mm")))
            conditions.append(condition)
        else:
            conditions.append(sql.compile_lucene(q, bind, default_and=q_and))
            ranking = self._ranking_for(q, bind)
        for fq in _as_list(params.get("fq")):
            if fq and str(fq).strip():
                fq_parser, fq_local, fq = localparams.split(str(fq))
                if fq_parser in ("dismax", "edismax"):
                    conditions.append(dismax.compile_dismax(fq, bind)[0])
                    continue
                if fq_parser == "frange":
                    conditions.append(spatial.frange_condition(fq_local, fq, bind))
                    continue
                if fq_parser == "field":
                    conditions.append(spatial.field_condition(fq_local, fq, bind))
                    continue
                fq_and = str(fq_local.get("q.op", "AND" if default_and else "OR")).upper() != "OR"
                conditions.append(sql.compile_lucene(fq, bind, default_and=fq_and))
        return (" AND ".join(conditions) or "TRUE"), ranking

    @staticmethod
    def _search_box(q: str, params: dict[str, Any]) -> bool:
        """Search-box rules: CKAN's ``dismax``, or the ``edismax`` ckanext-spatial sets for its
        boost when ``q`` has no field syntax (with fields, edismax reads Lucene syntax)."""
        return params.get("defType") == "dismax" or (params.get("defType") == "edismax" and ":" not in q)

    @staticmethod
    def _boost(params: dict[str, Any], bind: sql.Params) -> Optional[str]:
        """``bf`` (edismax/dismax): the function's value is added to each hit's score."""
        functions = [str(f) for f in _as_list(params.get("bf")) if str(f).strip()]
        if not functions or params.get("defType") not in ("dismax", "edismax"):
            return None
        return "(" + " + ".join(spatial.function_sql(f, bind) for f in functions) + ")"

    def _rank_query(self, expression: str, bind: sql.Params) -> str:
        """The query a text search ranks by, expanded once and without repeated alternatives.

        ``expression`` builds the tsquery from the typed words (stems, spellings, prefixes,
        compound parts from the Ispell dictionary, synonyms). PostgreSQL evaluates it here
        once; ``sql.simplify_tsquery`` drops the alternatives that repeat (``ts_rank_cd``
        pays for every operand on every candidate row), and the result is kept per worker
        process: it depends only on the words and the dictionary, not on the datasets, and
        a changed synonym file gives other words and so another key.
        """
        names = dict.fromkeys(_PARAM_RE.findall(expression))
        values = {name: bind.values[name] for name in names}
        key = (expression, repr(sorted(values.items())))
        text = _rank_queries.get(key)
        if text is None:
            text = sql.simplify_tsquery(self.session.execute(
                sa.text(f"SELECT CAST({expression} AS text)"), values).scalar() or "")
            _rank_queries.put(key, text)
        return f"CAST({bind.add(text)} AS tsquery)"

    @staticmethod
    def _ranking_for(q: str, bind: sql.Params) -> Optional[sql.Ranking]:
        """Rank fielded queries by their free-text words, if they have any."""
        words = [w for w in q.replace("(", " ").replace(")", " ").split()
                 if ":" not in w and w not in ("AND", "OR", "NOT", "&&", "||") and w[0] not in "+-!\""]
        if not words:
            return None
        queries = [t for t in (sql.term_tsquery(w, bind) for w in words) if t]
        return sql.Ranking("(" + " || ".join(queries) + ")") if queries else None

    @staticmethod
    def _project(row: Any, fl: list[str]) -> dict[str, Any]:
        stored = row["stored"] if isinstance(row["stored"], dict) else json.loads(row["stored"])
        if "*" in fl:
            doc = dict(stored)
            for column in _ROW_COLUMNS:
                if column in row and row[column] is not None:
                    doc[column] = row[column]
        else:
            doc = {}
            for name in fl:
                if name in _ROW_COLUMNS:
                    if row.get(name) is not None:
                        doc[name] = row[name]
                elif name in stored:
                    doc[name] = stored[name]
        if "score" in fl:
            doc["score"] = float(row["score"])
        return doc

    def _dates(self, doc: dict[str, Any]) -> dict[str, Any]:
        """Date fields as Solr returns them (milliseconds); with ``decode_dates`` as pysolr's
        decoder in CKAN's ``make_connection`` turns them into ``datetime`` values."""
        for key, value in doc.items():
            if field_spec(key).kind == "date" and value:
                doc[key] = ([dates.solr_output(str(v)) for v in value] if isinstance(value, list)
                            else dates.solr_output(str(value)))
        return solr_datetime_decoder(doc) if self.decode_dates else doc

    def _facets(self, condition: str, bind: sql.Params, params: dict[str, Any]) -> dict[str, Any]:
        request = (
            tuple(str(f) for f in _as_list(params.get("facet.field"))),
            int(params.get("facet.limit", config.get("search.facets.limit"))),
            int(params.get("facet.mincount", 1)),
            str(params.get("facet.sort", "count")).lower() == "index",
        )
        version = cache.version(self.session)
        key = (version, condition, repr(sorted(bind.values.items())), request) if version else None
        counts = cache.get(key) if key else None
        if counts is None:
            counts = facets.facet_counts(self.session, condition, bind, request[0], limit=request[1],
                                         mincount=request[2], by_index=request[3])
            if key:
                cache.put(key, counts)
        return copy.deepcopy(counts)  # CKAN rewrites the lists it gets in place


FLOOR_FIELD = "hamm_min_score_ratio"  # how package_search's ext_min_score_ratio travels in fq


def pass_floor(search_params: dict[str, Any]) -> dict[str, Any]:
    """Carry ``ext_min_score_ratio`` (``package_search`` extras, which CKAN does not hand on to
    the index) as an ``fq`` entry of its own that ``_take_floor`` takes out again."""
    value = (search_params.get("extras") or {}).get("ext_min_score_ratio")
    if value is not None and str(value).strip():
        fq = search_params.get("fq") or ""
        search_params["fq"] = f"{fq} +{FLOOR_FIELD}:{str(value).strip()}".strip()
    return search_params


_FLOOR_RE = re.compile(rf"(?:^|\s)\+{FLOOR_FIELD}:(\S*)")


def _take_floor(params: dict[str, Any]) -> dict[str, Any]:
    """``params`` with the floor's ``fq`` entry (``pass_floor``) as ``min_score_ratio``."""
    found = None
    filters = []
    for fq in _as_list(params.get("fq")):
        text = str(fq)
        match = _FLOOR_RE.search(text)
        if match:
            found = match.group(1)
            text = _FLOOR_RE.sub(" ", text).strip()
        filters.append(text)
    if found is None:
        return params
    return {**params, "fq": filters, "min_score_ratio": found}


@contextlib.contextmanager
def _planner_hints(session, text_search: bool) -> Iterator[None]:
    """Steer text searches to the GIN index on ``tsv``.

    ``tsv`` lives out of line, which the planner does not price: a sequential
    scan would detoast every row's vector to test it, the index only the
    matches'. The setting is restored before control returns to CKAN.
    """
    if not text_search:
        yield
        return
    session.execute(sa.text("SELECT set_config('enable_seqscan', 'off', true)"))
    try:
        yield
    finally:
        try:
            session.execute(sa.text("SELECT set_config('enable_seqscan', 'on', true)"))
        except sa.exc.SQLAlchemyError:
            pass  # the transaction failed anyway; its rollback resets the setting


def make_connection(decode_dates: bool = True) -> PostgresSearchConnection:
    """Replacement for ``ckan.lib.search.common.make_connection``."""
    return PostgresSearchConnection(decode_dates=decode_dates)

