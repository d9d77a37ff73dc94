"""Facet counts cached per index version, like Solr's caches between commits.

Counting six facets over every visible dataset is the dearest part of the
``/dataset`` page and it gives the same answer until the index changes. Each
transaction that wrote to the index bumps ``hamm_search_version`` just before
it commits (the row lock lives for the commit only), so an entry cached under
(token, version) is exact for every snapshot that reads the same pair. A
transaction with its own uncommitted index writes never uses the cache.
"""
from __future__ import annotations

import collections
import threading
from typing import Any, Hashable, Optional

import sqlalchemy as sa

from . import table

MAX_ENTRIES = 256
_DIRTY = "hamm_search_dirty"
_BUMP = sa.text(f"UPDATE {table.VERSION_TABLE} SET version = version + 1")
_READ = sa.text(f"SELECT token, version FROM {table.VERSION_TABLE}")

_entries: "collections.OrderedDict[Hashable, Any]" = collections.OrderedDict()
_lock = threading.Lock()


def mark_written(session) -> None:
    session.info[_DIRTY] = True


def bump_if_written(session) -> None:
    """Called before the session commits (after buffered writes are flushed)."""
    if session.info.pop(_DIRTY, None):
        session.execute(_BUMP)


def forget_writes(session) -> None:
    session.info.pop(_DIRTY, None)


def bump(connection) -> None:
    """For bulk writes that run in a transaction of their own."""
    connection.execute(_BUMP)


def version(session) -> Optional[tuple[str, int]]:
    """The index version this snapshot sees, or None when the cache must not be used."""
    if session.info.get(_DIRTY):
        return None
    row = session.execute(_READ).first()
    return tuple(row) if row else None


def get(key: Hashable) -> Any:
    with _lock:
        value = _entries.get(key)
        if value is not None:
            _entries.move_to_end(key)
        return value


def put(key: Hashable, value: Any) -> None:
    with _lock:
        _entries[key] = value
        _entries.move_to_end(key)
        while len(_entries) > MAX_ENTRIES:
            _entries.popitem(last=False)
