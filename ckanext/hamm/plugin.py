"""Plugin classes of ckanext-hamm: interface wiring only, the logic lives in modules."""
from __future__ import annotations

from typing import Any, Optional

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.common import CKANConfig
from ckan.lib.datapreview import on_same_domain
from ckan.lib.plugins import DefaultPermissionLabels, DefaultTranslation
from flask import Blueprint

from ckanext.geoview.plugin import GeoJSONView, OLGeoView
from ckanext.hamm import config as hamm_config
from ckanext.hamm import login as hamm_login
from ckanext.hamm import previews
from ckanext.hamm.dataset import api_labels, indexing, origin
from ckanext.hamm.dataset import licences as schema_config
from ckanext.hamm.directory import login as directory_login
from ckanext.hamm.harvesters import access, suggestion
from ckanext.hamm.harvesters.csw import HammCswHarvester
from ckanext.hamm.harvesters.harvester import HammDcatHarvester, HammRvrHarvester
from ckanext.hamm.inventory import rules as inventory_rules
from ckanext.hamm.inventory import visibility as inventory_visibility
from ckanext.hamm.logic import action as hamm_actions
from ckanext.hamm.logic import auth as hamm_auth
from ckanext.hamm.login import sessions, throttle
from ckanext.hamm.patches import (
    forking,
    geometry_nodes,
    pager,
    profile_lookup,
    queue_timeout,
    turtle,
    warn_about_upstream_changes,
)
from ckanext.hamm.patches.singleton import OwnInstance
from ckanext.hamm.previews import charts, files, wms
from ckanext.hamm.publish import takeover
from ckanext.hamm.server.health import HealthMiddleware
from ckanext.hamm.views import map_files as map_file_views
from ckanext.hamm.views import rvr as rvr_views
from ckanext.hamm.views import wms as wms_views
from ckanext.hamm.vocabularies import store as vocabulary
from ckanext.xloader.interfaces import IXloader


@tk.blanket.config_declarations
@tk.blanket.cli
@tk.blanket.actions(hamm_actions.actions)
@tk.blanket.auth_functions(hamm_auth.auth_functions)
@tk.blanket.helpers
@tk.blanket.validators
@tk.blanket.blueprints
class HammPlugin(p.SingletonPlugin, DefaultTranslation):
    """The Hamm portal: schema, templates, helpers, actions and commands."""

    p.implements(p.IConfigurer)
    p.implements(p.ITranslation)
    p.implements(p.IPackageController, inherit=True)
    p.implements(p.IFacets, inherit=True)
    p.implements(p.IMiddleware, inherit=True)
    p.implements(IXloader, inherit=True)
    p.implements(p.IPermissionLabels)
    p.implements(p.IAuthenticator, inherit=True)
    p.implements(p.ISignal)

    def update_config(self, config: CKANConfig) -> None:
        schema_config.use_packaged_licences(config)
        hamm_config.switch_off_gravatar(config)
        hamm_config.harden_login_cookies(config)
        tk.add_template_directory(config, "templates")
        tk.add_public_directory(config, "public")
        tk.add_resource("assets", "ckanext-hamm")
        turtle.install()
        profile_lookup.install()
        geometry_nodes.install()
        forking.install()
        pager.install()
        queue_timeout.install()
        warn_about_upstream_changes()  # docs/upstream.md
        previews.keep_loader_jobs_in_main_database(config)

    # IPackageController: files of harvested and seeded records get their table preview too
    def after_dataset_create(self, context: Any, pkg_dict: dict[str, Any]) -> None:
        previews.load_new_files(pkg_dict["id"])

    def after_dataset_update(self, context: Any, pkg_dict: dict[str, Any]) -> None:
        previews.load_new_files(pkg_dict["id"])

    # IPackageController: vocab_* keys and labelled facets (ckanext/hamm/dataset/indexing.py)
    def before_dataset_index(self, pkg_dict: dict[str, Any]) -> dict[str, Any]:
        return indexing.before_dataset_index(pkg_dict, inventory_rules.index_keys,
                                             inventory_visibility.strip_index_document)

    def after_dataset_show(self, context: Any, pkg_dict: dict[str, Any]) -> dict[str, Any]:
        pkg_dict = inventory_visibility.after_show(context, inventory_rules.with_defaults(pkg_dict))
        return api_labels.add(origin.mark(pkg_dict))

    def before_dataset_search(self, search_params: dict[str, Any]) -> dict[str, Any]:
        return inventory_visibility.before_search(search_params)

    def after_dataset_search(self, search_results: dict[str, Any],
                             search_params: dict[str, Any]) -> dict[str, Any]:
        indexing.label_facet_items(search_results.get("search_facets") or {},
                                   vocabulary.current_language())
        return inventory_visibility.after_search(search_results)

    # IFacets: the Hamm dimensions and EU themes on /dataset and organisation pages
    def dataset_facets(self, facets_dict: dict[str, Any], package_type: str) -> dict[str, Any]:
        return indexing.add_facets(facets_dict)

    def organization_facets(self, facets_dict: dict[str, Any], organization_type: str,
                            package_type: Optional[str]) -> dict[str, Any]:
        return indexing.add_facets(facets_dict)

    # IPermissionLabels: city staff see every inventory entry (ckanext/hamm/inventory/visibility.py)
    def get_dataset_labels(self, dataset_obj: Any) -> list[str]:
        return _permission_labels().get_dataset_labels(dataset_obj)

    def get_user_dataset_labels(self, user_obj: Any) -> list[str]:
        return _permission_labels().get_user_dataset_labels(user_obj)

    # IAuthenticator + ISignal: failed sign-ins throttled, sessions revocable (ckanext/hamm/login/)
    def login(self) -> Any:
        return throttle.refused_login_page()

    def identify_user(self, user_id: Optional[str] = None) -> Any:
        return sessions.identify(user_id)

    def authenticate(self, identity: dict[str, Any]) -> Any:
        throttle.guard(identity)
        return directory_login.authenticate(identity)  # staff from the directory (ckanext/hamm/directory/)

    def get_signal_subscriptions(self) -> Any:
        return hamm_login.signal_subscriptions()

    # IMiddleware: /healthz answers before CKAN's request set-up touches the database
    def make_middleware(self, app: Any, config: CKANConfig) -> Any:
        return HealthMiddleware(app)

    # IXloader: only uploads and links to the city's own hosts get a table preview
    def can_upload(self, resource_id: str) -> bool:
        return previews.may_load(resource_id)

    def after_upload(self, context: Any, resource_dict: dict[str, Any], dataset_dict: dict[str, Any]) -> None:
        previews.label_columns(resource_dict["id"])
        previews.forget_stale_row_count(resource_dict["id"])


class _InventoryAndHarvestLabels(inventory_visibility.InventoryLabelsMixin, access.HarvestStaffLabels):
    pass


def _permission_labels() -> DefaultPermissionLabels:
    """CKAN asks only the first ``IPermissionLabels`` plugin (``hamm``): it also carries the
    harvest sources' staff-only labels when ``hamm_rvr`` is loaded."""
    if p.plugin_loaded("hamm_rvr"):
        return _InventoryAndHarvestLabels()
    return inventory_visibility.InventoryLabels()


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
        return [rvr_views.hamm_rvr_takeover, rvr_views.hamm_harvest_suggestion]

    def get_helpers(self) -> dict[str, Any]:
        return {"hamm_rvr_takeover_possible": takeover.hamm_rvr_takeover_possible,
                "hamm_harvest_suggestion": suggestion.hamm_harvest_suggestion}

    def after_dataset_search(self, search_results: dict[str, Any], search_params: dict[str, Any]) -> dict[str, Any]:
        return access.strip_source_configs(search_results)


class HammDcatPlugin(HammDcatHarvester):
    """Harvests any DCAT-AP.de catalogue (IHarvester); load it together with ``hamm_rvr``,
    which adds the locks on harvest metadata."""


class HammCswPlugin(HammCswHarvester):
    """Harvests the city's geoportal (CSW 2.0.2, ISO 19139) with ckanext-spatial (IHarvester,
    ISpatialHarvester hooks of its base), through the portal's URL policy."""


class WMSMapView(OLGeoView):
    """ckanext-geoview's OpenLayers viewer, for WMS of the city's map hosts only.

    It serves the capabilities route of ``views/wms.py`` instead of geoview's open service proxy.
    """

    def info(self) -> dict[str, Any]:
        info = dict(super().info())
        info.update(name="hamm_wms_view", title=tk._("Map (WMS)"), default_title=tk._("Map"))
        return info

    def can_view(self, data_dict: dict[str, Any]) -> bool:
        return wms.may_show(data_dict["resource"])

    def setup_template_variables(self, context: Any, data_dict: dict[str, Any]) -> dict[str, Any]:
        variables = super().setup_template_variables(context, data_dict)
        resource = data_dict["resource"]
        resource["format"] = "wms"  # the viewer picks its layer reader by the format's name
        variables["proxy_service_url"] = tk.url_for("hamm_wms.capabilities_view", id=resource["package_id"],
                                                    resource_id=resource["id"])
        variables["proxy_url"] = ""
        variables["basemapsConfig"] = variables.get("basemapsConfig") or wms.base_maps()
        return variables

    def get_blueprint(self) -> list[Blueprint]:
        return [wms_views.hamm_wms]


class LinkedGeoJSONView(OwnInstance, GeoJSONView):
    """ckanext-geoview's GeoJSON map for files linked on the listed hosts (``geojson_view``
    takes the uploads): the map reads the file through ``views/map_files.py``."""

    p.implements(p.IBlueprint)

    def info(self) -> dict[str, Any]:
        return dict(super().info(), name="hamm_geojson_view")

    def can_view(self, data_dict: dict[str, Any]) -> bool:
        return not on_same_domain(data_dict) and map_file_views.may_show(data_dict["resource"])

    def setup_template_variables(self, context: Any, data_dict: dict[str, Any]) -> dict[str, Any]:
        resource = data_dict["resource"]
        resource["original_url"] = resource.get("url")
        resource["url"] = tk.url_for("hamm_map_files.geojson_view", id=resource["package_id"],
                                     resource_id=resource["id"])
        return {}

    def get_blueprint(self) -> list[Blueprint]:
        return [map_file_views.hamm_map_files]


class ChartView(p.SingletonPlugin):
    """A line or bar chart of a DataStore table, made by default for tables that fit
    (``previews/charts.py``); drawn as SVG with its figures as a table."""

    p.implements(p.IResourceView, inherit=True)

    def info(self) -> dict[str, Any]:
        return {"name": "hamm_chart_view", "title": tk._("Chart"), "default_title": tk._("Chart"),
                "icon": "chart-line", "iframed": False, "requires_datastore": True, "always_available": False}

    def can_view(self, data_dict: dict[str, Any]) -> bool:
        resource = data_dict["resource"]
        return bool(resource.get("datastore_active")) and charts.chart_of_resource(resource["id"]) is not None

    def view_template(self, context: Any, data_dict: dict[str, Any]) -> str:
        return "hamm/views/chart.html"

    def setup_template_variables(self, context: Any, data_dict: dict[str, Any]) -> dict[str, Any]:
        chart = charts.chart_of_resource(data_dict["resource"]["id"])
        return {"chart": chart, "geometry": charts.geometry(chart) if chart else None}


class JSONTableView(p.SingletonPlugin):
    """A table of a JSON file linked on the listed hosts (a list of records), read by the
    portal within bounds (``previews/files.py``); its first 200 rows."""

    p.implements(p.IResourceView, inherit=True)

    def info(self) -> dict[str, Any]:
        return {"name": "hamm_json_view", "title": tk._("Table"), "default_title": tk._("Table"),
                "icon": "table", "iframed": False, "always_available": False}

    def can_view(self, data_dict: dict[str, Any]) -> bool:
        resource = data_dict["resource"]
        return (resource.get("format") or "").strip().lower() in files.JSON_FORMATS and \
            files.link_allowed(resource.get("url"))

    def view_template(self, context: Any, data_dict: dict[str, Any]) -> str:
        return "hamm/views/json_table.html"

    def setup_template_variables(self, context: Any, data_dict: dict[str, Any]) -> dict[str, Any]:
        return {"table": files.json_table(data_dict["resource"]["url"])}
