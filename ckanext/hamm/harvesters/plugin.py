"""The ``hamm_rvr`` plugin: the RVR harvester plus the locks on harvest metadata (wiring only)."""
from __future__ import annotations

from typing import Any

import ckan.plugins as p

from . import access
from .harvester import HammRvrHarvester


class HammRvrPlugin(HammRvrHarvester):
    """Harvests opendata.ruhr (ckanext-harvest IHarvester); harvest metadata becomes staff-only."""

    p.implements(p.IAuthFunctions)
    p.implements(p.IActions)
    p.implements(p.IPackageController, inherit=True)

    def get_auth_functions(self) -> dict[str, Any]:
        return access.auth_functions()

    def get_actions(self) -> dict[str, Any]:
        return access.actions()

    def after_dataset_search(self, search_results: dict[str, Any], search_params: dict[str, Any]) -> dict[str, Any]:
        return access.strip_source_configs(search_results)
