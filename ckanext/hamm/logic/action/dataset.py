"""``package_create``/``package_update``: Hamm defaults and inventory rules; output-only marks and labels dropped."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Action, Context, DataDict

from ckanext.hamm.dataset import api_labels, origin
from ckanext.hamm.dataset import defaults as dataset_defaults
from ckanext.hamm.inventory import STATUS
from ckanext.hamm.inventory import rules as inventory_rules
from ckanext.hamm.model import inventory_history as inventory_history

__all__ = ["package_create", "package_update", "bulk_update_public"]


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
    if stored is None or stored.type != "dataset":
        return original_action(context, data_dict)
    reason = str(data_dict.pop(inventory_history.REASON_KEY, "") or "").strip()[:2000]
    data_dict = inventory_rules.apply(context, data_dict, stored)
    before = inventory_rules.stored_values(stored)
    result = original_action(context, data_dict)
    after = inventory_rules.stored_values(stored)
    changed = inventory_rules.changes(before, after)
    collected = context.get(inventory_history.CHANGES_CONTEXT_KEY)
    if isinstance(collected, list):  # a workflow step records them with its own row
        collected.extend(changed)
    else:
        inventory_history.record_changes(stored.id, after[STATUS], str(context.get("user") or ""), changed, reason,
                                         commit=not context.get("defer_commit"))
    return result


@tk.chained_action
def bulk_update_public(original_action: Action, context: Context, data_dict: DataDict) -> Any:
    """Core's bulk "make public" (the organisation's bulk page) only when every dataset may become public.

    Core patches each dataset, so the inventory's rules run anyway; checking all of them
    first keeps the action all-or-nothing and names every refused entry at once (409).
    """
    tk.check_access("bulk_update_public", context, data_dict)
    ids = data_dict.get("datasets") or []
    packages = model.Session.query(model.Package).filter(
        model.Package.id.in_(ids if isinstance(ids, list) else [ids]),
        model.Package.owner_org == data_dict.get("org_id"), model.Package.type == "dataset").all()
    refused: list[str] = []
    for package in packages:
        try:
            inventory_rules.apply(dict(context), {"id": package.id, "private": False}, package)
        except tk.ValidationError as error:
            messages = [str(m) for value in error.error_dict.values()
                        for m in (value if isinstance(value, list) else [value])]
            refused.append(f"{package.title or package.name}: {' '.join(messages)}")
    if refused:
        raise tk.ValidationError({"datasets": refused})
    return original_action(context, data_dict)
