"""The judged query set of ``bench/relevance.py`` is what the issue asks for (the bench itself is not a test)."""
from __future__ import annotations

from collections import Counter

from bench import relevance


def test_at_least_80_judged_queries_in_every_class():
    assert len(relevance.QUERIES) >= 80
    per_class = Counter(klass for klass, *_ in relevance.QUERIES)
    assert set(per_class) == set(relevance.CLASSES)
    assert min(per_class.values()) >= 10


def test_every_query_names_what_must_be_found():
    for _klass, query, must, best in relevance.QUERIES:
        assert query.strip() and must, query
        assert not best or set(best) <= set(must), query
    assert len({q for _, q, *_ in relevance.QUERIES}) == len(relevance.QUERIES)  # no query judged twice
