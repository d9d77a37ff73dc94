"""Pages of the Datenwunsch: public list and detail, the submit form, voting and staff triage.

The views only translate between forms and the ``hamm_datarequest_*`` actions,
which hold every rule (auth, validation, abuse limits, history, mail).
"""
from __future__ import annotations

import secrets
from functools import partial
from typing import Any, Optional

import ckan.plugins.toolkit as tk
from ckan.lib.helpers import Page
from ckan.types import Context
from flask import Blueprint, make_response

from ckanext.hamm.model.datarequest import STATUSES
from ckanext.hamm.participation import abuse
from ckanext.hamm.views.csrf import require_csrf_token
from ckanext.hamm.vocabularies import DIMENSIONS
from ckanext.hamm.vocabularies import choices as concepts
from ckanext.hamm.vocabularies import store as vocabulary

__all__ = ["hamm_datarequest"]

hamm_datarequest = Blueprint("hamm_datarequest", __name__, url_prefix="/datenwunsch")

PAGE_SIZE = 20
SUBMIT_FIELDS = ("title", "description", *DIMENSIONS, "email",
                 "owner_org", abuse.HONEYPOT_FIELD)
TRIAGE_FIELDS = ("status", "status_reason", "dataset_id", "owner_org")
COOKIE_AGE = 365 * 24 * 3600


def status_labels() -> dict[str, str]:
    return {
        "neu": tk._("New"), "in_pruefung": tk._("Under review"), "geplant": tk._("Planned"),
        "veroeffentlicht": tk._("Published"), "abgelehnt": tk._("Declined"),
    }


def _context() -> Context:
    user = tk.current_user
    return {"user": user.name if user.is_authenticated else "", "auth_user_obj": user}


def _form(fields: tuple[str, ...]) -> dict[str, str]:
    return {key: tk.request.form.get(key, "") for key in fields if key in tk.request.form}


def _organizations(for_triage: bool) -> list[dict[str, Any]]:
    """Organisations to choose from: all for submitters, the user's own for triage."""
    if for_triage:
        return tk.get_action("organization_list_for_user")(
            _context(), {"permission": "update_dataset", "include_dataset_count": False})
    return tk.get_action("organization_list")(_context(), {"all_fields": True, "limit": 1000})


def _choices() -> dict[str, Any]:
    return {
        "handlungsfelder": concepts.choices("handlungsfeld"),
        "zielgruppen": concepts.choices("zielgruppe"),
        "personas": concepts.choices("persona"),
        "status_labels": status_labels(),
    }


def index() -> str:
    args = tk.request.args
    page = tk.h.get_page_number(args)
    params = {key: args.get(key, "") for key in ("status", "handlungsfeld", "sort")}
    params["sort"] = params["sort"] if params["sort"] in ("votes", "newest") else "votes"
    if params["status"] not in STATUSES + ("offen",):
        params["status"] = ""
    try:
        result = tk.get_action("hamm_datarequest_list")(_context(), dict(
            {k: v for k, v in params.items() if v}, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE))
    except tk.ValidationError:
        result = {"count": 0, "results": []}
    pager = Page(collection=result["results"], page=page, item_count=result["count"],
                 items_per_page=PAGE_SIZE, presliced_list=True,
                 url=partial(_pager_url, params))
    return tk.render("hamm/datarequest/index.html", dict(
        _choices(), requests=result["results"], count=result["count"], params=params, page=pager))


def _pager_url(params: dict[str, str], q: Any = None, page: Optional[int] = None) -> str:
    return tk.h.url_for("hamm_datarequest.index", page=page, **{k: v for k, v in params.items() if v})


def new() -> Any:
    data: dict[str, str] = {}
    errors: dict[str, list[str]] = {}
    if tk.request.method == "POST":
        require_csrf_token()
        data = _form(SUBMIT_FIELDS)
        data["language"] = vocabulary.current_language()
        context, token = _voter_context()
        try:
            created = tk.get_action("hamm_datarequest_create")(context, data)
        except tk.ValidationError as error:
            errors = error.error_dict
        else:
            tk.h.flash_success(tk._("Thank you! Your data request has been received."))
            return _with_voter_cookie(tk.redirect_to("hamm_datarequest.read", id=created["id"]), token)
    else:  # from a search that found nothing: the query becomes the title
        data["title"] = tk.request.args.get("title", "")[:200]
    return tk.render("hamm/datarequest/new.html", dict(
        _choices(), data=data, errors=errors, error_summary=_summary(errors, _labels()),
        organizations=_organizations(False), honeypot=abuse.HONEYPOT_FIELD))


def _labels() -> dict[str, str]:
    """Form labels for the error summary ("Titel: Angabe fehlt", not "title: …")."""
    return {"title": tk._("Title"), "description": tk._("Description"), "handlungsfeld": tk._("Field of action"),
            "zielgruppe": tk._("Target group"), "persona": tk._("Persona"), "email": tk._("E-mail"),
            "owner_org": tk._("Responsible department"), "status": tk._("Status"),
            "status_reason": tk._("Public answer or reason"), "dataset_id": tk._("Published dataset"),
            "voter": tk._("Vote")}


def _summary(errors: dict[str, Any], labels: Optional[dict[str, str]] = None) -> dict[str, str]:
    labels = labels or {}
    return {labels.get(key, key): "; ".join(str(m) for m in messages) if isinstance(messages, list)
            else str(messages) for key, messages in errors.items()}


def _voter_context() -> tuple[Context, Optional[str]]:
    """The request context with a new voter token for a browser that has none yet."""
    context = _context()
    token = None
    if not tk.current_user.is_authenticated and not tk.request.cookies.get(abuse.VOTER_COOKIE):
        token = secrets.token_urlsafe(24)
        context["hamm_voter_token"] = token
    return context, token


def _with_voter_cookie(response: Any, token: Optional[str]) -> Any:
    response = make_response(response)
    if token:
        response.set_cookie(abuse.VOTER_COOKIE, token, max_age=COOKIE_AGE, httponly=True,
                            samesite="Lax", secure=tk.request.scheme == "https")
    return response


def read(id: str) -> str:
    try:
        request = tk.get_action("hamm_datarequest_show")(_context(), {"id": id})
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Data request not found"))
    return tk.render("hamm/datarequest/read.html", dict(_choices(), request=request))


def vote(id: str) -> Any:
    require_csrf_token()
    context, token = _voter_context()
    try:
        result = tk.get_action("hamm_datarequest_vote")(context, {"id": id})
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Data request not found"))
    except tk.ValidationError as error:
        tk.h.flash_error(" ".join(_summary(error.error_dict).values()))
    else:
        if result["counted"]:
            tk.h.flash_success(tk._("Thank you for your vote."))
        else:
            tk.h.flash_notice(tk._("You have already voted for this data request."))
    return _with_voter_cookie(tk.redirect_to("hamm_datarequest.read", id=id), token)


def triage(id: str) -> Any:
    context = _context()
    try:
        tk.check_access("hamm_datarequest_update", context, {"id": id})
        request = tk.get_action("hamm_datarequest_show")(context, {"id": id})
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Data request not found"))
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only staff of the responsible organisation can triage this data request"))
    data: dict[str, str] = {}
    errors: dict[str, list[str]] = {}
    if tk.request.method == "POST":
        require_csrf_token()
        data = _form(TRIAGE_FIELDS)
        try:
            tk.get_action("hamm_datarequest_update")(context, dict(data, id=id))
        except tk.ValidationError as error:
            errors = error.error_dict
        except tk.NotAuthorized:
            errors = {"owner_org": [tk._("You can only hand a data request to an organisation you work for")]}
        else:
            tk.h.flash_success(tk._("The data request has been updated."))
            return tk.redirect_to("hamm_datarequest.read", id=id)
    return tk.render("hamm/datarequest/triage.html", dict(
        _choices(), request=request, data=data, errors=errors, error_summary=_summary(errors, _labels()),
        organizations=_organizations(True)))


hamm_datarequest.add_url_rule("", view_func=index, methods=["GET"])
hamm_datarequest.add_url_rule("/neu", view_func=new, methods=["GET", "POST"])
hamm_datarequest.add_url_rule("/<id>", view_func=read, methods=["GET"])
hamm_datarequest.add_url_rule("/<id>/stimme", view_func=vote, methods=["POST"])
hamm_datarequest.add_url_rule("/<id>/bearbeiten", view_func=triage, methods=["GET", "POST"])
