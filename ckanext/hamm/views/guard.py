"""One guard at the request boundary for input no page or action can use.

Checked once here instead of in every view and action: NUL characters
(PostgreSQL refuses them in text and the request ended in a 500), JSON bodies
nested so deeply that parsing recurses out of the stack, and ids that are not
text (a list or an object where an action expects ``id``/``…_id`` or a resource's
``url``: CKAN's uploader parses it before any validator), and forms
posted without fields a core view reads unchecked.
"""
from __future__ import annotations

import json
from typing import Any, Optional

import ckan.plugins.toolkit as tk
from flask import Blueprint, jsonify

__all__ = ["hamm_guard"]

hamm_guard = Blueprint("hamm_guard", __name__)

# Core views that read these form fields unchecked (a partial form was a KeyError, a 500).
FORM_FIELDS = {"user.edit": ("email", "old_password")}
# Fields core compares or splits as text unchecked (a list or number was a SQL or TypeError, a 500).
TEXT_FIELDS = ("owner_org", "tag_string")
# Search parameters core turns into numbers unchecked ("" or a list was a TypeError, a 500).
WHOLE_NUMBERS = ("rows", "start", "facet.limit", "facet.mincount")


def _has_nul(values: Any) -> bool:
    return any("\x00" in value for value in values if isinstance(value, str))


def _has_surrogate(values: Any) -> bool:
    """A lone UTF-16 half ("\\ud800" in JSON) cannot be stored as UTF-8 (a 500 in PostgreSQL)."""
    return any(any("\ud800" <= ch <= "\udfff" for ch in value) for value in values if isinstance(value, str))


def _bad_link(body: Any, form: Any) -> Optional[str]:
    """A resource link the URL parser refuses, in a JSON body (also its resources) or a form."""
    from ckanext.hamm.logic.validators import link_url_problem

    links: list[Any] = [form.get("url")] if form else []
    if isinstance(body, dict):
        links.append(body.get("url"))
        resources = body.get("resources")
        if isinstance(resources, list):
            links += [r.get("url") for r in resources if isinstance(r, dict)]
    if any(link is not None and not isinstance(link, str) for link in links):
        return tk._("{field} must be a text, not a list or an object.").format(field="url")
    return next((problem for problem in map(link_url_problem, links) if problem), None)


def _bad_sort(request: Any) -> bool:
    """CKAN's search page splits ``sort`` by commas and reads each part's first word (IndexError)."""
    sort = request.args.get("sort")
    return request.endpoint == "dataset.search" and bool(sort) and any(not p.strip() for p in sort.split(","))


def _bad_number(request: Any, body: Any) -> Optional[str]:
    if not request.path.rstrip("/").endswith("/package_search"):
        return None
    given = dict(request.args.items())
    if isinstance(body, dict):
        given.update(body)
    for key in WHOLE_NUMBERS:
        value = given.get(key)
        if value is None or (isinstance(value, int) and not isinstance(value, bool)):
            continue
        if not isinstance(value, str) or not value.strip().lstrip("-").isdigit():
            return key
    return None


def _bad_id(body: Any) -> Optional[str]:
    if not isinstance(body, dict):
        return None
    for key, value in body.items():
        if (key == "id" or key.endswith("_id")) and value is not None and not isinstance(value, (str, int)):
            return key
        if key in TEXT_FIELDS and value is not None and not isinstance(value, str):
            return key
    return None


def _refuse(message: str, field: str) -> Any:
    if tk.request.path.startswith("/api/"):
        response = jsonify({"success": False, "error": {"__type": "Validation Error", field: [message]}})
        response.status_code = 400
        return response
    return tk.abort(400, message)


def _json_body() -> tuple[Any, Optional[str]]:
    """The parsed JSON body (None when there is none) and what is wrong with it, if anything."""
    if not tk.request.path.startswith("/api/") or not tk.request.is_json:
        return None, None
    raw = tk.request.get_data(cache=True, as_text=True)
    try:
        return json.loads(raw), None
    except RecursionError:
        return None, tk._("The request body is nested too deeply.")
    except ValueError:
        return None, None  # CKAN answers broken JSON itself


def _strings(value: Any) -> list[str]:
    """Every string in a JSON value, keys included (iteratively: depth is bounded by json.loads)."""
    found, stack = [], [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            found.append(item)
        elif isinstance(item, dict):
            found.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


@hamm_guard.before_app_request
def refuse_unusable_input() -> Optional[Any]:
    nul = tk._("The request contains a NUL character (\\0), which is not allowed.")
    request = tk.request
    if "\x00" in request.path or _has_nul(request.args.values()) or _has_nul(request.args.keys()):
        return _refuse(nul, "nul")
    if request.method in ("POST", "PUT", "PATCH"):
        body, problem = _json_body()
        if problem:
            return _refuse(problem, "body")
        if _has_nul(_strings(body)) or (request.form and _has_nul(request.form.values())):
            return _refuse(nul, "nul")
        if _has_surrogate(_strings(body)):
            return _refuse(tk._("The request contains text that is not valid Unicode."), "unicode")
        missing = [f for f in FORM_FIELDS.get(request.endpoint or "", ()) if f not in request.form]
        if missing:
            return _refuse(tk._("The form is incomplete. Please reload the page and try again."), missing[0])
        link = _bad_link(body, request.form)
        if link:
            return _refuse(link, "url")
        key = _bad_id(body)
        if key:
            return _refuse(tk._("{field} must be a text, not a list or an object.").format(field=key), key)
    if _bad_sort(request):
        return _refuse(tk._("The sort order is not valid."), "sort")
    number = _bad_number(request, _json_body()[0] if request.method == "POST" else None)
    if number:
        return _refuse(tk._("{field} must be a whole number.").format(field=number), number)
    return None
