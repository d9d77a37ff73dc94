"""Facet counts and pages cached per index version, like Solr's caches between commits.

Counting six facets over every visible dataset is the dearest part of the
``/dataset`` page and it gives the same answer until the index changes. Each
transaction that wrote to the index bumps ``hamm_search_version`` just before
it commits (the row lock lives for the commit only), so an entry cached under
(token, version) is exact for every snapshot that reads the same pair. A
transaction with its own uncommitted index writes never uses the cache.

The same version keys the rendered pages of anonymous visitors
(``ckanext/hamm/views/page_cache.py``); writes that change what those pages
show without touching the index (data requests on the home page) call
:func:`mark_written` too.
"""
from __future__ import annotations

import collections
import threading
from typing import Any, Hashable, Optional

import sqlalchemy as sa

from . import table

MAX_ENTRIES = 256
MAX_PAGES = 64
_DIRTY = "hamm_search_dirty"
_BUMP = sa.text(f"UPDATE {table.VERSION_TABLE} SET version = version + 1")
_READ = sa.text(f"SELECT token, version FROM {table.VERSION_TABLE}")


class Lru:
    """A small thread-safe least-recently-used store (one per worker process)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: "collections.OrderedDict[Hashable, Any]" = collections.OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Any:
        with self._lock:
            value = self._entries.get(key)
            if value is not None:
                self._entries.move_to_end(key)
            return value

    def put(self, key: Hashable, value: Any) -> None:
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)


_facets = Lru(MAX_ENTRIES)
pages = Lru(MAX_PAGES)


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
    return _facets.get(key)


def put(key: Hashable, value: Any) -> None:
    _facets.put(key, value)
