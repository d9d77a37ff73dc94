"""The loader's task rows (job ids, error text with file names) for those who edit the resource;
the DataStore's table list for sysadmins."""
from __future__ import annotations

from typing import Any, Callable

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import AuthResult, Context, DataDict

from ckanext.hamm.inventory import visibility

__all__ = ["task_status_show", "user_list"]

Auth = Callable[[Context, DataDict], AuthResult]


def loaded_auth_functions() -> dict[str, Any]:
    """Chains on ckanext auth functions, only when their plugin runs (CKAN refuses a chain without its function)."""
    return {"datastore_search": datastore_search} if p.plugin_loaded("datastore") else {}


@tk.chained_auth_function
@tk.auth_allow_anonymous_access
def datastore_search(next_auth: Auth, context: Context, data_dict: DataDict) -> AuthResult:
    """``_table_metadata`` names every table, private resources' too; sysadmins pass before any auth function."""
    if str(data_dict.get("resource_id") or "") in visibility.PUBLIC_TABLES:
        return {"success": False, "msg": tk._(
            "Die Tabellenliste des DataStore ist Administratoren vorbehalten. / "
            "The DataStore's table list is for sysadmins only.")}
    return next_auth(context, data_dict)


@tk.chained_auth_function
@tk.auth_allow_anonymous_access
def task_status_show(next_auth: Callable[[Context, DataDict], AuthResult], context: Context,
                     data_dict: DataDict) -> AuthResult:
    """CKAN lets everyone read every task; the ones of a resource or dataset belong to its editors."""
    result = next_auth(context, data_dict)
    if not result.get("success"):
        return result
    entity_id = str(data_dict.get("entity_id") or "")
    if not entity_id and data_dict.get("id"):
        task = model.Session.get(model.TaskStatus, str(data_dict["id"]))
        entity_id = task.entity_id if task is not None else ""
    resource = model.Resource.get(entity_id) if entity_id else None
    package_id = resource.package_id if resource is not None else entity_id
    try:
        if package_id and model.Package.get(package_id) is not None:
            tk.check_access("package_update", {"user": context.get("user"),
                                               "auth_user_obj": context.get("auth_user_obj")}, {"id": package_id})
        else:
            tk.check_access("sysadmin", {"user": context.get("user"),
                                         "auth_user_obj": context.get("auth_user_obj")}, {})
    except tk.NotAuthorized:
        return {"success": False, "msg": tk._(
            "Der Stand der Verarbeitung ist für die Bearbeitenden des Eintrags sichtbar. / "
            "The processing status is visible to the entry's editors.")}
    return result


@tk.chained_auth_function
@tk.auth_allow_anonymous_access
def user_list(next_auth: Auth, context: Context, data_dict: DataDict) -> AuthResult:
    """Every account of the portal: city staff (who add colleagues to their department), not the public.

    ``user_autocomplete`` asks this too."""
    user = context.get("auth_user_obj")
    if not isinstance(user, model.User):
        user = model.User.get(context["user"]) if context.get("user") else None
    if not visibility.may_see_people(user):
        return {"success": False, "msg": tk._(
            "Die Liste der Benutzerkonten ist Mitarbeitenden der Stadt vorbehalten. / "
            "The list of user accounts is for city staff only.")}
    return next_auth(context, data_dict)
