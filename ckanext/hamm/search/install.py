"""Point CKAN's search layer at the PostgreSQL connection.

CKAN looks ``make_connection`` up as a module global in three modules, and
ckanext-harvest binds its own copy at import time, so each binding is
replaced — harvest's only if it is already imported: importing it would map
harvest's tables onto ``Package``, and with the harvest plugin off (its tables
absent) every dataset purge would then query ``harvest_object`` and fail. A
harvest module imported later binds the already replaced function. The Solr
schema check is replaced too: it would otherwise fetch ``solr_url`` over HTTP
at start-up. ``search-index rebuild`` is routed through
``rebuild.py``. ``search-index clear <name>`` commits its delete: a one-dataset
delete rides the caller's transaction, and that command has no one to commit it.
"""
from __future__ import annotations

import importlib
import logging
import sys

from ckanext.hamm.patches import forking

from . import rebuild, writer
from .connection import make_connection

log = logging.getLogger(__name__)

_BINDINGS = (
    "ckan.lib.search.common",
    "ckan.lib.search.index",
    "ckan.lib.search.query",
    "ckan.lib.search",
)
_OPTIONAL_BINDINGS = ("ckanext.harvest.logic.action.update",)


def _schema_check_not_needed(schema_file=None) -> bool:
    log.info("hamm_search: datasets are indexed in PostgreSQL; no Solr schema to check")
    return True


def _clear_and_commit(package_reference: str) -> None:
    from ckan import model

    _core_clear(package_reference)
    model.Session.commit()


_core_clear = importlib.import_module("ckan.lib.search").clear


def install() -> None:
    """Idempotently route every search binding to PostgreSQL."""
    modules = [importlib.import_module(name) for name in _BINDINGS]
    modules += [sys.modules[name] for name in _OPTIONAL_BINDINGS if name in sys.modules]
    for module in modules:
        module.make_connection = make_connection  # type: ignore[attr-defined]
    search = importlib.import_module("ckan.lib.search")
    search.check_solr_schema_version = _schema_check_not_needed  # type: ignore[attr-defined]
    search.clear = _clear_and_commit  # type: ignore[attr-defined]
    from ckan import model

    writer.install_session_hooks(model.Session)
    rebuild.install()
    forking.install()


def installed() -> bool:
    return importlib.import_module("ckan.lib.search.common").make_connection is make_connection
