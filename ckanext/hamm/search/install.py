"""Point CKAN's search layer at the PostgreSQL connection.

CKAN looks ``make_connection`` up as a module global in three modules, and
ckanext-harvest binds its own copy at import time, so each binding is
replaced. The Solr schema check is replaced too: it would otherwise fetch
``solr_url`` over HTTP at start-up. ``search-index rebuild`` is routed through
``rebuild.py``.
"""
from __future__ import annotations

import importlib
import logging

from ckanext.hamm.patches import forking

from . import rebuild, writer
from .connection import make_connection

log = logging.getLogger(__name__)

_BINDINGS = (
    "ckan.lib.search.common",
    "ckan.lib.search.index",
    "ckan.lib.search.query",
    "ckan.lib.search",
    "ckanext.harvest.logic.action.update",
)


def _schema_check_not_needed(schema_file=None) -> bool:
    log.info("hamm_search: datasets are indexed in PostgreSQL; no Solr schema to check")
    return True


def install() -> None:
    """Idempotently route every search binding to PostgreSQL."""
    for module_name in _BINDINGS:
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue  # ckanext-harvest is optional
        module.make_connection = make_connection  # type: ignore[attr-defined]
    search = importlib.import_module("ckan.lib.search")
    search.check_solr_schema_version = _schema_check_not_needed  # type: ignore[attr-defined]
    from ckan import model

    writer.install_session_hooks(model.Session)
    rebuild.install()
    forking.install()


def installed() -> bool:
    return importlib.import_module("ckan.lib.search.common").make_connection is make_connection
