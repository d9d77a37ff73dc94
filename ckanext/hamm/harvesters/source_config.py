"""The JSON configuration of a ``hamm_rvr`` harvest source, validated with readable errors.

Site-wide safety settings (host allow-list, http, loopback, timeouts) are
deliberately *not* here: whoever may edit a harvest source must not be able to
widen them. Credentials are refused: harvest source configs are stored in
plain text and were readable by anyone with stock ckanext-harvest.
"""
from __future__ import annotations

import dataclasses
import json
import re
from typing import Any, Optional

from .errors import HammConfigError

ORG_NAME = re.compile(r"^[a-z0-9_-]{2,100}$")
FIELD_NAME = re.compile(r"^[a-z][a-z0-9_]{0,60}$")
SECRET_WORDS = ("key", "token", "password", "passwort", "secret", "auth", "credential", "cookie")
MODES = ("ckan-api", "dcat")


@dataclasses.dataclass(frozen=True)
class SourceConfig:
    mode: str = "ckan-api"
    organizations: tuple[str, ...] = ("hamm",)
    page_size: int = 100
    max_pages: int = 500
    max_datasets: int = 50_000
    max_resources: int = 100
    max_text_length: int = 50_000
    shrink_threshold: float = 0.2
    full_every_days: int = 7
    force_full: bool = False
    staff_fields: tuple[str, ...] = ()
    catalog_path: str = "/catalog.rdf"
    public_url: str = ""  # web address for links on dataset pages, when it differs from the API address
    schedule_hint: str = ""
    # generic DCAT-AP.de sources (hamm_dcat): take over only what concerns Hamm
    filter_geocoding: tuple[str, ...] = ()   # political geocoding / dct:spatial URIs (prefixes)
    filter_publishers: tuple[str, ...] = ()  # parts of publisher names, any case
    filter_keywords: tuple[str, ...] = ()    # keywords, any case


INTS = {"page_size": (1, 1000), "max_pages": (1, 100_000), "max_datasets": (1, 1_000_000),
        "max_resources": (1, 10_000), "max_text_length": (100, 1_000_000), "full_every_days": (0, 365)}


def _fail(de: str, en: str) -> None:
    raise HammConfigError(de, en)


def parse(text: Optional[str]) -> SourceConfig:
    """Parse and validate; raise HammConfigError naming the first problem."""
    if not text or not text.strip():
        return SourceConfig()
    try:
        data = json.loads(text)
    except ValueError:
        _fail("Die Konfiguration ist kein gültiges JSON.", "The configuration is not valid JSON.")
    if not isinstance(data, dict):
        _fail("Die Konfiguration muss ein JSON-Objekt sein.", "The configuration must be a JSON object.")
    known = {f.name for f in dataclasses.fields(SourceConfig)}
    for key in data:
        if any(word in key.lower() for word in SECRET_WORDS):
            _fail(f"„{key}“: Zugangsdaten gehören nicht in die Konfiguration einer Harvest-Quelle.",
                  f"'{key}': credentials must not be stored in a harvest source configuration.")
        if key not in known:
            _fail(f"Unbekannte Einstellung „{key[:40]}“. Erlaubt: {', '.join(sorted(known))}.",
                  f"Unknown setting '{key[:40]}'. Allowed: {', '.join(sorted(known))}.")
    values: dict[str, Any] = {}
    if "mode" in data:
        if data["mode"] not in MODES:
            _fail(f"„mode“ muss einer von {', '.join(MODES)} sein.", f"'mode' must be one of {', '.join(MODES)}.")
        values["mode"] = data["mode"]
    for key, (low, high) in INTS.items():
        if key in data:
            value = data[key]
            if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
                _fail(f"„{key}“ muss eine ganze Zahl zwischen {low} und {high} sein.",
                      f"'{key}' must be a whole number between {low} and {high}.")
            values[key] = value
    if "shrink_threshold" in data:
        value = data["shrink_threshold"]
        if not isinstance(value, (int, float)) or isinstance(value, bool) or not 0 <= value <= 1:
            _fail("„shrink_threshold“ muss ein Anteil zwischen 0 und 1 sein (0.2 = 20 %).",
                  "'shrink_threshold' must be a share between 0 and 1 (0.2 = 20 %).")
        values["shrink_threshold"] = float(value)
    if "force_full" in data:
        if not isinstance(data["force_full"], bool):
            _fail("„force_full“ muss true oder false sein.", "'force_full' must be true or false.")
        values["force_full"] = data["force_full"]
    values.update(_names(data, "organizations", ORG_NAME, allow_empty=False))
    values.update(_names(data, "staff_fields", FIELD_NAME, allow_empty=True))
    if "catalog_path" in data:
        path = data["catalog_path"]
        if not isinstance(path, str) or not path.startswith("/") or "//" in path or len(path) > 200:
            _fail("„catalog_path“ muss ein Pfad auf dem Quellserver sein, z. B. /catalog.rdf.",
                  "'catalog_path' must be a path on the source server, e.g. /catalog.rdf.")
        values["catalog_path"] = path
    if "public_url" in data:
        url = data["public_url"]
        if not isinstance(url, str) or not re.match(r"^https?://[^\s/@]+(/[^\s]*)?$", url) or len(url) > 300:
            _fail("„public_url“ muss eine http(s)-Adresse sein.", "'public_url' must be an http(s) address.")
        values["public_url"] = url
    for key in ("filter_geocoding", "filter_publishers", "filter_keywords"):
        if key in data:
            value = data[key]
            if not isinstance(value, list) or len(value) > 50 or not all(
                    isinstance(v, str) and 0 < len(v.strip()) <= 300 and v.isprintable() for v in value):
                _fail(f"„{key}“ muss eine Liste von höchstens 50 Texten sein.",
                      f"'{key}' must be a list of at most 50 texts.")
            values[key] = tuple(v.strip() for v in value)
    if "schedule_hint" in data:
        values["schedule_hint"] = str(data["schedule_hint"])[:200]
    return SourceConfig(**values)


def _names(data: dict[str, Any], key: str, pattern: re.Pattern, allow_empty: bool) -> dict[str, tuple[str, ...]]:
    if key not in data:
        return {}
    value = data[key]
    if not isinstance(value, list) or not all(isinstance(v, str) and pattern.match(v) for v in value) \
            or (not value and not allow_empty):
        _fail(f"„{key}“ muss eine Liste von Namen sein (Kleinbuchstaben, Ziffern, - und _).",
              f"'{key}' must be a list of names (lower-case letters, digits, - and _).")
    return {key: tuple(value)}


def validate(text: Optional[str]) -> str:
    """For IHarvester.validate_config: ValueError carries the readable message."""
    try:
        parse(text)
    except HammConfigError as error:
        raise ValueError(str(error)) from None
    return text or ""


def validate_dcat(text: Optional[str]) -> str:
    """For a generic DCAT-AP.de source (``hamm_dcat``): always the DCAT mode."""
    try:
        data = json.loads(text) if text and text.strip() else {}
    except ValueError:
        data = None
    if isinstance(data, dict):
        if data.get("mode", "dcat") != "dcat":
            raise ValueError("„mode“ ist bei DCAT-AP.de-Quellen immer dcat. / 'mode' is always dcat for "
                             "DCAT-AP.de sources.")
        text = json.dumps({**data, "mode": "dcat"}, ensure_ascii=False)
    return validate(text)
