"""What someone who reuses a dataset needs on its page: how to cite it, how to get it by API,
similar datasets, the schema.org markup and the canonical address."""
from __future__ import annotations

from typing import Any, Optional
from urllib.parse import urlencode

import ckan.plugins.toolkit as tk
from flask import request

from ckanext.hamm import config as hamm_config
from ckanext.hamm.dataset import citation, schema_org
from ckanext.hamm.helpers.formatting import hamm_render_date
from ckanext.hamm.logic.visible_search import search_as_current_user
from ckanext.hamm.vocabularies.store import current_language

__all__ = ["hamm_get_citation", "hamm_get_api_examples", "hamm_list_similar_datasets",
           "hamm_get_schema_org_json", "hamm_get_canonical_url", "hamm_get_usage", "hamm_get_hit_list_url",
           "hamm_list_staff_usage"]

SIMILAR = 4


def permalink(pkg: dict[str, Any]) -> str:
    """The address that survives a rename: the dataset page under its id."""
    return tk.url_for("dataset.read", id=pkg["id"], qualified=True)


def _publisher() -> str:
    return hamm_config.dcat_publisher_name()


def hamm_get_citation(pkg: dict[str, Any]) -> dict[str, Any]:
    """Citation text, BibTeX, the download links and the data's dates next to the record's."""
    url = permalink(pkg)
    dates = citation.data_dates(pkg)
    coverage = ""
    if dates["coverage_start"] or dates["coverage_end"]:
        start, end = hamm_render_date(dates["coverage_start"]), hamm_render_date(dates["coverage_end"])
        coverage = f"{start} – {end}" if start and end else (
            tk._("since {date}").format(date=start) if start else tk._("until {date}").format(date=end))
    return {
        "text": citation.citation(pkg, url, _publisher()),
        "bibtex": citation.bibtex(pkg, url, _publisher()),
        "url": url,
        "bibtex_url": tk.url_for("hamm_reuse.citation", id=pkg["name"], format="bib"),
        "csl_url": tk.url_for("hamm_reuse.citation", id=pkg["name"], format="csl.json"),
        "coverage": coverage,
        "data_date": hamm_render_date(dates["data"]),
        "file_changed": hamm_render_date(dates["file_changed"]),
        "record_created": hamm_render_date(pkg.get("metadata_created")),
        "record_changed": hamm_render_date(pkg.get("metadata_modified")),
    }


def _action_url(name: str, **params: str) -> str:
    return tk.url_for("api.action", ver=3, logic_function=name, qualified=True, **params)


def hamm_get_api_examples(pkg: dict[str, Any]) -> list[dict[str, str]]:
    """Copyable addresses: ``package_show``, a DataStore query per loaded table, the DCAT files."""
    examples = [{"label": tk._("Metadata (CKAN API, package_show)"),
                 "url": _action_url("package_show", id=pkg["name"])}]
    for res in pkg.get("resources") or []:
        if res.get("datastore_active"):
            examples.append({"label": tk._("Table rows (DataStore API): {name}").format(
                name=res.get("name") or res["id"]),
                "url": _action_url("datastore_search", resource_id=res["id"], limit="5")})
    if "dcat_get_endpoint" in tk.h and tk.h.dcat_endpoints_enabled():
        endpoint = tk.h.dcat_get_endpoint("dataset")
        for fmt, label in (("ttl", "Turtle"), ("xml", "RDF/XML"), ("jsonld", "JSON-LD")):
            examples.append({"label": tk._("Metadata as {format}").format(format=label) + " (DCAT-AP)",
                             "url": tk.url_for(endpoint, _id=pkg["name"], _format=fmt, qualified=True)})
    return examples


def _quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def hamm_list_similar_datasets(pkg: dict[str, Any], limit: int = SIMILAR) -> list[dict[str, Any]]:
    """A few visible datasets sharing a Handlungsfeld or a tag, those sharing most first (one search)."""
    clauses = [f"vocab_handlungsfeld:{_quoted(v)}" for v in pkg.get("handlungsfeld") or [] if isinstance(v, str)]
    clauses += [f"tags:{_quoted(t['name'])}" for t in pkg.get("tags") or [] if isinstance(t, dict) and t.get("name")]
    if not clauses:
        return []
    result = search_as_current_user({"q": " OR ".join(clauses[:20]), "fq": f"-id:{_quoted(pkg['id'])}",
                                     "rows": limit, "sort": "score desc, metadata_modified desc"})
    return [d for d in result["results"] if d.get("id") != pkg["id"]][:limit]


def hamm_get_schema_org_json(pkg: dict[str, Any]) -> str:
    markup = schema_org.dataset_markup(pkg, permalink(pkg), current_language(), _publisher(),
                                       hamm_config.dcat_publisher_url(), tk.url_for("home.index", qualified=True))
    return schema_org.as_script_json(markup)


def hamm_get_canonical_url(pkg: Optional[dict[str, Any]] = None) -> str:
    """The dataset page under its name; other pages at their own path with their filters, without
    the sort order or empty parameters (those show the same datasets)."""
    if pkg:
        return tk.url_for("dataset.read", id=pkg["name"], qualified=True)
    params = [(key, value) for key, value in request.args.items(multi=True) if value and key != "sort"]
    return tk.url_for(request.endpoint, qualified=True, **(request.view_args or {})) + (
        "?" + urlencode(params) if params else "")


def hamm_get_hit_list_url() -> str:
    """The hit list as CSV with the search's query and filters (not its page)."""
    params = [(key, value) for key, value in request.args.items(multi=True) if value and key != "page"]
    return tk.url_for("hamm_reuse.hit_list") + ("?" + urlencode(params) if params else "")


def hamm_get_usage(pkg: dict[str, Any]) -> Optional[dict[str, Any]]:
    """The dataset's views and downloads of the last 30 days, for its editors only (else None)."""
    user = tk.current_user
    if not user.is_authenticated:
        return None
    context = {"user": user.name, "auth_user_obj": user}
    try:
        return tk.get_action("hamm_usage_show")(context, {"id": pkg["id"], "days": 30})
    except (tk.NotAuthorized, tk.ObjectNotFound):
        return None


STAFF_ORGANISATIONS = 10  # a sysadmin belongs to all of them: the dashboard stays short


def hamm_list_staff_usage() -> list[dict[str, Any]]:
    """Views and downloads of the last 30 days for each organisation the user publishes for."""
    user = tk.current_user
    if not user.is_authenticated:
        return []
    context = {"user": user.name, "auth_user_obj": user}
    orgs = tk.get_action("organization_list_for_user")(dict(context), {"permission": "create_dataset"})
    figures = []
    for org in orgs[:STAFF_ORGANISATIONS]:
        try:
            figures.append(tk.get_action("hamm_usage_show")(dict(context), {"organization": org["id"], "days": 30}))
        except (tk.NotAuthorized, tk.ObjectNotFound):
            continue
    return figures
