"""A dataset's or an organisation's own usage figures are for its editors; the portal's totals are public."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan.types import AuthResult, Context, DataDict

__all__ = ["hamm_usage_show"]


@tk.auth_allow_anonymous_access
def hamm_usage_show(context: Context, data_dict: DataDict) -> AuthResult:
    if data_dict.get("organization"):
        try:
            tk.check_access("package_create", dict(context), {"owner_org": data_dict["organization"]})
        except (tk.NotAuthorized, tk.ObjectNotFound):
            return {"success": False, "msg": tk._("Only editors of the organisation can see its usage figures.")}
        return {"success": True}
    if not data_dict.get("id"):
        return {"success": True}
    try:
        tk.check_access("package_update", dict(context), {"id": data_dict["id"]})
    except (tk.NotAuthorized, tk.ObjectNotFound):
        return {"success": False, "msg": tk._("Only editors of the dataset can see its usage figures.")}
    return {"success": True}
