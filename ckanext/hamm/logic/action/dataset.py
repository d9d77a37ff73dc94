"""``package_create``/``package_update``: Hamm defaults and inventory rules; output-only marks and labels dropped."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Action, Context, DataDict

from ckanext.hamm.dataset import api_labels, origin
from ckanext.hamm.dataset import defaults as dataset_defaults
from ckanext.hamm.inventory import rules as inventory_rules

__all__ = ["package_create", "package_update"]


@tk.chained_action
def package_create(original_action: Action, context: Context, data_dict: DataDict) -> Any:
    """Core ``package_create`` (auth included) after filling empty fields from the organisation."""
    data_dict = api_labels.strip(origin.strip(dict(data_dict)))
    if data_dict.get("type", "dataset") == "dataset":
        data_dict = inventory_rules.apply(context, dataset_defaults.apply(data_dict), None)
    return original_action(context, data_dict)


@tk.chained_action
def package_update(original_action: Action, context: Context, data_dict: DataDict) -> Any:
    """Core ``package_update`` (auth included); a returned origin mark or label extra is not stored."""
    data_dict = api_labels.strip(origin.strip(dict(data_dict)))
    stored = model.Package.get(data_dict.get("id") or data_dict.get("name") or "")
    if stored is not None and stored.type == "dataset":
        data_dict = inventory_rules.apply(context, data_dict, stored)
    return original_action(context, data_dict)
