"""Pages of the Dateninventur: ``/inventar`` for staff and the workflow step's POST endpoint.

``/inventar`` is the dataset search (same query syntax, same facets) over the whole
inventory, with the department, Zugang, status and Datenschutz as the first facets.
Only city staff (members of an organisation) may open it; others are sent to the
login or refused (403).
"""
from __future__ import annotations

from collections import OrderedDict
from typing import Any, Optional

import ckan.lib.helpers as h
import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.lib.search import SearchError, SearchQueryError
from ckan.views import dataset as dataset_views
from flask import Blueprint, request
from werkzeug.wrappers import Response

from ckanext.hamm.inventory import CONTROLLED, visibility, vocabularies
from ckanext.hamm.views import form_action
from ckanext.hamm.vocabularies import store

hamm_inventar = Blueprint("hamm_inventar", __name__)

FACET_TITLES: dict[str, dict[str, str]] = {
    "organization": {"de": "Abteilungen", "en": "Departments"},
    "zugang": {"de": "Zugang", "en": "Access"},
    "inventar_status": {"de": "Status", "en": "Status"},
    "datenschutz_status": {"de": "Datenschutz", "en": "Data protection"},
}


def _staff_only() -> Optional[Response]:
    if not tk.current_user.is_authenticated:
        return tk.redirect_to("user.login", came_from=request.full_path)
    if not visibility.is_staff(visibility.current_user()):
        return tk.abort(403, tk._("The data inventory is open to the city's staff only."))
    return None


def _facets() -> dict[str, str]:
    lang = store.current_language()
    facets: dict[str, str] = OrderedDict((key, store.localise(titles, lang)) for key, titles in FACET_TITLES.items())
    defaults = {"tags": tk._("Tags"), "res_format": tk._("Formats"), "license_id": tk._("Licenses")}
    for facet in h.facets():
        facets.setdefault(facet, defaults.get(facet, facet))
    for plugin in p.PluginImplementations(p.IFacets):
        facets = plugin.dataset_facets(facets, "dataset")
    return facets


def _label_items(search_facets: dict[str, Any]) -> None:
    for field in CONTROLLED:
        for item in (search_facets.get(field) or {}).get("items", []):
            item["display_name"] = vocabularies.label(field, item["name"])


def _url(params: list[tuple[str, Any]]) -> str:
    return dataset_views.url_with_params(h.url_for("hamm_inventar.index"), params)


def index() -> Any:
    refused = _staff_only()
    if refused is not None:
        return refused
    q = request.args.get("q", "")
    page = h.get_page_number(request.args)
    limit = tk.config.get("ckan.datasets_per_page")
    params_nopage = [(k, v) for k, v in request.args.items(multi=True) if k != "page"]
    sort_by = request.args.get("sort") or None
    details = dataset_views._get_search_details()
    facets = _facets()
    data_dict = {"q": q, "fq": (details["fq"] + " +dataset_type:dataset").strip(),
                 "facet.field": list(facets), "rows": limit, "start": (page - 1) * limit,
                 "sort": sort_by, "extras": details["search_extras"], "include_private": True}
    extra: dict[str, Any] = {
        "q": q, "dataset_type": "dataset", "query_error": False, "fields": details["fields"],
        "fields_grouped": details["fields_grouped"], "facet_titles": facets, "search_facets": {},
        "sort_by_selected": sort_by, "translated_fields": {},
        "remove_field": lambda key, value=None, replace=None: h.remove_url_param(
            key, value=value, replace=replace, alternative_url=h.url_for("hamm_inventar.index")),
        "sort_by": lambda fields: _url([(k, v) for k, v in params_nopage if k != "sort"]
                                       + [("sort", ", ".join(f"{f} {o}" for f, o in fields))]),
    }
    try:
        query = tk.get_action("package_search")({"user": tk.current_user.name}, data_dict)
    except (SearchQueryError, SearchError, tk.ValidationError):
        extra["query_error"] = True
        query = {"results": [], "count": 0, "search_facets": {}, "sort": sort_by}
    _label_items(query["search_facets"])
    extra["search_facets"] = query["search_facets"]
    extra["sort_by_selected"] = query.get("sort")
    extra["page"] = h.Page(collection=query["results"], page=page, item_count=query["count"],
                           items_per_page=limit,
                           url=lambda q=None, page=None: _url(params_nopage + [("page", page)]))
    extra["page"].items = query["results"]
    return tk.render("hamm/inventar.html", extra)


def step(id: str) -> Response:
    """The workflow button on the dataset page (CSRF-checked; the action checks the role)."""
    data = {"id": id, "to": request.form.get("to", ""), "entscheidung": request.form.get("entscheidung"),
            "kommentar": request.form.get("kommentar", "")}
    result = form_action.run("hamm_inventar_transition", data, tk._("You may not take this step for this dataset."))
    if isinstance(result, Response):
        return result
    tk.h.flash_success(tk._("New state: {state}").format(
        state=vocabularies.label("inventar_status", result["inventar_status"])))
    return tk.redirect_to("dataset.read", id=id)


@hamm_inventar.app_errorhandler(tk.ValidationError)
def bulk_refused(error: tk.ValidationError) -> Response:
    """The organisation's bulk page lets a refused "make public" through (CKAN catches only 403 there)."""
    if request.endpoint != "organization.bulk_process":
        raise error
    messages = [m for value in error.error_dict.values() for m in (value if isinstance(value, list) else [value])]
    tk.h.flash_error(" ".join(str(m) for m in messages))
    return tk.redirect_to(request.url)


hamm_inventar.add_url_rule("/inventar", view_func=index, methods=["GET"])
hamm_inventar.add_url_rule("/dataset/<id>/inventar-schritt", view_func=step, methods=["POST"])
