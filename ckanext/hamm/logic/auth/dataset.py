"""Refusals that name nothing the caller did not know; internal entries' data stay with their department."""
from __future__ import annotations

from typing import Callable

import ckan.plugins.toolkit as tk
from ckan.types import AuthResult, Context, DataDict

from ckanext.hamm.inventory import visibility

__all__ = ["package_show", "resource_show"]


@tk.chained_auth_function
@tk.auth_allow_anonymous_access
def package_show(next_auth: Callable[[Context, DataDict], AuthResult], context: Context,
                 data_dict: DataDict) -> AuthResult:
    """CKAN's refusal names the dataset's id, which tells a caller who asked by name what the id of a private one is."""
    result = next_auth(context, data_dict)
    if result.get("success"):
        return result
    return {"success": False, "msg": tk._("You are not allowed to see this dataset.")}


@tk.chained_auth_function
@tk.auth_allow_anonymous_access
def resource_show(next_auth: Callable[[Context, DataDict], AuthResult], context: Context,
                  data_dict: DataDict) -> AuthResult:
    """Staff of other departments read an internal entry's metadata, not its data (downloads, previews)."""
    result = next_auth(context, data_dict)
    if result.get("success") and not visibility.resource_allowed(context, str(data_dict.get("id") or "")):
        return {"success": False, "msg": tk._(
            "Die Daten dieses Eintrags sind nur für die zuständige Abteilung zugänglich. / "
            "The data of this entry are available to the owning department only.")}
    return result
