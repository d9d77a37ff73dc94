"""Auth for the chained ckanext-dcat catalogue actions: unchanged (the catalogue is public)."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan.types import AuthFunction, AuthResult, Context, DataDict

__all__ = ["dcat_catalog_show", "dcat_catalog_search"]


@tk.chained_auth_function
@tk.auth_allow_anonymous_access
def dcat_catalog_show(next_auth: AuthFunction, context: Context, data_dict: DataDict) -> AuthResult:
    return next_auth(context, data_dict)


@tk.chained_auth_function
@tk.auth_allow_anonymous_access
def dcat_catalog_search(next_auth: AuthFunction, context: Context, data_dict: DataDict) -> AuthResult:
    return next_auth(context, data_dict)
