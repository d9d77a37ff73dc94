"""Harvest metadata is staff-only: sources, configs, jobs, objects and logs.

Stock ckanext-harvest lets anyone read harvest objects and shows source
configs to whoever can read the source dataset (public by default). These
chained auth functions require the right to edit the source (organisation
editor/admin or sysadmin); anonymous users are refused outright.
"""
from __future__ import annotations

from typing import Any, Callable

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib.plugins import DefaultPermissionLabels
from ckan.types import AuthResult, Context, DataDict

from ckanext.harvest.model import HarvestJob, HarvestObject

DENIED: AuthResult = {"success": False, "msg": "Nur für die Redaktion der Harvest-Quelle / harvest staff only"}
NextAuth = Callable[[Context, DataDict], AuthResult]


def _can_edit_source(context: Context, source_id: str) -> bool:
    try:
        tk.check_access("harvest_source_update", {"user": context.get("user"), "model": model}, {"id": source_id})
    except (tk.NotAuthorized, tk.ObjectNotFound):
        return False
    return True


def _source_of(data_dict: DataDict, key: str = "id") -> str:
    source = model.Package.get(data_dict.get(key) or "") if data_dict.get(key) else None
    if source is None and data_dict.get("url"):
        from ckanext.harvest.model import HarvestSource

        found = model.Session.query(HarvestSource).filter_by(url=data_dict["url"]).first()
        return found.id if found else ""
    return source.id if source is not None else ""


@tk.chained_auth_function
def harvest_source_show(next_auth: NextAuth, context: Context, data_dict: DataDict) -> AuthResult:
    source_id = _source_of(data_dict)
    return next_auth(context, data_dict) if source_id and _can_edit_source(context, source_id) else DENIED


@tk.chained_auth_function
def harvest_source_show_status(next_auth: NextAuth, context: Context, data_dict: DataDict) -> AuthResult:
    return harvest_source_show(next_auth, context, data_dict)


@tk.chained_auth_function
def harvest_source_list(next_auth: NextAuth, context: Context, data_dict: DataDict) -> AuthResult:
    user = model.User.get(context.get("user") or "")
    return next_auth(context, data_dict) if user is not None and user.sysadmin else DENIED


@tk.chained_auth_function
def harvest_object_show(next_auth: NextAuth, context: Context, data_dict: DataDict) -> AuthResult:
    obj = HarvestObject.get(data_dict.get("id") or "") if data_dict.get("id") else None
    if obj is None and data_dict.get("ref"):
        obj = HarvestObject.get(data_dict["ref"])
    if obj is None or not _can_edit_source(context, obj.harvest_source_id):
        return DENIED
    return next_auth(context, data_dict)


@tk.chained_auth_function
def harvest_object_list(next_auth: NextAuth, context: Context, data_dict: DataDict) -> AuthResult:
    source_id = data_dict.get("source_id") or ""
    return next_auth(context, data_dict) if source_id and _can_edit_source(context, source_id) else DENIED


@tk.chained_auth_function
def harvest_job_list(next_auth: NextAuth, context: Context, data_dict: DataDict) -> AuthResult:
    """Stock auth reads ``source_id`` unchecked (a 500 without it); staff of that source only."""
    source_id = data_dict.get("source_id") or ""
    return next_auth(context, data_dict) if source_id and _can_edit_source(context, source_id) else DENIED


@tk.chained_auth_function
def harvest_job_show(next_auth: NextAuth, context: Context, data_dict: DataDict) -> AuthResult:
    job = HarvestJob.get(data_dict.get("id") or "") if data_dict.get("id") else None
    return next_auth(context, data_dict) if job is not None and _can_edit_source(context, job.source_id) else DENIED


@tk.chained_auth_function
def harvest_log_list(next_auth: NextAuth, context: Context, data_dict: DataDict) -> AuthResult:
    """Harvest logs name sources and remote URLs: sysadmins only (they pass before auth functions run)."""
    return DENIED


@tk.chained_auth_function
@tk.auth_allow_anonymous_access
def package_show(next_auth: NextAuth, context: Context, data_dict: DataDict) -> AuthResult:
    """A harvest source is a dataset of type "harvest" holding the config: staff only."""
    package = context.get("package") or (model.Package.get(data_dict.get("id") or "") if data_dict.get("id") else None)
    if package is not None and package.type == "harvest" and not _can_edit_source(context, package.id):
        return DENIED
    return next_auth(context, data_dict)


def auth_functions() -> dict[str, Any]:
    return {f.__name__: f for f in (harvest_source_show, harvest_source_show_status, harvest_source_list,
                                    harvest_object_show, harvest_object_list, harvest_job_list, harvest_job_show,
                                    harvest_log_list, package_show)}


@tk.side_effect_free
@tk.chained_action
def harvest_source_list_action(next_action: Callable, context: Context, data_dict: DataDict) -> Any:
    """Stock harvest_source_list never calls check_access and lists every config to anyone."""
    tk.check_access("harvest_source_list", context, data_dict)
    return next_action(context, data_dict)


def actions() -> dict[str, Any]:
    return {"harvest_source_list": harvest_source_list_action}


def strip_source_configs(search_results: dict[str, Any]) -> dict[str, Any]:
    """Search listings never need a harvest source's config; drop it for everybody.

    Only harvest sources have a ``config``; with ``fl`` a result may lack ``type``, so it goes from every row.
    """
    for result in search_results.get("results") or []:
        if not isinstance(result, dict):
            continue
        result.pop("config", None)
        if result.get("type") == "harvest":
            result["extras"] = [e for e in result.get("extras") or [] if e.get("key") != "config"]
    return search_results


class HarvestStaffLabels(DefaultPermissionLabels):
    """Harvest sources are indexed for their staff only, so no search (any ``fl``, any backend) shows them to others.

    A source is a public dataset of type "harvest"; CKAN would label it "public".
    """

    def get_dataset_labels(self, dataset_obj: model.Package) -> list[str]:
        if dataset_obj.type != "harvest":
            return super().get_dataset_labels(dataset_obj)
        return [f"harvest-staff-{dataset_obj.owner_org}" if dataset_obj.owner_org else "harvest-staff"]

    def get_user_dataset_labels(self, user_obj: model.User) -> list[str]:
        labels = super().get_user_dataset_labels(user_obj)
        if user_obj and not user_obj.is_anonymous:
            orgs = tk.get_action("organization_list_for_user")({"user": user_obj.id}, {"permission": "update_dataset"})
            labels.extend(f"harvest-staff-{org['id']}" for org in orgs)
        return labels
