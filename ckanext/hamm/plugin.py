"""Plugin classes of ckanext-hamm: interface wiring only, the logic lives in modules."""
from __future__ import annotations

from typing import Any, Optional

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.common import CKANConfig
from ckan.lib.plugins import DefaultTranslation

from ckanext.hamm import config as hamm_config
from ckanext.hamm import login as hamm_login
from ckanext.hamm import previews
from ckanext.hamm.dataset import api_labels, indexing, origin
from ckanext.hamm.dataset import licences as schema_config
from ckanext.hamm.inventory import rules as inventory_rules
from ckanext.hamm.inventory import visibility as inventory_visibility
from ckanext.hamm.logic import action as hamm_actions
from ckanext.hamm.login import throttle
from ckanext.hamm.patches import forking, pager, profile_lookup, queue_timeout, turtle
from ckanext.hamm.server.health import HealthMiddleware
from ckanext.hamm.vocabularies import store as vocabulary
from ckanext.xloader.interfaces import IXloader


@tk.blanket.config_declarations
@tk.blanket.cli
@tk.blanket.actions(hamm_actions.actions)
@tk.blanket.auth_functions
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
        tk.add_template_directory(config, "templates")
        tk.add_public_directory(config, "public")
        tk.add_resource("assets", "ckanext-hamm")
        turtle.install()
        profile_lookup.install()
        forking.install()
        pager.install()
        queue_timeout.install()
        previews.keep_loader_jobs_in_main_database(config)

    # IPackageController: vocab_* keys and labelled facets (ckanext/hamm/dataset/indexing.py)
    def before_dataset_index(self, pkg_dict: dict[str, Any]) -> dict[str, Any]:
        return indexing.before_dataset_index(pkg_dict)

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
        return inventory_visibility.labels().get_dataset_labels(dataset_obj)

    def get_user_dataset_labels(self, user_obj: Any) -> list[str]:
        return inventory_visibility.labels().get_user_dataset_labels(user_obj)

    # IAuthenticator + ISignal: failed sign-ins throttled (ckanext/hamm/login/)
    def login(self) -> Any:
        return throttle.refused_login_page()

    def authenticate(self, identity: dict[str, Any]) -> None:
        throttle.guard(identity)
        return None

    def get_signal_subscriptions(self) -> Any:
        return hamm_login.signal_subscriptions()

    # IMiddleware: /healthz answers before CKAN's request set-up touches the database
    def make_middleware(self, app: Any, config: CKANConfig) -> Any:
        return HealthMiddleware(app)

    # IXloader: only uploads and links to the city's own hosts get a table preview
    def can_upload(self, resource_id: str) -> bool:
        return previews.may_load(resource_id)

    def after_upload(self, context: Any, resource_dict: dict[str, Any], dataset_dict: dict[str, Any]) -> None:
        previews.forget_stale_row_count(resource_dict["id"])
