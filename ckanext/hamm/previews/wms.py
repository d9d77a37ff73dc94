"""WMS map previews: a city map service shown on its resource page, without an open proxy.

ckanext-geoview's OpenLayers viewer first reads a WMS's capabilities (which layers, where)
with a credentialed request that map servers rarely allow from another origin, so geoview
leans on a proxy route that fetches any resource URL for anyone: a door into the city's
network (SSRF). Here the portal fetches only the capabilities document, only of services
on ``ckanext.hamm.previews.map_hosts``, through the harvester's URL policy (https, no
internal addresses, every redirect checked) with a 2 MB cap, and keeps it an hour (a failure
five minutes, so a hanging host costs a worker a few seconds once, not per visitor). The map
images come to the visitor's browser straight from the map server; the page's
Content-Security-Policy allows images from those hosts (``views/headers.py``).
"""
from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import ckan.plugins.toolkit as tk

from ckanext.hamm import config
from ckanext.hamm.net.client import Deadline, Limits, SafeClient, reject_html
from ckanext.hamm.net.errors import HammContentError
from ckanext.hamm.net.kept import KeptFetches
from ckanext.hamm.net.policy import FetchPolicy
from ckanext.hamm.previews import on_hosts

__all__ = ["base_maps", "capabilities", "forget_capabilities", "is_wms", "may_show"]

WMS_FORMATS = frozenset({"wms", "wms_srvc"})
KEEP_SECONDS = 3600
FAILURE_SECONDS = 300  # anonymous visitors must not each wait on a hanging map host (issue 26)
KEEP_AT_MOST = 32  # documents of up to 2 MB each, per worker process
# A capabilities document is small: a map server that needs longer is treated as down.
LIMITS = Limits(connect_timeout=2.0, read_timeout=3.0, request_seconds=4.0, max_bytes=2_000_000, retries=0)
OGC_PARAMETERS = frozenset({"service", "request", "version"})
CAPABILITIES_ROOT = re.compile(
    r"^\ufeff?\s*(<\?xml[^>]*\?>\s*)?(<!--.*?-->\s*|<!DOCTYPE[^\[>]*(\[.*?\])?\s*>\s*)*"
    r"<([A-Za-z_][\w.-]*:)?(WMS_Capabilities|WMT_MS_Capabilities)\b", re.DOTALL)

_kept: KeptFetches[str] = KeptFetches(KEEP_SECONDS, FAILURE_SECONDS, KEEP_AT_MOST)

def is_wms(resource: dict[str, Any]) -> bool:
    """A WMS by its format, or by a service URL that says SERVICE=WMS."""
    if (resource.get("format") or "").strip().lower() in WMS_FORMATS:
        return True
    query = {k.lower(): v for k, v in parse_qsl(urlsplit(resource.get("url") or "").query)}
    return query.get("service", "").lower() == "wms"


def may_show(resource: dict[str, Any]) -> bool:
    """A WMS on one of the city's map hosts."""
    return on_hosts(resource.get("url"), config.preview_map_hosts()) and is_wms(resource)


def capabilities_url(service_url: str) -> str:
    """The service URL (its own parameters kept) asking for WMS 1.3.0 capabilities."""
    parts = urlsplit(service_url.split("#", 1)[0])
    query = [(k, v) for k, v in parse_qsl(parts.query) if k.lower() not in OGC_PARAMETERS]
    query += [("SERVICE", "WMS"), ("REQUEST", "GetCapabilities"), ("VERSION", "1.3.0")]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


def capabilities(service_url: str) -> str:
    """The service's capabilities document, fetched at most once an hour per process.

    A failure is kept for :data:`FAILURE_SECONDS` and raised again without asking the host.
    """
    return _kept.get(service_url, _fetch)


def forget_capabilities() -> None:
    _kept.clear()


def _fetch(service_url: str) -> str:
    local = config.preview_map_allow_local()
    policy = FetchPolicy(allowed_hosts=tuple(sorted(config.preview_map_hosts())), allow_http=local,
                         allow_loopback=local)
    client = SafeClient(policy, LIMITS, Deadline(LIMITS.request_seconds), user_agent="ckanext-hamm map preview")
    try:
        response = client.get(capabilities_url(service_url), accept="application/vnd.ogc.wms_xml, text/xml")
    finally:
        client.close()
    text = response.text()
    reject_html(response, text)
    if not CAPABILITIES_ROOT.match(text[:20000]):
        raise HammContentError(
            "Der Kartendienst lieferte keine WMS-Capabilities (vielleicht eine Fehlermeldung des Dienstes).",
            "The map service returned no WMS capabilities (perhaps an error report of the service).")
    return text


def base_maps() -> list[dict[str, str]]:
    """The GeoJSON maps' base map (``ckanext.spatial.common_map.*``) in the OpenLayers viewer's words.

    The viewer reads the older flat keys under other names than the Leaflet maps do and
    shows nothing at all for a "custom" map without them; its "OSM" type takes any tile URL.
    """
    settings = tk.h.get_common_map_config_geoviews()
    return [{"type": "OSM", "title": tk._("Base map"),
             "url": settings.get("custom_url") or "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
             "attribution": settings.get("attribution") or "© OpenStreetMap"}]
