"""Index writes: one dataset rides the caller's transaction, bulk work gets its own.

CKAN hands every document to ``add`` one at a time. Documents indexed with
``commit=False`` (``search-index rebuild`` defers commits) are buffered in the
session and written as one multi-row upsert per batch; the buffer is written
before the session commits, before any search or delete through this backend,
and dropped on rollback — so a rolled-back ``package_create`` still leaves no
index row, and a search always sees its own transaction's writes.
"""
from __future__ import annotations

import logging
from typing import Any, Iterable

import sqlalchemy as sa
from sqlalchemy import event

from . import cache, lucene, sql, table
from .document import WEIGHTS, build_row, tsvector_sql

log = logging.getLogger(__name__)

BATCH_SIZE = 200
_PENDING = "hamm_search_pending"
_COLUMNS = ("index_id", "id", "site_id", "name", "title_string", "state", "capacity", "dataset_type",
            "made_here", "metadata_created", "metadata_modified", "permission_labels", "facets", "fields", "stored",
            "data_dict", "validated_data_dict", "minx", "miny", "maxx", "maxy")
_CASTS = {"fields": "jsonb", "stored": "jsonb", "permission_labels": "text[]", "facets": "text[]"}
_SINGLE_DATASET_FIELDS = {"id", "name", "index_id"}
_TEXT_KINDS = ("text", "folded", "parts")  # per-weight parameters of the tsvector (document.tsvector_sql)


def _add_compound_parts(session, rows: list[dict[str, Any]]) -> None:
    """Each row's compound parts per weight (``parts_A`` …), one dictionary call per distinct word.

    Splitting a word with the Ispell dictionary is the dearest step of indexing, and the
    words of a catalogue repeat from field to field and dataset to dataset: a batch asks
    PostgreSQL once for all its texts (``table.COMPOUND_PARTS_BATCH``).
    """
    texts = [row[f"text_{weight}"] for row in rows for weight in WEIGHTS]
    found = dict(session.execute(sa.text(table.COMPOUND_PARTS_BATCH), {"texts": texts}).all())
    for index, row in enumerate(rows):
        for offset, weight in enumerate(WEIGHTS):
            row[f"parts_{weight}"] = found.get(index * len(WEIGHTS) + offset + 1, "")


def _values_sql(position: int) -> str:
    def param(column: str) -> str:
        cast = _CASTS.get(column)
        name = f":{column}_{position}"
        return f"CAST({name} AS {cast})" if cast else name

    values = [param(c) for c in _COLUMNS]
    vector = tsvector_sql()
    for kind in _TEXT_KINDS:
        vector = vector.replace(f":{kind}_", f":{kind}_{position}_")
    values.append(vector)
    return "(" + ", ".join(values) + ")"


def _upsert(rows: list[dict[str, Any]]) -> tuple[sa.TextClause, dict[str, Any]]:
    params: dict[str, Any] = {}
    for position, row in enumerate(rows):
        for key, value in row.items():
            if key.startswith(tuple(f"{kind}_" for kind in _TEXT_KINDS)):
                kind, weight = key.split("_", 1)
                params[f"{kind}_{position}_{weight}"] = value
            else:
                params[f"{key}_{position}"] = value
    updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in _COLUMNS[1:] + ("tsv",))
    statement = (
        f"INSERT INTO {table.TABLE} ({', '.join(_COLUMNS)}, tsv) VALUES "
        + ", ".join(_values_sql(p) for p in range(len(rows)))
        + f" ON CONFLICT (index_id) DO UPDATE SET {updates}"
    )
    return sa.text(statement), params


def _write(session, rows: list[dict[str, Any]]) -> None:
    latest = {row["index_id"]: row for row in rows}  # one upsert may touch a row once only
    if latest:
        cache.mark_written(session)
        rows = list(latest.values())
        _add_compound_parts(session, rows)
        statement, params = _upsert(rows)
        session.execute(statement, params)


def flush(session) -> None:
    """Write the buffered documents of ``session`` (no-op when there are none)."""
    pending = session.info.pop(_PENDING, None)
    if pending:
        table.ensure(session)
        for start in range(0, len(pending), BATCH_SIZE):
            _write(session, pending[start:start + BATCH_SIZE])


def _discard(session, *_: Any) -> None:
    session.info.pop(_PENDING, None)
    cache.forget_writes(session)


def _flush_before_commit(session) -> None:
    flush(session)
    cache.bump_if_written(session)


def install_session_hooks(session_factory) -> None:
    """Flush before commit, drop on rollback (idempotent)."""
    if not event.contains(session_factory, "before_commit", _flush_before_commit):
        event.listen(session_factory, "before_commit", _flush_before_commit)
        event.listen(session_factory, "after_rollback", _discard)


def add(session, docs: Iterable[dict[str, Any]], defer: bool) -> None:
    rows = [build_row(doc) for doc in docs]
    if defer:
        pending = session.info.setdefault(_PENDING, [])
        pending.extend(rows)
        if len(pending) >= BATCH_SIZE:
            flush(session)
        return
    flush(session)
    table.ensure(session)
    _write(session, rows)


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


def delete(session, id: str | None = None, q: str | None = None) -> None:
    """Delete one document in the caller's transaction, or many in a transaction of their own."""
    flush(session)
    table.ensure(session)
    if id is not None:
        session.execute(sa.text(f"DELETE FROM {table.TABLE} WHERE index_id = :id"), {"id": id})
        cache.mark_written(session)
        return
    if q is None:
        raise ValueError("delete() needs an id or a query")
    node = lucene.parse(q)
    params = sql.Params()
    statement = sa.text(f"DELETE FROM {table.TABLE} WHERE {sql.compile_node(node, params)}")
    if _targets_one_dataset(node):
        session.execute(statement, params.values)
        cache.mark_written(session)
    else:
        with session.get_bind().engine.begin() as connection:
            connection.execute(statement, params.values)
            cache.bump(connection)
        log.info("Cleared search index entries matching %r", q)
