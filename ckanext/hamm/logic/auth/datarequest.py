"""Who may do what with data requests: anyone asks and votes, staff of the responsible
organisation (editors, admins) or sysadmins triage."""
from __future__ import annotations

from typing import Optional

import ckan.authz as authz
import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import AuthResult, Context, DataDict

from ckanext.hamm.model.datarequest import DataRequest

__all__ = [
    "hamm_datarequest_create", "hamm_datarequest_show", "hamm_datarequest_list",
    "hamm_datarequest_update", "hamm_datarequest_vote",
]

TRIAGE_PERMISSION = "update_dataset"


def _org_id(value: Optional[str]) -> Optional[str]:
    if not value:
        return None
    group = model.Group.get(value)
    return group.id if group is not None and group.is_organization else None


def can_triage(user: Optional[str], org_id: Optional[str]) -> bool:
    """Sysadmins always; otherwise editors and admins of ``org_id`` (members only read)."""
    if not user:
        return False
    if authz.is_sysadmin(user):
        return True
    return bool(org_id) and authz.has_user_permission_for_group_or_org(org_id, user, TRIAGE_PERMISSION)


@tk.auth_allow_anonymous_access
def hamm_datarequest_create(context: Context, data_dict: DataDict) -> AuthResult:
    return {"success": True}


@tk.auth_allow_anonymous_access
def hamm_datarequest_show(context: Context, data_dict: DataDict) -> AuthResult:
    return {"success": True}


@tk.auth_allow_anonymous_access
def hamm_datarequest_list(context: Context, data_dict: DataDict) -> AuthResult:
    return {"success": True}


@tk.auth_allow_anonymous_access
def hamm_datarequest_vote(context: Context, data_dict: DataDict) -> AuthResult:
    return {"success": True}


def hamm_datarequest_update(context: Context, data_dict: DataDict) -> AuthResult:
    request = DataRequest.get(data_dict.get("id"))
    if request is None:
        raise tk.ObjectNotFound(tk._("Data request not found"))
    user = context.get("user")
    if not can_triage(user, request.owner_org):
        return {"success": False,
                "msg": tk._("Only staff of the responsible organisation can triage this data request")}
    target = data_dict.get("owner_org")
    if target and _org_id(target) != request.owner_org and not authz.is_sysadmin(user) \
            and not can_triage(user, _org_id(target)):
        return {"success": False,
                "msg": tk._("You can only hand a data request to an organisation you work for")}
    return {"success": True}
