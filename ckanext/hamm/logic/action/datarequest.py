"""Data requests ("Datenwunsch"): citizens ask for data, vote, and staff answer in public.

Every change writes a history row; the requester's e-mail address is returned
only to the staff who may triage the request.
"""
from __future__ import annotations

import datetime
import re
from typing import Any, Optional

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model
from ckan.types import Context, DataDict
from sqlalchemy.dialects.postgresql import insert

from ckanext.hamm import config
from ckanext.hamm.logic.auth.datarequest import can_triage
from ckanext.hamm.model.datarequest import (
    CLOSED_STATUSES,
    OPEN_STATUSES,
    STATUSES,
    DataRequest,
    DataRequestHistory,
    DataRequestVote,
)
from ckanext.hamm.participation import abuse, notify
from ckanext.hamm.search import cache as page_cache
from ckanext.hamm.vocabularies import choices as concepts

__all__ = [
    "hamm_datarequest_create", "hamm_datarequest_show", "hamm_datarequest_list",
    "hamm_datarequest_update", "hamm_datarequest_vote",
]

WORKFLOW = ("neu", "in_pruefung", "geplant", "veroeffentlicht")
LIMITS = {"title": 200, "description": 5000, "status_reason": 2000, "email": 254}
EMAIL = re.compile(r"^[^@\s<>\"']+@[^@\s<>\"']+\.[^@\s<>\"']+$")
MAX_ROWS = 100
MAX_OFFSET = 10000


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


def _text(data: DataDict, key: str, errors: dict[str, list[str]], required: bool) -> Optional[str]:
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        errors[key] = [tk._("Must be text")]
        return None
    value = (value or "").strip()
    if required and not value:
        errors[key] = [tk._("Missing value")]
    elif len(value) > LIMITS.get(key, 100):
        errors[key] = [tk._("Must be at most {n} characters long").format(n=LIMITS.get(key, 100))]
    return value or None


def _concept(data: DataDict, key: str, errors: dict[str, list[str]], required: bool) -> Optional[str]:
    value = _text(data, key, errors, required)
    known = concepts.ids(key)
    if value and known and value not in known:
        errors[key] = [tk._("Unknown value")]
    if value and not known and not re.fullmatch(r"[a-z0-9_-]{1,100}", value):
        errors[key] = [tk._("Unknown value")]
    return value


def _organization_id(value: Any, errors: dict[str, list[str]]) -> Optional[str]:
    if not value:
        return None
    group = model.Group.get(str(value))
    if group is None or not group.is_organization or group.state != "active":
        errors["owner_org"] = [tk._("Organization does not exist")]
        return None
    return group.id


def _dataset_id(value: Any, errors: dict[str, list[str]]) -> Optional[str]:
    if not value:
        return None
    package = model.Package.get(str(value))
    if package is None or package.state != "active" or package.private:
        errors["dataset_id"] = [tk._("Choose a published (public) dataset")]
        return None
    return package.id


def _iso(value: Optional[datetime.datetime]) -> Optional[str]:
    return value.isoformat() if value else None


def _dictize(request: DataRequest, private: bool) -> dict[str, Any]:
    """Public view of a request; ``private`` adds the requester's address for triage staff."""
    org = model.Group.get(request.owner_org) if request.owner_org else None
    data: dict[str, Any] = {
        "id": request.id, "title": request.title, "description": request.description,
        "handlungsfeld": request.handlungsfeld, "zielgruppe": request.zielgruppe,
        "persona": request.persona, "status": request.status,
        "status_reason": request.status_reason, "vote_count": request.vote_count,
        "owner_org": request.owner_org,
        "organization": {"id": org.id, "name": org.name, "title": org.title} if org else None,
        "dataset": None, "created": _iso(request.created), "modified": _iso(request.modified),
    }
    package = model.Package.get(request.dataset_id) if request.dataset_id else None
    if package is not None and package.state == "active" and not package.private:
        data["dataset"] = {"id": package.id, "name": package.name, "title": package.title}
    if private:
        data["email"] = request.email
        data["dataset_id"] = request.dataset_id
    return data


def _history(request: DataRequest, private: bool) -> list[dict[str, Any]]:
    rows = model.Session.scalars(
        sa.select(DataRequestHistory)
        .where(DataRequestHistory.datarequest_id == request.id)
        .order_by(DataRequestHistory.timestamp, DataRequestHistory.id)
    ).all()
    history = []
    for row in rows:
        entry = {"timestamp": _iso(row.timestamp), "old_status": row.old_status,
                 "new_status": row.new_status, "reason": row.reason, "changes": row.changes}
        if private:
            user = model.User.get(row.user_id) if row.user_id else None
            entry["user"] = user.name if user else None
        history.append(entry)
    return history


def _record(request: DataRequest, context: Context, old_status: Optional[str],
            changes: dict[str, Any]) -> None:
    """One history row; the public reason is repeated only when it or the status changed."""
    page_cache.mark_written(model.Session)  # the home page lists the most-wanted requests
    reason_changed = "status_reason" in changes or old_status != request.status
    model.Session.add(DataRequestHistory(
        datarequest_id=request.id, timestamp=_now(), user_id=abuse.user_id(context),
        old_status=old_status, new_status=request.status,
        reason=request.status_reason if reason_changed else None, changes=changes,
    ))


def _get(data_dict: DataDict) -> DataRequest:
    request = DataRequest.get(data_dict.get("id"))
    if request is None:
        raise tk.ObjectNotFound(tk._("Data request not found"))
    return request


def _private(context: Context, request: DataRequest) -> bool:
    return can_triage(context.get("user"), request.owner_org)


def hamm_datarequest_create(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Submit a data request; anyone may, limited per client and guarded by a honeypot.

    :param title, description: required
    :param handlungsfeld, zielgruppe, persona, email, owner_org: optional (strategy terms
        citizens need not know; staff set them in triage)

    The requester's own need counts as the first vote, so they cannot vote for their
    own request a second time.
    """
    tk.check_access("hamm_datarequest_create", context, data_dict)
    abuse.check_honeypot(data_dict)
    errors: dict[str, list[str]] = {}
    values = {
        "title": _text(data_dict, "title", errors, True),
        "description": _text(data_dict, "description", errors, True),
        "handlungsfeld": _concept(data_dict, "handlungsfeld", errors, False),
        "zielgruppe": _concept(data_dict, "zielgruppe", errors, False),
        "persona": _concept(data_dict, "persona", errors, False),
        "email": _text(data_dict, "email", errors, False),
        "owner_org": _organization_id(data_dict.get("owner_org"), errors),
    }
    if values["email"] and not EMAIL.match(values["email"]):
        errors["email"] = [tk._("Please enter a valid e-mail address")]
    if errors:
        raise tk.ValidationError(errors)
    abuse.hit_rate_limit("datarequest", context, config.datarequest_rate_limit())
    now = _now()
    request = DataRequest(
        status="neu", vote_count=0, created=now, modified=now, user_id=abuse.user_id(context),
        language=str(data_dict.get("language") or "")[:10] or None, **values,
    )
    model.Session.add(request)
    model.Session.flush()
    _record(request, context, None, {"status": [None, "neu"]})
    requester = abuse.voter_key(context)
    if requester:
        model.Session.add(DataRequestVote(id=model.types.make_uuid(), datarequest_id=request.id,
                                          voter=requester, client=abuse.address_hash(), created=now))
        request.vote_count = 1
    model.Session.commit()
    result = _dictize(request, private=True)
    notify.confirmation(result, request.email)
    if not _private(context, request):
        result.pop("dataset_id", None)
        result.pop("email", None)
    return result


@tk.side_effect_free
def hamm_datarequest_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """One request with its public history; e-mail and editors' names only for triage staff."""
    tk.check_access("hamm_datarequest_show", context, data_dict)
    request = _get(data_dict)
    private = _private(context, request)
    result = _dictize(request, private)
    result["history"] = _history(request, private)
    result["can_triage"] = private
    voter = abuse.voter_key(context)
    result["has_voted"] = bool(voter) and model.Session.scalar(
        sa.select(sa.func.count()).select_from(DataRequestVote).where(
            DataRequestVote.datarequest_id == request.id, DataRequestVote.voter == voter)) > 0
    return result


def _int(data_dict: DataDict, key: str, default: int, upper: int) -> int:
    try:
        value = int(data_dict.get(key, default))
    except (TypeError, ValueError):
        raise tk.ValidationError({key: [tk._("Must be a whole number")]}) from None
    return max(0, min(value, upper))


@tk.side_effect_free
def hamm_datarequest_list(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Public list, filtered by status/Handlungsfeld/Zielgruppe/organisation, by votes or newest.

    :param sort: ``votes`` (default) or ``newest``
    :param limit: at most 100; :param offset: at most 10000
    """
    tk.check_access("hamm_datarequest_list", context, data_dict)
    query = sa.select(DataRequest)
    for key in ("status", "handlungsfeld", "zielgruppe", "owner_org"):
        value = data_dict.get(key)
        if value and not isinstance(value, str):
            raise tk.ValidationError({key: [tk._("Must be text")]})
        if key == "status" and value == "offen":
            query = query.where(DataRequest.status.in_(OPEN_STATUSES))
        elif key == "owner_org" and value:
            group = model.Group.get(value)
            query = query.where(DataRequest.owner_org == (group.id if group else value))
        elif value:
            query = query.where(getattr(DataRequest, key) == value)
    sort = data_dict.get("sort") or "votes"
    if sort not in ("votes", "newest"):
        raise tk.ValidationError({"sort": [tk._("Unknown value")]})
    order: list[Any] = [DataRequest.created.desc()] if sort == "newest" else [
        DataRequest.vote_count.desc(), DataRequest.created.desc()]
    limit = _int(data_dict, "limit", 20, MAX_ROWS)
    offset = _int(data_dict, "offset", 0, MAX_OFFSET)
    count = model.Session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
    rows = model.Session.scalars(query.order_by(*order, DataRequest.id).limit(limit).offset(offset)).all()
    user = context.get("user")
    return {"count": count, "sort": sort, "limit": limit, "offset": offset,
            "results": [_dictize(r, can_triage(user, r.owner_org)) for r in rows]}


def _check_transition(old: str, new: str) -> bool:
    if new == old:
        return True
    if new == "abgelehnt":
        return old in OPEN_STATUSES
    if old in CLOSED_STATUSES:
        return new == "in_pruefung"  # reopen
    return new in WORKFLOW and WORKFLOW.index(new) > WORKFLOW.index(old)


def hamm_datarequest_update(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Triage: status, public reason, linked dataset, responsible organisation.

    ``abgelehnt`` needs a reason, ``veroeffentlicht`` a public dataset. Every call
    that changes something writes one history row and mails the requester.
    """
    tk.check_access("hamm_datarequest_update", context, data_dict)
    request = _get(data_dict)
    errors: dict[str, list[str]] = {}
    new = {"status": data_dict.get("status") or request.status}
    if new["status"] not in STATUSES:
        errors["status"] = [tk._("Unknown value")]
    elif not _check_transition(request.status, new["status"]):
        errors["status"] = [tk._("This status change is not possible")]
    if "status_reason" in data_dict:
        new["status_reason"] = _text(data_dict, "status_reason", errors, False)
    if "dataset_id" in data_dict:
        new["dataset_id"] = _dataset_id(data_dict.get("dataset_id"), errors)
    if data_dict.get("owner_org"):
        new["owner_org"] = _organization_id(data_dict.get("owner_org"), errors)
    merged = {key: new.get(key, getattr(request, key)) for key in ("status_reason", "dataset_id")}
    if new["status"] == "abgelehnt" and not merged["status_reason"]:
        errors["status_reason"] = [tk._("Please give a public reason for declining")]
    if new["status"] == "veroeffentlicht" and not merged["dataset_id"] and "dataset_id" not in errors:
        errors["dataset_id"] = [tk._("Please link the published dataset")]
    if errors:
        raise tk.ValidationError(errors)
    old_status = request.status
    changes = {key: [getattr(request, key), value] for key, value in new.items()
               if getattr(request, key) != value}
    if changes:
        for key, value in new.items():
            setattr(request, key, value)
        request.modified = _now()
        _record(request, context, old_status, changes)
        model.Session.commit()
    result = _dictize(request, private=True)
    if "status" in changes or "status_reason" in changes:
        if result.get("dataset"):
            result["dataset_url"] = f"{config.site_url()}/dataset/{result['dataset']['name']}"
        notify.requester(result, request.email, request.status_reason or "")
        result.pop("dataset_url", None)
    result["history"] = _history(request, private=True)
    return result


def hamm_datarequest_vote(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """"Ich brauche das auch": one vote per account or browser, limited per address.

    Returns ``counted`` False for a repeated vote instead of failing, so a
    double click does no harm.
    """
    tk.check_access("hamm_datarequest_vote", context, data_dict)
    request = _get(data_dict)
    if not request.is_open:
        raise tk.ValidationError({"status": [tk._("This data request is closed")]})
    voter = abuse.voter_key(context)
    if voter is None:
        raise tk.ValidationError({"voter": [
            tk._("Please log in or allow the voting cookie to vote")]})
    abuse.hit_rate_limit("vote", context, config.datarequest_vote_rate_limit())
    client = abuse.address_hash()
    if voter.startswith("browser:") and client != "local":
        same_address = model.Session.scalar(
            sa.select(sa.func.count()).select_from(DataRequestVote).where(
                DataRequestVote.datarequest_id == request.id, DataRequestVote.client == client,
                DataRequestVote.voter.like("browser:%")))
        already = model.Session.scalar(sa.select(sa.func.count()).select_from(DataRequestVote).where(
            DataRequestVote.datarequest_id == request.id, DataRequestVote.voter == voter))
        if not already and same_address >= config.datarequest_votes_per_address():
            raise tk.ValidationError({"voter": [
                tk._("Too many votes from your network for this data request")]})
    inserted = model.Session.execute(
        insert(DataRequestVote.__table__).values(
            id=model.types.make_uuid(), datarequest_id=request.id, voter=voter,
            client=client, created=_now())
        .on_conflict_do_nothing(constraint="hamm_datarequest_vote_once")
    ).rowcount
    if inserted:
        page_cache.mark_written(model.Session)
        model.Session.execute(
            sa.update(DataRequest.__table__).where(DataRequest.__table__.c.id == request.id)
            .values(vote_count=DataRequest.__table__.c.vote_count + 1))
    model.Session.commit()
    model.Session.refresh(request)
    return {"id": request.id, "vote_count": request.vote_count, "counted": bool(inserted),
            "has_voted": True}
