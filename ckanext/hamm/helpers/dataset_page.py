"""What the dataset page tells a citizen at a glance: dates, the responsible office, readable
metadata rows (labels instead of URIs, no empty rows)."""
from __future__ import annotations

import functools
import json
from typing import Any, Optional

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.hamm import config as hamm_config
from ckanext.hamm.dataset.licences import LICENCE_REGISTER
from ckanext.hamm.helpers.formatting import hamm_render_date
from ckanext.hamm.helpers.text import hamm_is_http_url
from ckanext.hamm.vocabularies.store import current_language

__all__ = ["hamm_get_dataset_facts", "hamm_get_licence_title", "hamm_is_empty", "hamm_list_fields_shown_above",
           "hamm_summarise_subfields"]

# Shown above the table (facts, dimensions, licence) or hidden provenance: not repeated in it.
NOT_IN_TABLE = frozenset({"id", "title", "name", "notes", "tag_string", "license_id", "owner_org",
                          "handlungsfeld", "zielgruppe", "persona", "contact", "issued", "modified"})


def hamm_list_fields_shown_above() -> frozenset[str]:
    return NOT_IN_TABLE


def _http(url: Any) -> str:
    return url if hamm_is_http_url(url) else ""


def hamm_is_empty(value: Any) -> bool:
    """True for '', None, [] and lists of dicts whose values are all empty (scheming's blank blocks)."""
    if isinstance(value, dict):
        return all(hamm_is_empty(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return all(hamm_is_empty(v) for v in value)
    if isinstance(value, str):
        return not value.strip()
    return value is None


def hamm_summarise_subfields(field_name: str, items: Any) -> list[dict[str, str]]:
    """Repeating DCAT blocks as short readable lines ``{text, url}``: no URIs, no ADMS types."""
    lines = []
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict) or hamm_is_empty(item):
            continue
        if field_name == "temporal_coverage":
            start, end = hamm_render_date(item.get("start")), hamm_render_date(item.get("end"))
            text = " – ".join(part for part in (start, end) if part)
            if start and not end:
                text = tk._("since {date}").format(date=start)
            elif end and not start:
                text = tk._("until {date}").format(date=end)
            lines.append({"text": text, "url": ""})
        else:  # publisher, spatial_coverage, contact: a name, linked when there is a web page
            text = item.get("name") or item.get("text") or ""
            url = _http(item.get("url") or "")
            if not text and not url:
                continue  # only a URI: machines read it in the DCAT output, people cannot
            lines.append({"text": text or url, "url": url})
    return [line for line in lines if line["text"]]


def _organisation_email(pkg: dict[str, Any]) -> str:
    group = model.Group.get((pkg.get("organization") or {}).get("id") or pkg.get("owner_org"))
    return str((group.extras or {}).get("email") or "") if group is not None else ""


def hamm_get_dataset_facts(pkg: dict[str, Any]) -> dict[str, Any]:
    """Published/updated dates and the responsible office with an address to write to.

    DCAT's ``issued``/``modified`` when given, else when the record was created/changed
    here. The e-mail falls back from the contact point to the organisation and then to
    ``ckanext.hamm.schema.contact_email``, so citizens always get an address.
    """
    contact = next((c for c in pkg.get("contact") or [] if isinstance(c, dict) and not hamm_is_empty(c)), {})
    org = pkg.get("organization") or {}
    name = contact.get("name") or org.get("title") or org.get("name") or ""
    email = contact.get("email") or _organisation_email(pkg) or hamm_config.schema_contact_email()
    return {
        "issued": hamm_render_date(pkg.get("issued") or pkg.get("metadata_created")),
        "issued_iso": str(pkg.get("issued") or pkg.get("metadata_created") or ""),
        "modified": hamm_render_date(pkg.get("modified") or pkg.get("metadata_modified")),
        "modified_iso": str(pkg.get("modified") or pkg.get("metadata_modified") or ""),
        "office": name,
        "office_url": tk.h.url_for("organization.read", id=org["name"]) if org.get("name") else "",
        "email": email,
    }


@functools.lru_cache(maxsize=1)
def _licence_titles() -> dict[str, dict[str, str]]:
    register = json.loads(LICENCE_REGISTER.read_text(encoding="utf-8"))
    return {item["id"]: {"de": item.get("title", ""), "en": item.get("title_en") or item.get("title", "")}
            for item in register}


def hamm_get_licence_title(license_id: Optional[str], fallback: str = "") -> str:
    """The licence's name in the page language (the register's German or English title)."""
    titles = _licence_titles().get(license_id or "")
    if not titles:
        return fallback or (license_id or "")
    return titles["en"] if current_language() == "en" else titles["de"]
