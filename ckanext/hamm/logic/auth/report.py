"""Who may do what with "Fehler melden" reports: anyone reports, the owning
organisation's editors and admins (and sysadmins) read and triage them — reports
may hold the reporter's e-mail address, so plain members, other departments and
the public do not."""
from __future__ import annotations

from typing import Optional

import ckan.authz as authz
import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import AuthResult, Context, DataDict

from ckanext.hamm.model import report as report_model

__all__ = ["hamm_report_create", "hamm_report_list", "hamm_report_show", "hamm_report_update",
           "hamm_report_counts"]

STAFF_PERMISSION = "update_dataset"


def organization_id(value: Optional[str]) -> Optional[str]:
    """Id of the organisation named by id or name, or None."""
    if not value:
        return None
    group = model.Group.get(value)
    return group.id if group is not None and group.is_organization and group.state == "active" else None


@tk.auth_allow_anonymous_access
def hamm_report_create(context: Context, data_dict: DataDict) -> AuthResult:
    """No account needed: the form is for citizens; bots are kept out by the form itself."""
    return {"success": True}


def _staff_of(context: Context, org_id: Optional[str]) -> AuthResult:
    user = context.get("user")
    if user and authz.is_sysadmin(user):
        return {"success": True}
    if user and org_id and authz.has_user_permission_for_group_or_org(org_id, user, STAFF_PERMISSION):
        return {"success": True}
    return {"success": False, "msg": tk._("Only editors of the organisation can read its reports.")}


def _report_organization(data_dict: DataDict) -> Optional[str]:
    report = report_model.get(data_dict.get("id"))
    return report.owner_org if report is not None else None


def hamm_report_list(context: Context, data_dict: DataDict) -> AuthResult:
    return _staff_of(context, organization_id(data_dict.get("id") or data_dict.get("owner_org")))


def hamm_report_show(context: Context, data_dict: DataDict) -> AuthResult:
    return _staff_of(context, _report_organization(data_dict))


def hamm_report_update(context: Context, data_dict: DataDict) -> AuthResult:
    """Status, note and reply: the staff who may read the report (they see the same data)."""
    return _staff_of(context, _report_organization(data_dict))


def hamm_report_counts(context: Context, data_dict: DataDict) -> AuthResult:
    """One organisation's counts for its staff; without ``id`` any account (its own organisations)."""
    if data_dict.get("id"):
        return _staff_of(context, organization_id(data_dict.get("id")))
    if context.get("user"):
        return {"success": True}
    return {"success": False, "msg": tk._("Please log in to see the reports of your organisations.")}
