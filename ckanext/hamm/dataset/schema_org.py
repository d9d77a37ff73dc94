"""schema.org ``Dataset`` markup for search engines (Google Dataset Search reads JSON-LD).

Only terms of schema.org's own vocabulary, with values of the ranges it declares
(``tests/dataset/test_schema_org.py`` checks both against an offline extract of the
vocabulary). Pure function of the ``package_show`` dict and the page's URLs.
"""
from __future__ import annotations

import json
from typing import Any, Optional

from ckanext.hamm.dataset.citation import data_dates, publisher_name

__all__ = ["dataset_markup", "as_script_json"]


def _organisation(name: str, url: str = "") -> dict[str, Any]:
    organisation: dict[str, Any] = {"@type": "Organization", "name": name}
    if url.startswith(("http://", "https://")):
        organisation["url"] = url
    return organisation


def _temporal(pkg: dict[str, Any]) -> Optional[str]:
    """An ISO 8601 interval (``2020-01-01/2023-12-31``, ``..`` for an open end)."""
    dates = data_dates(pkg)
    start, end = dates["coverage_start"], dates["coverage_end"]
    if not start and not end:
        return None
    return f"{start.isoformat() if start else '..'}/{end.isoformat() if end else '..'}"


def _places(pkg: dict[str, Any]) -> list[dict[str, Any]]:
    places = []
    for item in pkg.get("spatial_coverage") or []:
        if isinstance(item, dict) and (item.get("text") or item.get("uri")):
            place: dict[str, Any] = {"@type": "Place", "name": item.get("text") or item.get("uri")}
            if str(item.get("uri") or "").startswith(("http://", "https://")):
                place["sameAs"] = item["uri"]
            places.append(place)
    return places


def _downloads(pkg: dict[str, Any]) -> list[dict[str, Any]]:
    downloads = []
    for res in pkg.get("resources") or []:
        url = str(res.get("url") or "")
        if not url.startswith(("http://", "https://")):
            continue
        download: dict[str, Any] = {"@type": "DataDownload", "contentUrl": url,
                                    "name": res.get("name") or url.rsplit("/", 1)[-1]}
        if res.get("mimetype") or res.get("format"):
            download["encodingFormat"] = res.get("mimetype") or str(res["format"]).upper()
        if res.get("description"):
            download["description"] = res["description"]
        downloads.append(download)
    return downloads


def dataset_markup(pkg: dict[str, Any], url: str, lang: str = "de", fallback_publisher: str = "",
                   publisher_url: str = "", catalogue_url: str = "") -> dict[str, Any]:
    """The ``Dataset`` node; empty values are left out rather than sent as ``""``."""
    org = pkg.get("organization") or {}
    publisher = _organisation(publisher_name(pkg, fallback_publisher),
                              (next(iter(pkg.get("publisher") or []), None) or {}).get("url") or publisher_url)
    creator = _organisation(org.get("title") or org.get("name") or publisher["name"])
    dates = data_dates(pkg)
    keywords = [tag.get("display_name") or tag.get("name") for tag in pkg.get("tags") or [] if isinstance(tag, dict)]
    markup: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "@id": url,
        "name": pkg.get("title") or pkg.get("name"),
        # Google wants 50–5000 characters; a short title-only entry still says what it is.
        "description": (pkg.get("notes") or pkg.get("title") or pkg.get("name") or "")[:5000],
        "url": url,
        "identifier": pkg.get("identifier") or pkg.get("id"),
        "keywords": [k for k in keywords if k],
        "license": pkg.get("license_url") or None,
        "publisher": publisher,
        "creator": creator,
        "temporalCoverage": _temporal(pkg),
        "spatialCoverage": _places(pkg),
        "distribution": _downloads(pkg),
        "dateModified": (dates["data"].isoformat() if dates["data"] else None),
        "datePublished": str(pkg.get("issued") or "")[:10] or None,
        "version": str(pkg.get("version") or "") or None,
        "isAccessibleForFree": True,
        "inLanguage": lang,
    }
    if catalogue_url:
        markup["includedInDataCatalog"] = {"@type": "DataCatalog", "name": fallback_publisher or publisher["name"],
                                           "url": catalogue_url}
    return {key: value for key, value in markup.items() if value not in (None, "", [])}


def as_script_json(markup: dict[str, Any]) -> str:
    """JSON for a ``<script type="application/ld+json">``: ``</`` and ``<!--`` cannot end it early."""
    return (json.dumps(markup, ensure_ascii=False, indent=None)
            .replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))
