"""The link and freshness report of a department is for its own staff (and sysadmins)."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import AuthResult, Context, DataDict

from ckanext.hamm.inventory import visibility

__all__ = ["hamm_link_report"]


def hamm_link_report(context: Context, data_dict: DataDict) -> AuthResult:
    """Members of the organisation in any capacity: they own the data and its upkeep."""
    user = model.User.get(context.get("user") or "") if context.get("user") else None
    org = model.Group.get(str(data_dict.get("organization") or "")) if isinstance(
        data_dict.get("organization"), str) else None
    if user is None or org is None or not org.is_organization or not visibility.member_of(user, org.id):
        return {"success": False, "msg": tk._("Only staff of the organisation can see its link report.")}
    return {"success": True}
