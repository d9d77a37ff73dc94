"""The ``hamm_search`` plugin: wiring only.

It lives apart from ``ckanext/hamm/plugin.py`` so that loading it never
imports the ``hamm`` plugin's actions, views and helpers: a portal (or a
benchmark) can keep its index in PostgreSQL with ``hamm_search`` alone.
"""
from __future__ import annotations

from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.common import CKANConfig

from . import connection, install, rebuild


@tk.blanket.config_declarations
class HammSearchPlugin(p.SingletonPlugin):
    """Keeps CKAN's search index in PostgreSQL; leave it out to use Solr."""

    p.implements(p.IConfigurer)
    p.implements(p.IActions)
    p.implements(p.IPackageController, inherit=True)

    def update_config(self, config: CKANConfig) -> None:
        install.install()

    def get_actions(self) -> dict[str, Any]:
        return {"vocabulary_show": rebuild.vocabulary_show}

    def before_dataset_search(self, search_params: dict[str, Any]) -> dict[str, Any]:
        """``ext_min_score_ratio`` of ``package_search`` reaches the index (CKAN keeps extras from it)."""
        return connection.pass_floor(search_params)
