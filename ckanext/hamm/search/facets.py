"""Facet counts in Solr's ``facet_counts`` shape, in one pass over the matched rows.

Every faceted field (``fields.FACETED`` and ``vocab_*``) keeps its values in the
inline ``facets`` array as ``field<US>value``; one ``unnest`` + ``GROUP BY``
counts all requested fields at once instead of one scan per field. Other fields
are counted from the ``fields`` jsonb, one statement each. Ordering follows
Solr: count descending, ties (and ``facet.sort=index``) by binary value order.
"""
from __future__ import annotations

from typing import Any, Iterable

import sqlalchemy as sa

from . import sql, table
from .fields import FACET_SEPARATOR, is_faceted


def _ordered(counts: dict[str, int], limit: int, mincount: int, by_index: bool) -> list[Any]:
    items = [(v, n) for v, n in counts.items() if n >= mincount]
    key = (lambda item: item[0].encode()) if by_index else (lambda item: (-item[1], item[0].encode()))
    items.sort(key=key)
    if limit >= 0:
        items = items[:limit]
    flat: list[Any] = []
    for value, count in items:
        flat.extend([value, count])
    return flat


def _array_counts(session, condition: str, bind: sql.Params, names: list[str]) -> dict[str, dict[str, int]]:
    local = sql.Params()
    local.values.update(bind.values)
    # Values are unique per row (document.py), so counting elements counts datasets.
    # Filtering elements costs more than it saves when most fields are wanted.
    element_filter = ""
    if len(names) <= 2:
        element_filter = (f" AND split_part(f.v, {local.add(FACET_SEPARATOR)}, 1) "
                          f"= ANY({local.add(names)})")
    statement = (
        f"SELECT f.v, count(*) FROM {table.TABLE}, unnest(facets) AS f(v) "
        f"WHERE {condition}{element_filter} GROUP BY f.v"
    )
    counts: dict[str, dict[str, int]] = {n: {} for n in names}
    for entry, count in session.execute(sa.text(statement), local.values):
        field, _, value = entry.partition(FACET_SEPARATOR)
        if field in counts:
            counts[field][value] = count
    return counts


def _jsonb_counts(session, condition: str, bind: sql.Params, name: str) -> dict[str, int]:
    local = sql.Params()
    local.values.update(bind.values)
    statement = (
        f"SELECT v.value, count(*) FROM {table.TABLE}, "
        f"LATERAL (SELECT DISTINCT value FROM jsonb_array_elements_text(fields -> {local.add(name)})) AS v "
        f"WHERE {condition} GROUP BY v.value"
    )
    return dict(session.execute(sa.text(statement), local.values).all())


def facet_counts(session, condition: str, bind: sql.Params, field_names: Iterable[str],
                 limit: int, mincount: int, by_index: bool) -> dict[str, Any]:
    names = list(dict.fromkeys(sql.check_field_name(str(f)) for f in field_names))
    faceted = [n for n in names if is_faceted(n)]
    counts = _array_counts(session, condition, bind, faceted) if faceted else {}
    for name in names:
        if name not in counts:
            counts[name] = _jsonb_counts(session, condition, bind, name)
    fields = {name: _ordered(counts[name], limit, mincount, by_index) for name in names}
    return {"facet_queries": {}, "facet_fields": fields, "facet_ranges": {}, "facet_intervals": {}}
