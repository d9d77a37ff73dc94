"""Quality scores are readable by whoever may read the dataset; Kennzahlen are public."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan.types import AuthResult, Context, DataDict

from ckanext.hamm.logic.auth.report import hamm_report_list

__all__ = ["hamm_quality_show", "hamm_kennzahlen_show", "hamm_dcat_undeliverable_list"]


@tk.auth_allow_anonymous_access
def hamm_quality_show(context: Context, data_dict: DataDict) -> AuthResult:
    try:
        tk.check_access("package_show", dict(context), {"id": data_dict.get("id")})
    except tk.NotAuthorized:
        return {"success": False, "msg": tk._("Not authorized to read this dataset")}
    return {"success": True}


@tk.auth_allow_anonymous_access
def hamm_kennzahlen_show(context: Context, data_dict: DataDict) -> AuthResult:
    return {"success": True}


def hamm_dcat_undeliverable_list(context: Context, data_dict: DataDict) -> AuthResult:
    """The organisation's editors and admins (and sysadmins): they are the ones who can fix it."""
    result = hamm_report_list(context, data_dict)
    if not result["success"]:
        return {"success": False, "msg": tk._("Only editors of the organisation can see this list.")}
    return result
