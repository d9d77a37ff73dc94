"""Template helpers of the citizen portal: concepts, licences in plain words, provenance, logo."""
from __future__ import annotations

from typing import Any, Optional
from urllib.parse import urlsplit

import ckan.plugins.toolkit as tk

from ckanext.hamm import config as hamm_config
from ckanext.hamm.helpers.text import hamm_is_http_url
from ckanext.hamm.logic.visible_search import concept_counts, search_as_current_user
from ckanext.hamm.participation.report_categories import category_options
from ckanext.hamm.vocabularies import dimensions
from ckanext.hamm.vocabularies import store as vocabulary
from ckanext.hamm.vocabularies.ids import ids as concept_ids

__all__ = [
    "hamm_get_logo", "hamm_list_concepts", "hamm_get_concept_counts", "hamm_get_scheme_label",
    "hamm_get_dataset_dimensions", "hamm_get_license_plain", "hamm_get_newest_datasets",
    "hamm_get_provenance", "hamm_list_report_categories",
    "hamm_get_dcat_links", "hamm_get_resource_download", "hamm_get_page_text",
]

LOGO_PLACEHOLDER = "/hamm/logo-placeholder.svg"

# Keys under which a harvested dataset names its origin: the Hamm schema's
# provenance fields (set by the RVR harvester), then ckanext-harvest's extras.
PROVENANCE_SOURCE_KEYS = ("hamm_source_title", "harvest_source_title")
PROVENANCE_URL_KEYS = ("hamm_source_url", "harvest_source_url")


def _lang() -> str:
    return vocabulary.current_language()


def hamm_get_logo() -> str:
    """The city's logo: ``ckanext.hamm.ui.logo``, else ``ckan.site_logo``, else the placeholder."""
    logo = hamm_config.ui_logo() or tk.config.get("ckan.site_logo") or LOGO_PLACEHOLDER
    if logo.startswith("/base/images/ckan-logo"):  # CKAN's default logo is not the city's
        logo = LOGO_PLACEHOLDER
    return tk.h.url_for_static_or_external(logo)


def hamm_list_concepts(dimension: str) -> list[dimensions.Concept]:
    return dimensions.concepts(dimension, _lang())


def hamm_get_scheme_label(dimension: str) -> str:
    return dimensions.scheme_label(dimension, _lang())


def hamm_get_concept_counts(dimension: str) -> dict[str, int]:
    return concept_counts(dimension)


def hamm_get_dataset_dimensions(pkg: dict[str, Any]) -> list[dict[str, Any]]:
    """The dataset's Handlungsfelder, Zielgruppen and Personas with labels, for links."""
    lang = _lang()
    result = []
    for dimension in dimensions.DIMENSIONS:
        found = dimensions.labels(dimension, concept_ids(pkg.get(dimension)), lang)
        if found:
            result.append({"dimension": dimension, "label": dimensions.scheme_label(dimension, lang),
                           "concepts": found})
    return result


def _license_sentence(code: str) -> str:
    attribution = tk._("Free to use, also commercially, as long as you name the source.")
    sentences = {
        "dl-by-de/2.0": attribution,
        "cc-by/4.0": attribution,
        "cc-by": attribution,
        "dl-zero-de/2.0": tk._("Free to use for any purpose, without conditions."),
        "cc-zero": tk._("Free to use for any purpose, without conditions."),
        "cc-by-sa/4.0": tk._("Free to use, also commercially; name the source and share "
                             "changed versions under the same licence."),
        "odbl": tk._("Free to use; name the source and share changed databases under the same licence."),
        "other-open": tk._("Open licence: free to use under the conditions in the licence text."),
        "other-closed": tk._("Not an open licence: use only as the licence text allows."),
    }
    return sentences.get(code, tk._("Please read the licence text for the conditions of use."))


def hamm_get_license_plain(pkg: dict[str, Any]) -> dict[str, Any]:
    """Title, a plain-words sentence and a safe link for the dataset's licence."""
    code = pkg.get("license_id") or ""
    from ckanext.hamm.helpers.dataset_page import hamm_get_licence_title

    title = hamm_get_licence_title(code, pkg.get("license_title") or "") or tk._("No licence given")
    url = pkg.get("license_url") or ""
    return {"id": code, "title": title, "text": _license_sentence(code) if code else
            tk._("The publisher has not named a licence yet; please ask before reusing."),
            "url": url if hamm_is_http_url(url) else ""}


def hamm_get_newest_datasets(limit: int = 5) -> list[dict[str, Any]]:
    """Newest visible datasets for the home page (searched as the current user)."""
    return search_as_current_user({"q": "", "rows": max(1, min(int(limit), 20)),
                                   "sort": "metadata_created desc"})["results"]


def _extra(pkg: dict[str, Any], key: str) -> Optional[str]:
    if pkg.get(key):
        return str(pkg[key])
    for extra in pkg.get("extras") or []:
        if isinstance(extra, dict) and extra.get("key") == key and extra.get("value"):
            return str(extra["value"])
    return None


def hamm_get_provenance(pkg: dict[str, Any]) -> Optional[dict[str, str]]:
    """Where a harvested dataset comes from, or None for a dataset published here."""
    source = next((value for key in PROVENANCE_SOURCE_KEYS if (value := _extra(pkg, key))), None)
    url = next((value for key in PROVENANCE_URL_KEYS if (value := _extra(pkg, key))), None)
    if not source and not url:
        return None
    safe_url = url if url and hamm_is_http_url(url) else ""
    return {"source": source or urlsplit(safe_url).hostname or tk._("another catalogue"), "url": safe_url}


def hamm_list_report_categories() -> list[tuple[str, str]]:
    return category_options()


def hamm_get_dcat_links(pkg: dict[str, Any]) -> list[dict[str, str]]:
    """Visible links to the dataset's DCAT-AP metadata (the same URLs as the ``rel=alternate`` links)."""
    if "dcat_get_endpoint" not in tk.h or not tk.h.dcat_endpoints_enabled():
        return []
    endpoint = tk.h.dcat_get_endpoint("dataset")
    formats = (("ttl", "Turtle"), ("xml", "RDF/XML"), ("jsonld", "JSON-LD"))
    return [{"label": label, "url": tk.h.url_for(endpoint, _id=pkg["name"], _format=fmt)}
            for fmt, label in formats]


def hamm_get_resource_download(res: dict[str, Any]) -> dict[str, str]:
    """What a citizen needs next to the download button: safe link, format, size and date."""
    from ckanext.hamm.helpers.formatting import hamm_format_filesize, hamm_render_date

    url = res.get("url") or ""
    changed = res.get("last_modified") or res.get("modified") or res.get("metadata_modified") \
        or res.get("created")
    if hamm_is_http_url(url) and res.get("url_type") != "upload" and res.get("id") and res.get("package_id"):
        # through CKAN's download route, which forwards to the file: so the download is counted (views/usage.py)
        url = tk.url_for("resource.download", id=res["package_id"], resource_id=res["id"], qualified=True)
    return {"url": url if hamm_is_http_url(url) else "",
            "format": (res.get("format") or "").strip().upper(),
            "size": hamm_format_filesize(res.get("size")),
            "date": hamm_render_date(changed),
            "date_iso": str(changed or "")}


def hamm_get_page_text(page: str) -> Optional[dict[str, Any]]:
    """Title and body of one of the city's page texts (``about``, ``impressum`` …) in the current language."""
    from ckanext.hamm.page_texts import page_text

    return page_text(page, _lang())
