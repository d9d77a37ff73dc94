"""Refusals that name nothing the caller did not already know."""
from __future__ import annotations

from typing import Callable

import ckan.plugins.toolkit as tk
from ckan.types import AuthResult, Context, DataDict

__all__ = ["package_show"]


@tk.chained_auth_function
@tk.auth_allow_anonymous_access
def package_show(next_auth: Callable[[Context, DataDict], AuthResult], context: Context,
                 data_dict: DataDict) -> AuthResult:
    """CKAN's refusal names the dataset's id, which tells a caller who asked by name what the id of a private one is."""
    result = next_auth(context, data_dict)
    if result.get("success"):
        return result
    return {"success": False, "msg": tk._("You are not allowed to see this dataset.")}
