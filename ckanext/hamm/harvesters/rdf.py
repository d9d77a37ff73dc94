"""Parsing DCAT catalogue pages safely before ckanext-dcat's parser sees them.

rdflib expands XML entities (billion laughs took minutes) and fetches remote
JSON-LD contexts; both are refused here first. Parsed datasets are turned into
the CKAN-API shape so one mapping serves both modes.
"""
from __future__ import annotations

import json
import re
from typing import Any, Optional

from ckanext.hamm.net.errors import HammContentError
from ckanext.hamm.vocabularies.ids import ids as concept_ids

from . import mapping

DTD = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
FORMATS = {"application/rdf+xml": "xml", "application/xml": "xml", "text/xml": "xml",
           "text/turtle": "turtle", "application/x-turtle": "turtle", "application/ld+json": "json-ld",
           "application/json": "json-ld"}


def check_xml(text: str) -> None:
    if DTD.search(text):
        raise HammContentError(
            "Der Katalog enthält eine DOCTYPE-/ENTITY-Deklaration; solche Dateien werden aus "
            "Sicherheitsgründen nicht gelesen.",
            "The catalogue contains a DOCTYPE/ENTITY declaration; such files are refused for security reasons.")


def check_jsonld(value: Any) -> None:
    """Refuse remote contexts (a string or a list with strings under @context, or @import)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            context = item.get("@context")
            contexts = context if isinstance(context, list) else [context]
            if any(isinstance(c, str) for c in contexts) or "@import" in item:
                raise HammContentError(
                    "Der JSON-LD-Katalog verweist auf einen entfernten @context; der wird nicht abgerufen.",
                    "The JSON-LD catalogue refers to a remote @context, which is never fetched.")
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def rdf_format(content_type: str, text: str) -> str:
    if content_type in FORMATS:
        return FORMATS[content_type]
    stripped = text.lstrip()[:1]
    return "json-ld" if stripped in ("{", "[") else "xml" if stripped == "<" else "turtle"


def parse_page(text: str, content_type: str, profiles: Optional[list[str]] = None) -> tuple[list[dict], Optional[str]]:
    """Datasets (CKAN-API shape) and the next page URL of one catalogue page."""
    from ckanext.dcat.processors import RDFParser

    fmt = rdf_format(content_type, text)
    if fmt == "xml":
        check_xml(text)
    if fmt == "json-ld":
        try:
            check_jsonld(json.loads(text))
        except ValueError:
            raise HammContentError("Der JSON-LD-Katalog ist kein gültiges JSON.",
                                   "The JSON-LD catalogue is not valid JSON.") from None
        except RecursionError:
            raise HammContentError("Der JSON-LD-Katalog ist zu tief verschachtelt und wird nicht gelesen.",
                                   "The JSON-LD catalogue is nested too deeply and is not read.") from None
    parser = RDFParser(profiles=profiles)
    try:
        parser.parse(text, _format=fmt)
        datasets = [to_api_shape(d) for d in parser.datasets()]
        next_url = parser.next_page()
    except Exception:  # rdflib raises many unrelated types for broken input
        raise HammContentError("Der DCAT-Katalog ist fehlerhaft und konnte nicht gelesen werden.",
                               "The DCAT catalogue is malformed and could not be read.") from None
    return datasets, next_url


def _extra(dataset: dict, key: str) -> Any:
    for extra in dataset.get("extras") or []:
        if extra.get("key") == key:
            return extra.get("value")
    return dataset.get(key)


def to_api_shape(dataset: dict[str, Any]) -> dict[str, Any]:
    """What ckanext-dcat parsed, as the CKAN API would have shown it (id = dataset URI)."""
    uri = _extra(dataset, "uri") or _extra(dataset, "identifier")
    licence = dataset.get("license_id") or next(
        (r.get("license") for r in dataset.get("resources") or [] if r.get("license")), "")
    themes = concept_ids(_extra(dataset, "theme"))
    groups = [{"name": t.rstrip("/").rsplit("/", 1)[-1].lower()} for t in themes]
    coverage = [c for c in dataset.get("spatial_coverage") or [] if isinstance(c, dict)]
    publishers = [p.get("name") for p in dataset.get("publisher") or [] if isinstance(p, dict) and p.get("name")]
    return {
        "id": uri, "name": dataset.get("name") or "", "title": dataset.get("title") or "",
        "notes": dataset.get("notes") or "", "url": dataset.get("url") or "",
        "identifier": _extra(dataset, "identifier") or "", "uri": _extra(dataset, "uri") or "",
        "license_id": licence.rstrip("/").split("/licenses/")[-1] if isinstance(licence, str) else "",
        "tags": dataset.get("tags") or [], "groups": groups,
        "spatial": [c[k] for c in coverage for k in ("uri", "text") if c.get(k)], "publisher": publishers,
        "import_notes": dataset.get("hamm_harvest_warnings") or "",
        "dcat_fields": {k: dataset[k] for k in mapping.DCAT_FIELDS if dataset.get(k)},
        "metadata_created": _extra(dataset, "issued") or "", "metadata_modified": _extra(dataset, "modified") or "",
        "resources": [{k: r.get(k) for k in ("url", "name", "description", "format", "mimetype")}
                      | {"url": r.get("url") or r.get("download_url") or r.get("access_url")}
                      for r in dataset.get("resources") or []],
    }
