"""Quality scores are readable by whoever may read the dataset; Kennzahlen are public."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan.types import AuthResult, Context, DataDict

__all__ = ["hamm_quality_show", "hamm_kennzahlen_show"]


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
