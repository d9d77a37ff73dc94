"""``package_create`` with the Hamm defaults (see ``ckanext/hamm/dataset_defaults.py``)."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import Action, Context, DataDict

from ckanext.hamm import dataset_defaults

__all__ = ["package_create"]


@tk.chained_action
def package_create(original_action: Action, context: Context, data_dict: DataDict) -> Any:
    """Core ``package_create`` (auth included) after filling empty fields from the organisation."""
    if data_dict.get("type", "dataset") == "dataset":
        data_dict = dataset_defaults.apply(dict(data_dict))
    return original_action(context, data_dict)
