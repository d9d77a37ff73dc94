"""A pysolr-shaped connection that keeps CKAN's search index in PostgreSQL.

CKAN core keeps building the documents, the permission filters and the facet
structures; only the object returned by ``make_connection`` changes. Writes
for one dataset ride the caller's database session, so a rolled-back
``package_create`` leaves no index row behind; bulk deletes (``clean_index``,
``harvest_source_clear``) run in a transaction of their own.
"""
from __future__ import annotations

import dataclasses
import json
import logging
from typing import Any, Iterable, Optional

import sqlalchemy as sa

from ckan import model
from ckan.common import config

from . import lucene, sql, table
from .document import build_row, tsvector_sql

log = logging.getLogger(__name__)

_UPSERT = sa.text(
    f"""
    INSERT INTO {table.TABLE} (index_id, id, site_id, name, title_string, metadata_created,
        metadata_modified, fields, stored, data_dict, validated_data_dict, tsv)
    VALUES (:index_id, :id, :site_id, :name, :title_string, :metadata_created,
        :metadata_modified, CAST(:fields AS jsonb), CAST(:stored AS jsonb), :data_dict,
        :validated_data_dict, {tsvector_sql()})
    ON CONFLICT (index_id) DO UPDATE SET
        id = EXCLUDED.id, site_id = EXCLUDED.site_id, name = EXCLUDED.name,
        title_string = EXCLUDED.title_string, metadata_created = EXCLUDED.metadata_created,
        metadata_modified = EXCLUDED.metadata_modified, fields = EXCLUDED.fields,
        stored = EXCLUDED.stored, data_dict = EXCLUDED.data_dict,
        validated_data_dict = EXCLUDED.validated_data_dict, tsv = EXCLUDED.tsv
    """
)
_SINGLE_DATASET_FIELDS = {"id", "name", "index_id"}
_ROW_COLUMNS = {"data_dict", "validated_data_dict"}


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


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _fl(value: Any) -> list[str]:
    names: list[str] = []
    for item in _as_list(value):
        names.extend(n for n in str(item).replace(",", " ").split() if n)
    return names or ["*"]


def _targets_one_dataset(node: lucene.Node) -> bool:
    """True for CKAN's single-dataset delete (``+(id:"x" OR name:"x")``)."""
    if isinstance(node, (lucene.Term, lucene.Phrase)):
        return node.field in _SINGLE_DATASET_FIELDS
    if isinstance(node, lucene.Bool):
        musts = [n for occur, n in node.clauses if occur == "must"]
        shoulds = [n for occur, n in node.clauses if occur == "should"]
        if any(_targets_one_dataset(n) for n in musts):
            return True
        return not musts and bool(shoulds) and all(_targets_one_dataset(n) for n in shoulds)
    return False


class PostgresSearchConnection:
    """Drop-in for ``pysolr.Solr`` as used by ``ckan.lib.search``."""

    url = "postgresql://hamm_search"

    def __init__(self, session=None):
        self.session = session or model.Session

    # -- writes ---------------------------------------------------------------------
    def add(self, docs: Iterable[dict[str, Any]], commit: Optional[bool] = None, **_: Any) -> None:
        table.ensure(self.session)
        for doc in docs:
            self.session.execute(_UPSERT, build_row(doc))

    def delete(self, id: Optional[str] = None, q: Optional[str] = None,
               commit: Optional[bool] = None, **_: Any) -> None:
        if id is not None:
            table.ensure(self.session)
            self.session.execute(
                sa.text(f"DELETE FROM {table.TABLE} WHERE index_id = :id"), {"id": id}
            )
            return
        if q is None:
            raise ValueError("delete() needs an id or a query")
        node = lucene.parse(q)
        params = sql.Params()
        statement = sa.text(f"DELETE FROM {table.TABLE} WHERE {sql.compile_node(node, params)}")
        table.ensure(self.session)
        if _targets_one_dataset(node):
            self.session.execute(statement, params.values)
        else:
            with self.session.get_bind().engine.begin() as connection:
                connection.execute(statement, params.values)

    def commit(self, *_: Any, **__: Any) -> None:
        """Writes are committed with the database transaction that carried them."""

    def optimize(self, *_: Any, **__: Any) -> None:
        """Nothing to optimise: PostgreSQL maintains its indexes itself."""

    # -- reads ------------------------------------------------------------------------
    def search(self, q: Optional[str] = None, **params: Any) -> Results:
        table.ensure(self.session)
        bind = sql.Params()
        condition, ranking = self._condition(q, params, bind)
        score = (
            f"ts_rank_cd('{{0.1, 0.2, 0.4, 1.0}}', tsv, {ranking})" if ranking else "1.0"
        )
        sort = params.get("sort") or ("score desc" if ranking else "")
        order = sql.compile_sort(sort, bind, has_score=ranking is not None)
        rows = max(int(params.get("rows", 10)), 0)
        start = max(int(params.get("start", 0)), 0)
        fl = _fl(params.get("fl"))
        columns = ["index_id", "stored", f"{score} AS score"]
        columns += [c for c in _ROW_COLUMNS if c in fl or "*" in fl]
        query = (
            f"SELECT {', '.join(columns)} FROM {table.TABLE} WHERE {condition} "
            f"ORDER BY {order} LIMIT {bind.add(rows)} OFFSET {bind.add(start)}"
        )
        result = self.session.execute(sa.text(query), bind.values).mappings().all()
        hits = self.session.execute(
            sa.text(f"SELECT count(*) FROM {table.TABLE} WHERE {condition}"), bind.values
        ).scalar()
        docs = [self._project(row, fl) for row in result]
        facets = self._facets(condition, bind, params) if str(params.get("facet", "false")).lower() == "true" else {}
        raw = {"response": {"numFound": hits, "start": start, "docs": docs}, "facet_counts": facets}
        return Results(docs=docs, hits=hits, facets=facets, raw_response=raw)

    def _condition(self, q: Optional[str], params: dict[str, Any], bind: sql.Params) -> tuple[str, Optional[str]]:
        default_and = str(params.get("q.op", "AND")).upper() != "OR"
        q = (q if q is not None else params.get("q")) or "*:*"
        conditions: list[str] = []
        ranking = None
        if q.strip() in ("*:*", "*"):
            pass
        elif params.get("defType") == "dismax":
            condition, ranking = sql.compile_dismax(q, bind)
            conditions.append(condition)
        else:
            conditions.append(sql.compile_lucene(q, bind, default_and=default_and))
            ranking = self._ranking_for(q, bind)
        for fq in _as_list(params.get("fq")):
            if fq and str(fq).strip():
                conditions.append(sql.compile_lucene(str(fq), bind, default_and=default_and))
        return (" AND ".join(conditions) or "TRUE"), ranking

    @staticmethod
    def _ranking_for(q: str, bind: sql.Params) -> Optional[str]:
        """Rank fielded queries by their free-text words, if they have any."""
        words = [w for w in q.replace("(", " ").replace(")", " ").split()
                 if ":" not in w and w not in ("AND", "OR", "NOT", "&&", "||") and w[0] not in "+-!\""]
        if not words:
            return None
        queries = [t for t in (sql.term_tsquery(w, bind) for w in words) if t]
        return "(" + " || ".join(queries) + ")" if queries else None

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

    def _facets(self, condition: str, bind: sql.Params, params: dict[str, Any]) -> dict[str, Any]:
        limit = int(params.get("facet.limit", config.get("search.facets.limit")))
        mincount = int(params.get("facet.mincount", 1))
        by_index = str(params.get("facet.sort", "count")).lower() == "index"
        order = 'v.value COLLATE "C"' if by_index else 'count(*) DESC, v.value COLLATE "C"'
        fields: dict[str, list[Any]] = {}
        for field in _as_list(params.get("facet.field")):
            field = sql.check_field_name(str(field))
            local = sql.Params()
            local.values.update(bind.values)
            statement = (
                f"SELECT v.value, count(*) AS n FROM {table.TABLE}, "
                f"jsonb_array_elements_text(fields -> {local.add(field)}) AS v(value) "
                f"WHERE {condition} GROUP BY v.value HAVING count(*) >= {local.add(mincount)} "
                f"ORDER BY {order}" + (f" LIMIT {local.add(limit)}" if limit >= 0 else "")
            )
            flat: list[Any] = []
            for value, count in self.session.execute(sa.text(statement), local.values):
                flat.extend([value, count])
            fields[field] = flat
        return {"facet_queries": {}, "facet_fields": fields, "facet_ranges": {}}


def make_connection(decode_dates: bool = True) -> PostgresSearchConnection:
    """Replacement for ``ckan.lib.search.common.make_connection``."""
    return PostgresSearchConnection()

