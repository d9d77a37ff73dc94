"""What core and DataStore/loader actions give away beyond what the viewer may see (issue 26).

Chained: the tag actions name only tags of datasets the viewer may read; ``member_list``
names only such datasets; ``datastore_search`` on ``_table_metadata`` (every table's id)
is for sysadmins; ``xloader_status`` never hands out the loader's token. Who works where
(organisation members, user lists, user details) is for city staff
(``visibility.may_see_people``); the sysadmin flag and e-mail hash of others for sysadmins.
The rules live in ``inventory/visibility.py``.
"""
from __future__ import annotations

import re
from typing import Any, Callable, Optional

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan import authz, model
from ckan.types import Context, DataDict

from ckanext.hamm.inventory import visibility

__all__ = ["group_list", "group_show", "member_list", "organization_list", "organization_list_for_user",
           "organization_show", "tag_autocomplete", "tag_list", "tag_search", "user_autocomplete", "user_list",
           "user_show"]

Action = Callable[[Context, DataDict], Any]
TOKEN_KEYS = frozenset({"api_key", "apikey", "api_token", "apitoken", "token"})
JWT = re.compile(r"eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*")


def loaded_actions() -> dict[str, Action]:
    """The chains on ckanext actions, only when their plugin runs (CKAN refuses a chain without its action)."""
    actions: dict[str, Action] = {}
    if p.plugin_loaded("xloader"):
        actions["xloader_status"] = xloader_status
    if p.plugin_loaded("datastore"):
        actions["datastore_search"] = datastore_search
    return actions


def _user(context: Context) -> Optional[model.User]:
    user = context.get("auth_user_obj")
    if isinstance(user, model.User):
        return user
    return model.User.get(context["user"]) if context.get("user") else None


def visible_tags(context: Context) -> Optional[set[str]]:
    """Names of the tags on datasets the viewer may read; None: all (staff see every entry, cf. the labels)."""
    user = _user(context)
    if context.get("ignore_auth") or visibility.is_staff(user):
        return None
    query = (model.Session.query(model.Tag.name)
             .join(model.PackageTag, model.PackageTag.tag_id == model.Tag.id)
             .join(model.Package, model.Package.id == model.PackageTag.package_id)
             .filter(model.PackageTag.state == "active", model.Package.state == "active",
                     model.Package.private.is_(False)))
    return {name for (name,) in query}


def _tag_name(tag: Any) -> str:
    return str(tag.get("name") if isinstance(tag, dict) else tag)


@tk.chained_action
@tk.side_effect_free
def tag_list(up: Action, context: Context, data_dict: DataDict) -> Any:
    tags = up(context, data_dict)
    allowed = visible_tags(context)
    return tags if allowed is None else [tag for tag in tags if _tag_name(tag) in allowed]


@tk.chained_action
@tk.side_effect_free
def tag_search(up: Action, context: Context, data_dict: DataDict) -> Any:
    """``count`` counts what is shown; ``limit`` applies before the filter (CKAN pages in SQL)."""
    found = up(context, data_dict)
    allowed = visible_tags(context)
    if allowed is None:
        return found
    results = [tag for tag in found.get("results") or [] if _tag_name(tag) in allowed]
    return {**found, "results": results, "count": len(results)}


@tk.chained_action
@tk.side_effect_free
def tag_autocomplete(up: Action, context: Context, data_dict: DataDict) -> Any:
    names = up(context, data_dict)
    allowed = visible_tags(context)
    return names if allowed is None else [name for name in names if name in allowed]


@tk.chained_action
@tk.side_effect_free
def member_list(up: Action, context: Context, data_dict: DataDict) -> Any:
    """A group's or organisation's members without the datasets the viewer may not read, and
    without its people for those outside the administration."""
    members = up(context, data_dict)
    if context.get("ignore_auth"):
        return members
    if not _members_shown(context, data_dict):
        members = [member for member in members if member[1] != "user"]
    ids = [member[0] for member in members if member[1] == "package"]
    if not ids:
        return members
    private = {pkg_id for (pkg_id,) in model.Session.query(model.Package.id).filter(
        model.Package.id.in_(ids), model.Package.private.is_(True))}
    hidden = {pkg_id for pkg_id in private if not authz.is_authorized_boolean(
        "package_show", {"user": context.get("user"), "auth_user_obj": context.get("auth_user_obj")},
        {"id": pkg_id})}
    return [member for member in members if member[1] != "package" or member[0] not in hidden]


@tk.chained_action
@tk.side_effect_free
def datastore_search(up: Action, context: Context, data_dict: DataDict) -> Any:
    """``_table_metadata`` lists every DataStore table, private ones included: sysadmins only.

    The DataStore asks no auth function for its public tables; asking ours here refuses
    everyone else (``logic/auth/visibility.py``) and satisfies CKAN's auth audit.
    """
    if str(data_dict.get("resource_id") or "") in visibility.PUBLIC_TABLES:
        tk.check_access("datastore_search", context, data_dict)
    return up(context, data_dict)


@tk.chained_action
@tk.side_effect_free
def xloader_status(up: Action, context: Context, data_dict: DataDict) -> Any:
    """The job row holds the site user's token (a sysadmin's): editors get the status, never the token."""
    return without_tokens(up(context, data_dict))


def without_tokens(value: Any) -> Any:
    """``value`` with every token-named key dropped and every JWT-looking text blanked."""
    if isinstance(value, dict):
        return {key: without_tokens(item) for key, item in value.items() if str(key).lower() not in TOKEN_KEYS}
    if isinstance(value, list):
        return [without_tokens(item) for item in value]
    if isinstance(value, str):
        return JWT.sub("***", value)
    return value


def _members_shown(context: Context, data_dict: DataDict) -> bool:
    group = model.Group.get(str(data_dict.get("id") or ""))
    return bool(context.get("ignore_auth")) or (
        group is not None and visibility.may_see_members(_user(context), group.id))


def _group_people(context: Context, group: Any) -> Any:
    """A group dict without its ``users`` for those who may not see them; the flags of the users
    for sysadmins."""
    if not isinstance(group, dict) or "users" not in group or context.get("ignore_auth"):
        return group
    if not _members_shown(context, group):
        return {key: value for key, value in group.items() if key != "users"}
    viewer = _user(context)
    return {**group, "users": [visibility.without_account_details(viewer, user, own=False)
                               for user in group["users"]]}


def _show_group(up: Action, context: Context, data_dict: DataDict) -> Any:
    """No ``users`` for those who may not see the members (CKAN's auth would refuse the whole
    answer, or with ``public_user_details`` on, hand them out)."""
    if not _members_shown(context, data_dict):
        data_dict = {**data_dict, "include_users": False}
    return _group_people(context, up(context, data_dict))


@tk.chained_action
@tk.side_effect_free
def organization_show(up: Action, context: Context, data_dict: DataDict) -> Any:
    return _show_group(up, context, data_dict)


@tk.chained_action
@tk.side_effect_free
def group_show(up: Action, context: Context, data_dict: DataDict) -> Any:
    return _show_group(up, context, data_dict)


@tk.chained_action
@tk.side_effect_free
def organization_list(up: Action, context: Context, data_dict: DataDict) -> Any:
    found = up(context, data_dict)
    return [_group_people(context, group) for group in found] if isinstance(found, list) else found


@tk.chained_action
@tk.side_effect_free
def group_list(up: Action, context: Context, data_dict: DataDict) -> Any:
    found = up(context, data_dict)
    return [_group_people(context, group) for group in found] if isinstance(found, list) else found


@tk.chained_action
@tk.side_effect_free
def user_list(up: Action, context: Context, data_dict: DataDict) -> Any:
    """Staff only (``logic/auth/visibility.py``); flags and e-mail hashes for sysadmins."""
    found = up(context, data_dict)
    if context.get("ignore_auth") or not isinstance(found, list):
        return found
    viewer = _user(context)
    return [visibility.without_account_details(viewer, user, own=False) for user in found]


@tk.chained_action
@tk.side_effect_free
def user_show(up: Action, context: Context, data_dict: DataDict) -> Any:
    """Another account's sysadmin flag, e-mail hash and state are for sysadmins."""
    found = up(context, data_dict)
    return found if context.get("ignore_auth") else visibility.without_account_details(_user(context), found)


@tk.chained_action
@tk.side_effect_free
def user_autocomplete(up: Action, context: Context, data_dict: DataDict) -> Any:
    """No suggestions for those who may not list users (CKAN's ``/api/2/util/user/autocomplete`` would
    answer its refusal with a 500)."""
    try:
        return up(context, data_dict)
    except tk.NotAuthorized:
        return []


@tk.chained_action
@tk.side_effect_free
def organization_list_for_user(up: Action, context: Context, data_dict: DataDict) -> Any:
    """Another account's departments: only those whose members the viewer may see (their own)."""
    found = up(context, data_dict)
    viewer = _user(context)
    asked = model.User.get(str(data_dict.get("id") or "")) if data_dict.get("id") else viewer
    if context.get("ignore_auth") or not isinstance(found, list) or (
            viewer is not None and asked is not None and asked.id == viewer.id):
        return found
    return [org for org in found if isinstance(org, dict) and visibility.may_see_members(viewer, str(org.get("id")))]
