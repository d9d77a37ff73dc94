"""Plugin classes of ckanext-hamm: interface wiring only, the logic lives in modules."""
from __future__ import annotations

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.common import CKANConfig

from ckanext.hamm.search.plugin import HammSearchPlugin  # noqa: F401  (entry point moved there)


@tk.blanket.config_declarations
@tk.blanket.cli
@tk.blanket.actions
@tk.blanket.auth_functions
@tk.blanket.helpers
@tk.blanket.validators
@tk.blanket.blueprints
class HammPlugin(p.SingletonPlugin):
    """The Hamm portal: schema, templates, helpers, actions and commands."""

    p.implements(p.IConfigurer)

    def update_config(self, config: CKANConfig) -> None:
        tk.add_template_directory(config, "templates")
        tk.add_public_directory(config, "public")
