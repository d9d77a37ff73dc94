"""Database connections never cross a fork.

A process forked after CKAN started (``ckan search-index rebuild-fast``, the DCAT dump's
workers, a pre-forking web server) inherits the parent's pooled PostgreSQL connections.
Two processes talking over one socket interleave their messages; ``rebuild-fast``
simply hung. The child drops what it inherited, without closing it (the socket still
belongs to the parent), and opens its own connections on first use.
"""
from __future__ import annotations

import os

from ckan import model

_installed = False


def forget_inherited_connections() -> None:
    """In a fresh child: drop the inherited session and pool, leaving the parent's sockets alone."""
    model.Session.registry.clear()
    engine = getattr(model.meta, "engine", None)
    if engine is not None:
        engine.dispose(close=False)


def install() -> None:
    """Run :func:`forget_inherited_connections` in every child forked from now on (idempotent)."""
    global _installed
    if not _installed:
        os.register_at_fork(after_in_child=forget_inherited_connections)
        _installed = True
