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

from ckanext.hamm.inventory import DATENSCHUTZ_VON, HIDDEN_KEY, OFFEN, ZUGANG, rules

STAFF_LABEL = "hamm-verwaltung"
# Search index fields that carry a dataset's resources (CKAN's names); ``fl`` may ask for
# the stored dataset dicts too. Non-open entries keep none of them in the index, and an
# ``fl`` result of a non-open entry loses them for staff of other departments (issue 26).
RESOURCE_INDEX_FIELDS = ("res_name", "res_description", "res_format", "res_url", "res_type", "urls")
STORED_DICTS = ("validated_data_dict", "data_dict")
# The DataStore's table list (every table's id, private resources' too): sysadmins only.
PUBLIC_TABLES = frozenset({"_table_metadata"})
# What a user dict says beyond name and display name: for sysadmins and the user themself (issue 26).
ACCOUNT_DETAILS = ("sysadmin", "email_hash", "state", "email", "apikey")


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
    """The entry without its resources (not even their number), marked so the page can say whom to ask."""
    pkg_dict["resources"] = []
    pkg_dict["num_resources"] = 0
    pkg_dict[HIDDEN_KEY] = True
    return pkg_dict


def hide_person(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    """The reviewer's account name is the administration's business, not the public's."""
    pkg_dict.pop(DATENSCHUTZ_VON, None)
    return pkg_dict


def strip_index_document(doc: dict[str, Any], dataset: Mapping[str, Any]) -> dict[str, Any]:
    """A non-open entry's resources stay out of the search index (facets, fielded ``q``, free text),
    and so does their number (``num_resources`` counts 0 there; the entry's own dict keeps it).

    Search parameters (``facet.field=res_url``, ``q=res_url:…``) reach the index directly,
    with Solr as with ``hamm_search``; what is not indexed cannot leak there.
    """
    if rules.effective(dataset, bool(rules.parse_private(dataset.get("private"))))[ZUGANG] != OFFEN:
        for key in list(doc):
            if key in RESOURCE_INDEX_FIELDS or key.startswith("res_extras_"):
                del doc[key]
        if "num_resources" in doc:
            doc["num_resources"] = 0
    return doc


def may_see_people(user: Optional[model.User]) -> bool:
    """The portal's accounts (user lists, suggestions to add a colleague): city staff and sysadmins.

    Anonymous visitors and citizens see organisations and their data, not their staff.
    """
    return is_staff(user)


def may_see_members(user: Optional[model.User], group_id: str) -> bool:
    """Who works in a department, and in which role: that department and sysadmins (CKAN's own
    rule once ``ckan.auth.public_user_details`` is false, kept whatever the setting)."""
    return user is not None and bool(getattr(user, "id", None)) and bool(group_id) and member_of(user, group_id)


def without_account_details(viewer: Optional[model.User], user_dict: Any, own: bool = True) -> Any:
    """A user dict without sysadmin flag, e-mail hash and state, unless ``viewer`` is a sysadmin
    or (``own``) that user."""
    if not isinstance(user_dict, dict) or (viewer is not None and (
            viewer.sysadmin or (own and user_dict.get("id") == viewer.id))):
        return user_dict
    return {key: value for key, value in user_dict.items() if key not in ACCOUNT_DETAILS}


def before_search(search_params: dict[str, Any]) -> dict[str, Any]:
    """An ``fl`` answer carries the ids, so ``after_search`` can tell whose data each row holds."""
    fl = search_params.get("fl")
    if isinstance(fl, str):
        fl = fl.replace(",", " ").split()
    if fl and "id" not in fl:
        search_params["fl"] = [*fl, "id"]
    return search_params


def after_show(context: Context, pkg_dict: dict[str, Any]) -> dict[str, Any]:
    """``package_show`` for someone outside the owning department: metadata, no data.

    Trusted internal calls (``ignore_auth``: the search indexer, harvester, publisher,
    commands; no view reads a dataset that way) keep everything.
    """
    pkg_dict.pop(HIDDEN_KEY, None)
    if context.get("ignore_auth"):
        return pkg_dict
    user = _user_of(context)
    if pkg_dict.get("type", "dataset") == "dataset" and not may_see_data(user, pkg_dict):
        hide_data(pkg_dict)
    if not is_staff(user):
        hide_person(pkg_dict)
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
    staff = is_staff(user)
    for pkg in search_results.get("results") or []:
        if not isinstance(pkg, dict):
            continue
        if "resources" not in pkg or any(key in pkg for key in STORED_DICTS):
            _hide_fields(user, pkg)  # an ``fl`` answer: index fields, perhaps the stored dicts
        elif pkg.get("type", "dataset") == "dataset" and not may_see_data(user, pkg):
            hide_data(pkg)
        if not staff:
            hide_person(pkg)
    return search_results


def _hide_fields(user: Optional[model.User], row: dict[str, Any]) -> None:
    """An ``fl`` row of an entry whose data the viewer may not see loses every resource field."""
    if data_allowed(user, model.Package.get(str(row.get("id") or ""))):
        return
    for key in list(row):
        if key in STORED_DICTS or key in RESOURCE_INDEX_FIELDS or key.startswith("res_") or key == "num_resources":
            del row[key]


def data_allowed(user: Optional[model.User], pkg: Optional[model.Package]) -> bool:
    """``may_see_data`` for a stored dataset (no dataset: nothing to hide)."""
    if pkg is None or pkg.type != "dataset":
        return True
    values = {"private": pkg.private, "owner_org": pkg.owner_org, **rules.stored_values(pkg)}
    return may_see_data(user, values)


def resource_allowed(context: Context, resource_id: str) -> bool:
    resource = model.Resource.get(resource_id)
    pkg = model.Package.get(resource.package_id) if resource is not None and resource.package_id else None
    if pkg is None or pkg.type != "dataset":
        return True
    return data_allowed(_user_of(context), pkg)
