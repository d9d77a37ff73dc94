"""Who may use the Dateninventur spreadsheet: signed-in members of an organisation (staff).

The import checks each row against the organisations the person may create datasets
in (``inventory/cells.py``), so an editor imports only into their own departments.
"""
from __future__ import annotations

import ckan.authz as authz
import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import AuthResult, Context, DataDict

__all__ = ["hamm_inventar_import", "hamm_inventar_export"]


def is_staff(user_name: str) -> bool:
    """A sysadmin, or an active member of at least one organisation."""
    if not user_name:
        return False
    if authz.is_sysadmin(user_name):
        return True
    user = model.User.get(user_name)
    if user is None:
        return False
    return model.Session.query(model.Member).join(model.Group, model.Group.id == model.Member.group_id).filter(
        model.Member.table_name == "user", model.Member.table_id == user.id, model.Member.state == "active",
        model.Group.is_organization.is_(True), model.Group.state == "active").first() is not None


def _staff_only(context: Context) -> AuthResult:
    if is_staff(context.get("user") or ""):
        return {"success": True}
    return {"success": False, "msg": tk._("Only members of an organisation can use the inventory spreadsheet.")}


def hamm_inventar_import(context: Context, data_dict: DataDict) -> AuthResult:
    return _staff_only(context)


def hamm_inventar_export(context: Context, data_dict: DataDict) -> AuthResult:
    return _staff_only(context)
