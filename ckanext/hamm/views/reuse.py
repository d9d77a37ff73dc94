"""Reuse and findability: citation files, the hit list as CSV, ``/sitemap.xml`` and ``/robots.txt``.

The hit list and the sitemap search as the visitor (the sitemap as an anonymous one), so
neither lists what the visitor may not see; both stream, page by page of the search.
"""
from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from typing import Any
from xml.sax.saxutils import escape

import ckan.plugins.toolkit as tk
from flask import Blueprint, Response, request, stream_with_context

from ckanext.hamm import config as hamm_config
from ckanext.hamm.dataset import citation
from ckanext.hamm.inventory.spreadsheet import neutralise
from ckanext.hamm.logic.visible_search import search_as_current_user
from ckanext.hamm.vocabularies import dimensions
from ckanext.hamm.vocabularies import store as vocabulary

__all__ = ["hamm_reuse"]

hamm_reuse = Blueprint("hamm_reuse", __name__)

PAGE = 1000              # package_search's own upper bound per call
MAX_HIT_ROWS = 10_000    # a bigger export is what the DCAT dump is for
SITEMAP_URLS = 50_000    # sitemaps.org: at most 50,000 addresses per file
FIELD = re.compile(r"[A-Za-z][A-Za-z0-9_]*")  # a facet filter names an index field, nothing more
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
HIT_COLUMNS = ("Titel", "Adresse", "Organisation", "Beschreibung", "Handlungsfelder", "Schlagwörter",
               "Formate", "Lizenz", "Zeitraum von", "Zeitraum bis", "Metadaten geändert")


def _dataset_or_404(name: str) -> dict[str, Any]:
    context = {"user": tk.current_user.name if tk.current_user.is_authenticated else ""}
    try:
        return tk.get_action("package_show")(context, {"id": name})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return tk.abort(404, tk._("Dataset not found"))


def citation_file(id: str, format: str) -> Response:
    pkg = _dataset_or_404(id)
    url = tk.url_for("dataset.read", id=pkg["id"], qualified=True)
    publisher = hamm_config.dcat_publisher_name()
    if format == "bib":
        body, mimetype, suffix = citation.bibtex(pkg, url, publisher), "application/x-bibtex", "bib"
    else:
        body = json.dumps(citation.csl_json(pkg, url, publisher), ensure_ascii=False, indent=2)
        mimetype, suffix = "application/vnd.citationstyles.csl+json", "csl.json"
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{pkg["name"]}.{suffix}"'
    return response


def _search_params() -> dict[str, Any]:
    """q and the facet filters as the search page reads them (``field=value``, each quoted)."""
    filters = []
    for key, value in request.args.items(multi=True):
        if key in ("q", "page", "sort") or not value or not FIELD.fullmatch(key) or key.startswith(("_", "ext_")):
            continue
        quoted = value.replace("\\", "\\\\").replace('"', '\\"')
        filters.append(f'{key}:"{quoted}"')
    return {"q": request.args.get("q", ""), "fq": " ".join(filters),
            "sort": request.args.get("sort") or "score desc, metadata_modified desc",
            "include_private": True}


def _hit_row(pkg: dict[str, Any]) -> list[str]:
    coverage = next((c for c in pkg.get("temporal_coverage") or [] if isinstance(c, dict)), {})
    labels = [vocabulary.concept_label("handlungsfeld", value, "de") for value in pkg.get("handlungsfeld") or []]
    cells = [pkg.get("title") or pkg["name"], tk.url_for("dataset.read", id=pkg["name"], qualified=True),
             (pkg.get("organization") or {}).get("title") or "", " ".join((pkg.get("notes") or "").split()),
             "; ".join(labels), "; ".join(t["name"] for t in pkg.get("tags") or []),
             "; ".join(sorted({(r.get("format") or "").upper() for r in pkg.get("resources") or []} - {""})),
             pkg.get("license_title") or pkg.get("license_id") or "",
             coverage.get("start") or "", coverage.get("end") or "", str(pkg.get("metadata_modified") or "")[:10]]
    return [neutralise(str(cell)) for cell in cells]


def _csv_line(row: list[str] | tuple[str, ...]) -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerow(row)
    return out.getvalue()


def hit_list() -> Response:
    params = _search_params()
    first = search_as_current_user({**params, "rows": 0})

    def rows() -> Iterator[str]:
        yield "\ufeff" + _csv_line(HIT_COLUMNS)  # the BOM makes Excel read UTF-8
        for start in range(0, MAX_HIT_ROWS, PAGE):
            page = search_as_current_user({**params, "rows": min(PAGE, MAX_HIT_ROWS - start), "start": start})
            for pkg in page["results"]:
                yield _csv_line(_hit_row(pkg))
            if len(page["results"]) < PAGE:
                return

    response = Response(stream_with_context(rows()), mimetype="text/csv")
    response.headers["Content-Disposition"] = 'attachment; filename="trefferliste.csv"'
    response.headers["X-Hamm-Hits"] = str(min(first["count"], MAX_HIT_ROWS))
    return response


def _public_search(start: int, rows: int) -> dict[str, Any]:
    """Public datasets as an anonymous visitor sees them, oldest first (stable pages)."""
    return tk.get_action("package_search")({"user": "", "ignore_auth": False}, {
        "q": "", "rows": rows, "start": start, "sort": "metadata_created asc", "include_private": False,
        "fl": "name,metadata_modified"})


def _main_pages() -> list[str]:
    pages = [tk.url_for("home.index", qualified=True), tk.url_for("dataset.search", qualified=True),
             tk.url_for("hamm_kennzahlen.index", qualified=True)]
    for dimension in dimensions.DIMENSIONS:
        pages.append(tk.url_for(f"hamm_pages.{dimension}_index", qualified=True))
        for concept in dimensions.concepts(dimension, "de"):
            pages.append(tk.url_for(f"hamm_pages.{dimension}_read", concept_id=concept.id, qualified=True))
    return pages


def _xml(lines: Iterator[str]) -> Response:
    return Response(stream_with_context(lines), mimetype="application/xml")


def _url_entry(loc: str, lastmod: str = "") -> str:
    modified = f"<lastmod>{escape(lastmod[:10])}</lastmod>" if lastmod else ""
    return f"<url><loc>{escape(loc)}</loc>{modified}</url>\n"


def _urlset(part: int) -> Iterator[str]:
    """Part ``part`` (0-based): the main pages first, then the datasets, 50,000 addresses a part."""
    yield f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{SITEMAP_NS}">\n'
    main = _main_pages()
    first, last = part * SITEMAP_URLS, (part + 1) * SITEMAP_URLS  # positions over main pages + datasets
    for position, loc in enumerate(main):
        if first <= position < last:
            yield _url_entry(loc)
    start = max(first - len(main), 0)
    end = last - len(main)
    while start < end:
        page = _public_search(start, min(PAGE, end - start))
        for pkg in page["results"]:
            yield _url_entry(tk.url_for("dataset.read", id=pkg["name"], qualified=True),
                             str(pkg.get("metadata_modified") or ""))
        if not page["results"]:
            break
        start += len(page["results"])
    yield "</urlset>\n"


def sitemap() -> Response:
    """One file while it fits; above 50,000 addresses an index of ``/sitemap-<n>.xml`` parts."""
    total = len(_main_pages()) + _public_search(0, 0)["count"]
    if total <= SITEMAP_URLS:
        return _xml(_urlset(0))
    parts = -(-total // SITEMAP_URLS)

    def index() -> Iterator[str]:
        yield f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="{SITEMAP_NS}">\n'
        for part in range(1, parts + 1):
            loc = tk.url_for("hamm_reuse.sitemap_part", part=part, qualified=True)
            yield f"<sitemap><loc>{escape(loc)}</loc></sitemap>\n"
        yield "</sitemapindex>\n"
    return _xml(index())


def sitemap_part(part: int) -> Response:
    total = len(_main_pages()) + _public_search(0, 0)["count"]
    if not 1 <= part <= -(-total // SITEMAP_URLS):
        return tk.abort(404, tk._("Page not found"))
    return _xml(_urlset(part - 1))


def robots() -> Response:
    """Robots may read the public pages, not the staff and API ones; the sitemap tells them what there is."""
    lines = ["User-agent: *", "Disallow: /api/", "Disallow: /user/", "Disallow: /dashboard",
             "Disallow: /ckan-admin", "Disallow: /dataset/trefferliste.csv",
             f"Sitemap: {tk.url_for('hamm_reuse.sitemap', qualified=True)}", ""]
    return Response("\n".join(lines), mimetype="text/plain")


hamm_reuse.add_url_rule("/dataset/<id>/zitation.<any(bib, 'csl.json'):format>", "citation", citation_file)
hamm_reuse.add_url_rule("/dataset/trefferliste.csv", "hit_list", hit_list)
hamm_reuse.add_url_rule("/sitemap.xml", "sitemap", sitemap)
hamm_reuse.add_url_rule("/sitemap-<int:part>.xml", "sitemap_part", sitemap_part)
hamm_reuse.add_url_rule("/robots.txt", "robots", robots)
