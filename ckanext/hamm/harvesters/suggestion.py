"""Suggested Handlungsfelder: what the harvest proposes stays a suggestion until staff confirm it.

The harvester maps an RVR group (a DCAT-AP theme) to a Handlungsfeld and writes it as a
suggestion: the harvest object's ``WRITTEN`` extra remembers the value, and while the dataset
still holds exactly that value the next harvest may replace it (``mapping.merge_staff_fields``).
The dataset page says so to everybody, and editors may confirm it: the ``CONFIRMED`` extra of
the current harvest object then names the field (who, when), the importer carries it from object
to object, and the field is staff-owned from then on. Choosing another value in the form ends
the suggestion too, since the value then differs from what the harvester wrote.
"""
from __future__ import annotations

import datetime
import json
from typing import Any, Optional

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import AuthResult, Context, DataDict

from ckanext.hamm.model import rvr_link as links
from ckanext.hamm.search import cache as page_cache
from ckanext.harvest.model import HarvestObject, HarvestObjectExtra, HarvestSource

from . import importer, mapping
from .constants import CONFIRMED, DCAT_TYPE, RVR_TYPE, WRITTEN

__all__ = ["hamm_harvest_suggestion_confirm"]

FIELD = "handlungsfeld"
SOURCE_TYPES = (RVR_TYPE, DCAT_TYPE)  # the harvesters that write suggestions
RVR_NAME = "opendata.ruhr"


def current_object(package_id: str) -> Optional[HarvestObject]:
    """The current object of one of our harvest sources that stands for this dataset."""
    return (model.Session.query(HarvestObject)
            .join(HarvestSource, HarvestSource.id == HarvestObject.harvest_source_id)
            .filter(HarvestObject.package_id == package_id, HarvestObject.current.is_(True),
                    HarvestSource.type.in_(SOURCE_TYPES)).first())


def _pending_object(pkg: dict[str, Any], field: str) -> Optional[HarvestObject]:
    """The harvest object whose suggestion the dataset still holds, or None."""
    if not pkg.get("id") or links.get(pkg["id"]) is not None:  # taken over: the harvest no longer writes it
        return None
    obj = current_object(pkg["id"])
    if obj is None:
        return None
    try:
        last_written = json.loads(importer.extra(obj, WRITTEN) or "{}")
    except ValueError:
        return None
    if not isinstance(last_written, dict):
        return None
    pending = mapping.is_pending_suggestion(pkg.get(field), last_written, field, importer.confirmations(obj))
    return obj if pending else None


def source_name(obj: HarvestObject) -> str:
    source = obj.source
    if source is None or source.type == RVR_TYPE:
        return RVR_NAME
    return source.title or source.url


def hamm_harvest_suggestion(pkg: dict[str, Any], field: str = FIELD) -> Optional[dict[str, Any]]:
    """Template helper: the pending suggestion of a dataset (where from, may the visitor confirm it)."""
    obj = _pending_object(pkg, field)
    if obj is None:
        return None
    try:
        tk.check_access("hamm_harvest_suggestion_confirm",
                        {"user": tk.current_user.name if tk.current_user else ""}, {"id": pkg["id"]})
        can_confirm = True
    except tk.NotAuthorized:
        can_confirm = False
    return {"field": field, "source": source_name(obj), "can_confirm": can_confirm}


def hamm_harvest_suggestion_confirm(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Staff confirm the suggested value of a field: later harvests leave it alone."""
    tk.check_access("hamm_harvest_suggestion_confirm", context, data_dict)
    field = str(data_dict.get("field") or FIELD)
    package = model.Package.get(str(data_dict.get("id") or ""))
    if package is None or package.state != "active":
        raise tk.ObjectNotFound(tk._("Dataset not found"))
    pkg = tk.get_action("package_show")({"ignore_auth": True, "user": context.get("user")}, {"id": package.id})
    obj = _pending_object(pkg, field)
    if obj is None:
        raise tk.ValidationError({field: [tk._("There is no suggestion to confirm.")]})
    confirmed = dict(importer.confirmations(obj))
    confirmed[field] = {"by": context.get("user"), "at": datetime.datetime.utcnow().isoformat(timespec="seconds")}
    value = json.dumps(confirmed, ensure_ascii=False)
    kept = next((e for e in obj.extras if e.key == CONFIRMED), None)
    if kept is not None:
        kept.value = value
    else:
        obj.extras.append(HarvestObjectExtra(key=CONFIRMED, value=value))
    page_cache.mark_written(model.Session)  # anonymous visitors' kept dataset page shows the note
    if not context.get("defer_commit"):
        model.Session.commit()
    return {"id": package.id, "field": field, "confirmed_by": context.get("user")}


def hamm_harvest_suggestion_confirm_auth(context: Context, data_dict: DataDict) -> AuthResult:
    """Whoever may edit the dataset (editors of its organisation, sysadmins)."""
    try:
        tk.check_access("package_update", context, {"id": data_dict.get("id")})
    except (tk.NotAuthorized, tk.ObjectNotFound):
        return {"success": False, "msg": tk._("Only editors of the organisation can confirm this suggestion.")}
    return {"success": True}
