"""``package_create``/``package_update`` with the Hamm defaults, without the output-only origin mark and labels."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import Action, Context, DataDict

from ckanext.hamm.dataset import api_labels, defaults as dataset_defaults, origin

__all__ = ["package_create", "package_update"]


@tk.chained_action
def package_create(original_action: Action, context: Context, data_dict: DataDict) -> Any:
    """Core ``package_create`` (auth included) after filling empty fields from the organisation."""
    data_dict = api_labels.strip(origin.strip(dict(data_dict)))
    if data_dict.get("type", "dataset") == "dataset":
        data_dict = dataset_defaults.apply(data_dict)
    return original_action(context, data_dict)


@tk.chained_action
def package_update(original_action: Action, context: Context, data_dict: DataDict) -> Any:
    """Core ``package_update`` (auth included); a returned origin mark or label extra is not stored."""
    return original_action(context, api_labels.strip(origin.strip(dict(data_dict))))
