"""Linked map files (GeoJSON) shown on their resource page, fetched by the portal within bounds.

ckanext-geoview's map reads the file in the visitor's browser: a file on another host is
blocked by the page's Content-Security-Policy (``connect-src 'self'``), and geoview's way
round it, CKAN's resource proxy, fetches any URL for anyone. Here the portal fetches only
files on ``ckanext.hamm.previews.linked_hosts``, through the harvester's URL policy (https,
no internal addresses, every redirect checked), at most 5 MB within 10 seconds, and keeps
the answer ten minutes per process (a failure one minute), so a slow host does not cost a
worker per visitor.
"""
from __future__ import annotations

import ipaddress
import json
from typing import Any
from urllib.parse import urlsplit

from ckanext.hamm import config
from ckanext.hamm.net.client import Deadline, Limits, SafeClient, reject_html
from ckanext.hamm.net.errors import HammContentError
from ckanext.hamm.net.kept import KeptFetches
from ckanext.hamm.net.policy import FetchPolicy, address_refused

__all__ = ["GEOJSON_FORMATS", "forget_files", "linked_file", "link_allowed", "MAX_BYTES"]

GEOJSON_FORMATS = frozenset({"geojson", "gjson"})
MAX_BYTES = 5_000_000
LIMITS = Limits(connect_timeout=3.0, read_timeout=8.0, request_seconds=10.0, max_bytes=MAX_BYTES, retries=0)
KEEP_SECONDS = 600
FAILURE_SECONDS = 60
KEEP_AT_MOST = 16  # files of up to 5 MB each, per worker process

_kept: KeptFetches[bytes] = KeptFetches(KEEP_SECONDS, FAILURE_SECONDS, KEEP_AT_MOST)


def policy() -> FetchPolicy:
    local = config.preview_linked_allow_local()
    return FetchPolicy(allowed_hosts=tuple(sorted(config.preview_linked_hosts())), allow_http=local,
                       allow_loopback=local)


def link_allowed(url: str | None) -> bool:
    """Whether a linked file may be fetched for a preview: its scheme and listed host.

    No DNS lookup here (it runs while a page or a form is answered); the fetch itself
    checks every address and redirect, and the DataStore loader fetches only these links.
    """
    parts = urlsplit(url or "")
    rules = policy()
    host = (parts.hostname or "").lower()
    if parts.scheme not in (("https", "http") if rules.allow_http else ("https",)) or not host:
        return False
    if parts.username or parts.password or host not in rules.allowed_hosts:
        return False
    try:
        return not address_refused(str(ipaddress.ip_address(host)), rules.allow_loopback)
    except ValueError:  # a host name, not an address
        return True


def linked_file(url: str) -> bytes:
    """The GeoJSON document at ``url``, checked to be JSON with a ``type``; kept a while."""
    return _kept.get(url, _fetch)


def forget_files() -> None:
    _kept.clear()


def _fetch(url: str) -> bytes:
    client = SafeClient(policy(), LIMITS, Deadline(LIMITS.request_seconds), user_agent="ckanext-hamm preview")
    try:
        response = client.get(url, accept="application/geo+json, application/json")
    finally:
        client.close()
    text = response.text()
    reject_html(response, text)
    try:
        document: Any = json.loads(text)
    except ValueError:
        document = None
    if not isinstance(document, dict) or not isinstance(document.get("type"), str):
        raise HammContentError("Die verlinkte Datei ist kein GeoJSON.", "The linked file is not GeoJSON.")
    return json.dumps(document, ensure_ascii=False).encode("utf-8")
