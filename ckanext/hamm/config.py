"""The only module that spells ``ckanext.hamm.*`` config keys (declared in config_declaration.yaml)."""
from __future__ import annotations

import ckan.plugins.toolkit as tk


def demo_sysadmin_name() -> str:
    return tk.config["ckanext.hamm.demo.sysadmin_name"]
