"""ext_bbox SQL against a brute-force Solr evaluation on random extents (no index, no plugins).

For ckanext-spatial's solr-bbox query Solr keeps a document when 0 < f <= 1, with
f = 2·overlap / (query area + box area) and a missing field read as 0. The SQL
``spatial.frange_condition`` builds (GiST prefilter included) must keep exactly those.
"""
from __future__ import annotations

import random

import pytest
import sqlalchemy as sa
from ckan import model

from ckanext.hamm.search import spatial, sql

BOXES = 2000
QUERIES = 25


def _solr_keeps(q, box) -> bool:
    qminx, qminy, qmaxx, qmaxy = q
    minx, miny, maxx, maxy = box if box else (0.0, 0.0, 0.0, 0.0)
    overlap = max(0.0, min(qmaxx, maxx) - max(qminx, minx)) * max(0.0, min(qmaxy, maxy) - max(qminy, miny))
    area = abs(qmaxx - qminx) * abs(qmaxy - qminy) + (maxy - miny) * (maxx - minx)
    if area == 0:
        return False
    value = 2 * overlap / area
    return 0 < value <= 1


def _function(q) -> str:
    """The bf/frange function exactly as ckanext-spatial 2.3.2 formats it."""
    qminx, qminy, qmaxx, qmaxy = q
    return (f"div(mul(mul(max(0,sub(min({qmaxx},maxx),max({qminx},minx))),"
            f"max(0,sub(min({qmaxy},maxy),max({qminy},miny)))),2),"
            f"add({abs(qmaxx - qminx) * abs(qmaxy - qminy)},mul(sub(maxy,miny),sub(maxx,minx))))")


def _random_box(rng: random.Random):
    if rng.random() < 0.05:
        return None  # a dataset without extent
    x, y = rng.uniform(7.5, 8.1), rng.uniform(51.5, 51.85)
    if rng.random() < 0.1:
        return (x, y, x, y)  # a point
    return (x, y, x + rng.uniform(0.001, 0.3), y + rng.uniform(0.001, 0.2))


@pytest.mark.usefixtures("with_request_context")
def test_frange_sql_keeps_exactly_what_solr_keeps():
    rng = random.Random(28)
    boxes = [_random_box(rng) for _ in range(BOXES)]
    queries = [_random_box(rng) or (7.7, 51.6, 7.9, 51.7) for _ in range(QUERIES)]
    queries = [q if q[0] != q[2] else (q[0], q[1], q[0] + 0.05, q[1] + 0.05) for q in queries]
    rows = ", ".join(
        f"({i}, {b[0]}, {b[1]}, {b[2]}, {b[3]})" if b else f"({i}, NULL, NULL, NULL, NULL)"
        for i, b in enumerate(boxes))
    table = (f"(SELECT * FROM (VALUES {rows}) AS v(i, minx, miny, maxx, maxy)) AS t")
    for q in queries:
        bind = sql.Params()
        condition = spatial.frange_condition({"incl": "false", "l": "0", "u": "1"}, _function(q), bind)
        found = {r[0] for r in model.Session.execute(sa.text(f"SELECT i FROM {table} WHERE {condition}"),
                                                     bind.values)}
        expected = {i for i, b in enumerate(boxes) if _solr_keeps(q, b)}
        assert found == expected, q
