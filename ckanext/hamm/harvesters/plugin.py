"""The ``hamm_rvr`` plugin: the RVR harvester plus the locks on harvest metadata (wiring only)."""
from __future__ import annotations

from typing import Any

import ckan.plugins as p

from ckanext.hamm.publish import takeover
from ckanext.hamm.publish import views as publish_views

from . import access, suggestion
from . import views as suggestion_views
from .harvester import HammDcatHarvester, HammRvrHarvester


class HammRvrPlugin(access.HarvestStaffLabels, HammRvrHarvester):
    """Harvests opendata.ruhr (ckanext-harvest IHarvester); harvest metadata becomes staff-only;
    staff can take a harvested dataset over so Hamm publishes it (ckanext/hamm/publish/) and confirm
    the Handlungsfeld the harvest suggested (suggestion.py)."""

    p.implements(p.IAuthFunctions)
    p.implements(p.IActions)
    p.implements(p.IPackageController, inherit=True)
    p.implements(p.IBlueprint)
    p.implements(p.ITemplateHelpers)
    p.implements(p.IPermissionLabels)

    def get_auth_functions(self) -> dict[str, Any]:
        return dict(access.auth_functions(), hamm_rvr_takeover=takeover.hamm_rvr_takeover_auth,
                    hamm_harvest_suggestion_confirm=suggestion.hamm_harvest_suggestion_confirm_auth)

    def get_actions(self) -> dict[str, Any]:
        return dict(access.actions(), hamm_rvr_takeover=takeover.hamm_rvr_takeover,
                    hamm_harvest_suggestion_confirm=suggestion.hamm_harvest_suggestion_confirm)

    def get_blueprint(self) -> Any:
        return [publish_views.hamm_rvr_takeover, suggestion_views.hamm_harvest_suggestion]

    def get_helpers(self) -> dict[str, Any]:
        return {"hamm_rvr_takeover_possible": takeover.hamm_rvr_takeover_possible,
                "hamm_harvest_suggestion": suggestion.hamm_harvest_suggestion}

    def after_dataset_search(self, search_results: dict[str, Any], search_params: dict[str, Any]) -> dict[str, Any]:
        return access.strip_source_configs(search_results)


class HammDcatPlugin(HammDcatHarvester):
    """Harvests any DCAT-AP.de catalogue (IHarvester); load it together with ``hamm_rvr``,
    which adds the locks on harvest metadata."""
