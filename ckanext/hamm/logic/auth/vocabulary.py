"""The vocabularies are public: anyone, also anonymous, may read them."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan.types import AuthResult, Context, DataDict

__all__ = ["hamm_vocabulary_list", "hamm_vocabulary_show"]


@tk.auth_allow_anonymous_access
def hamm_vocabulary_list(context: Context, data_dict: DataDict) -> AuthResult:
    return {"success": True}


@tk.auth_allow_anonymous_access
def hamm_vocabulary_show(context: Context, data_dict: DataDict) -> AuthResult:
    return {"success": True}
