"""What core and DataStore/loader actions give away beyond what the viewer may see (issue 26).

Chained: the tag actions name only tags of datasets the viewer may read; ``member_list``
names only such datasets; ``datastore_search`` on ``_table_metadata`` (every table's id)
is for sysadmins; ``xloader_status`` never hands out the loader's token.
"""
from __future__ import annotations

import re
from typing import Any, Callable, Optional

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan import authz, model
from ckan.types import Context, DataDict

from ckanext.hamm.inventory import visibility

__all__ = ["member_list", "tag_autocomplete", "tag_list", "tag_search"]

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
    """A group's or organisation's members without the datasets the viewer may not read."""
    members = up(context, data_dict)
    ids = [member[0] for member in members if member[1] == "package"]
    if not ids or context.get("ignore_auth"):
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
