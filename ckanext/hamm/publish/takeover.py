"""Takeover ("wird jetzt in Hamm gepflegt"): a dataset harvested from RVR becomes Hamm's.

Hamm already has ~143 datasets at RVR. Instead of publishing copies, staff mark
the harvested dataset; from then on ``hamm_rvr`` neither updates nor withdraws
it, and the publisher writes to the *same* RVR dataset (its remote id is the
harvest object's guid). Provenance fields go: the dataset is now made here.
"""
from __future__ import annotations

import datetime
from typing import Any, Optional

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import AuthResult, Context, DataDict

from ckanext.hamm.harvesters.constants import RVR_TYPE
from ckanext.hamm.harvesters.mapping import PROVENANCE_FIELDS
from ckanext.hamm.model import rvr_link as links
from ckanext.harvest.model import HarvestObject, HarvestSource

__all__ = ["hamm_rvr_takeover"]


def harvest_object(package_id: str) -> Optional[HarvestObject]:
    """The current object of a hamm_rvr source that made this dataset, if any."""
    return (model.Session.query(HarvestObject)
            .join(HarvestSource, HarvestSource.id == HarvestObject.harvest_source_id)
            .filter(HarvestObject.package_id == package_id, HarvestObject.current.is_(True),
                    HarvestSource.type == RVR_TYPE).first())


def hamm_rvr_takeover(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Mark a dataset harvested from RVR as maintained in Hamm; returns the link."""
    tk.check_access("hamm_rvr_takeover", context, data_dict)
    package = model.Package.get(str(data_dict.get("id") or ""))
    if package is None or package.state != "active":
        raise tk.ObjectNotFound(tk._("Dataset not found"))
    if links.get(package.id) is not None:
        raise tk.ValidationError({"id": [tk._("This dataset is already maintained in Hamm.")]})
    obj = harvest_object(package.id)
    if obj is None:
        raise tk.ValidationError({"id": [tk._("Only datasets harvested from opendata.ruhr can be taken over.")]})
    link = links.RvrLink(package_id=package.id, remote_id=obj.guid, taken_over_by=context.get("user"),
                         taken_over=datetime.datetime.utcnow())
    model.Session.add(link)
    # the same transaction: if the dataset cannot be saved, nothing is marked
    tk.get_action("package_patch")(dict(context), dict({f: "" for f in PROVENANCE_FIELDS}, id=package.id))
    return {"package_id": link.package_id, "remote_id": link.remote_id, "taken_over_by": link.taken_over_by}


def hamm_rvr_takeover_auth(context: Context, data_dict: DataDict) -> AuthResult:
    """Editors of the dataset's organisation (and sysadmins): whoever may edit it."""
    try:
        tk.check_access("package_update", context, {"id": data_dict.get("id")})
    except (tk.NotAuthorized, tk.ObjectNotFound):
        return {"success": False, "msg": tk._("Only editors of the organisation can take over this dataset.")}
    return {"success": True}


def hamm_rvr_takeover_possible(pkg: dict[str, Any]) -> bool:
    """Template helper: show the takeover button (harvested from RVR, not yet taken over, may edit)."""
    if not pkg.get("hamm_remote_id") or not pkg.get("id") or links.get(pkg["id"]) is not None:
        return False
    try:
        tk.check_access("hamm_rvr_takeover", {"user": tk.current_user.name if tk.current_user else ""},
                        {"id": pkg["id"]})
    except tk.NotAuthorized:
        return False
    return harvest_object(pkg["id"]) is not None
