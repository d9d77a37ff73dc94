"""Who sees what in the Dateninventur (``IPermissionLabels`` and the data of non-open entries).

- Anonymous visitors and citizen accounts (no organisation membership) see public
  datasets only, as before the inventory.
- Every member of any organisation (city staff) sees every inventory entry's metadata
  across departments — search, dataset page, API — so departments find each other's
  data. The data themselves (resources: URLs, downloads, previews) of an entry that is
  not open stay with the owning department.
- Only the owning organisation edits (CKAN's organisation rights, unchanged).

Labels are stored in the search index: after installing this, run
``ckan search-index rebuild`` once so existing private datasets carry the staff label.
"""
from __future__ import annotations

from typing import Any, Mapping, Optional

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib.plugins import DefaultPermissionLabels
from ckan.types import Context

from ckanext.hamm.inventory import HIDDEN_KEY, OFFEN, ZUGANG, rules

STAFF_LABEL = "hamm-verwaltung"


class InventoryLabelsMixin:
    """CKAN's labels (or another plugin's, through ``super()``) plus one that every private
    dataset and every organisation member carry."""

    def get_dataset_labels(self, dataset_obj: model.Package) -> list[str]:
        labels: list[str] = super().get_dataset_labels(dataset_obj)  # type: ignore[misc]
        if (dataset_obj.state == "active" and dataset_obj.private and dataset_obj.owner_org
                and dataset_obj.type == "dataset"):
            labels.append(STAFF_LABEL)
        return labels

    def get_user_dataset_labels(self, user_obj: model.User) -> list[str]:
        labels: list[str] = super().get_user_dataset_labels(user_obj)  # type: ignore[misc]
        if any(label.startswith("member-") for label in labels):
            labels.append(STAFF_LABEL)
        return labels


class InventoryLabels(InventoryLabelsMixin, DefaultPermissionLabels):
    pass


def is_staff(user: Optional[model.User]) -> bool:
    """Member (any capacity) of at least one active organisation, or sysadmin."""
    if user is None or not getattr(user, "id", None):
        return False
    if user.sysadmin:
        return True
    return bool(model.Session.query(model.Member.id)
                .join(model.Group, model.Group.id == model.Member.group_id)
                .filter(model.Member.table_name == "user", model.Member.table_id == user.id,
                        model.Member.state == "active", model.Group.is_organization.is_(True),
                        model.Group.state == "active").first())


def member_of(user: model.User, org_id: str) -> bool:
    return user.sysadmin or bool(model.Session.query(model.Member.id).filter(
        model.Member.table_name == "user", model.Member.table_id == user.id,
        model.Member.group_id == org_id, model.Member.state == "active").first())


def may_see_data(user: Optional[model.User], pkg: Mapping[str, Any]) -> bool:
    """Open data (Zugang offen): whoever may read the entry; other data: the owning department and sysadmins."""
    if rules.effective(pkg, True)[ZUGANG] == OFFEN:
        return True
    if user is None or not getattr(user, "id", None):
        return False
    return member_of(user, str(pkg.get("owner_org") or ""))


def _user_of(context: Context) -> Optional[model.User]:
    user = context.get("auth_user_obj")
    if isinstance(user, model.User):
        return user
    return model.User.get(context["user"]) if context.get("user") else None


def hide_data(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    """The entry without its resources, marked so the page can say whom to ask."""
    pkg_dict["resources"] = []
    pkg_dict[HIDDEN_KEY] = True
    return pkg_dict


def after_show(context: Context, pkg_dict: dict[str, Any]) -> dict[str, Any]:
    """``package_show`` for someone outside the owning department: metadata, no data.

    Trusted internal calls (``ignore_auth``: the search indexer, harvester, publisher,
    commands; no view reads a dataset that way) keep everything.
    """
    pkg_dict.pop(HIDDEN_KEY, None)
    if context.get("ignore_auth"):
        return pkg_dict
    if pkg_dict.get("type", "dataset") == "dataset" and not may_see_data(_user_of(context), pkg_dict):
        hide_data(pkg_dict)
    return pkg_dict


def current_user() -> Optional[model.User]:
    import flask

    if not flask.has_request_context() or not tk.current_user.is_authenticated:
        return None
    return model.User.get(tk.current_user.name)


def after_search(search_results: dict[str, Any]) -> dict[str, Any]:
    """Search results of non-open entries carry no resources for staff of other departments.

    Outside a request (commands, the dump) nothing is hidden: those callers search as
    anonymous or as the site, and anonymous searches never reach non-open entries.
    """
    import flask

    if not flask.has_request_context():
        return search_results
    user = current_user()
    for pkg in search_results.get("results") or []:
        if isinstance(pkg, dict) and pkg.get("type", "dataset") == "dataset" and not may_see_data(user, pkg):
            hide_data(pkg)
    return search_results


def resource_allowed(context: Context, resource_id: str) -> bool:
    resource = model.Resource.get(resource_id)
    pkg = model.Package.get(resource.package_id) if resource is not None and resource.package_id else None
    if pkg is None or pkg.type != "dataset":
        return True
    values = {"private": pkg.private, "owner_org": pkg.owner_org, **rules.stored_values(pkg)}
    return may_see_data(_user_of(context), values)
