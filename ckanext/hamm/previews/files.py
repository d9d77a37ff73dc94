"""Linked map files (GeoJSON) and JSON tables on their resource page, fetched by the portal within bounds.

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

from ckanext.hamm import config
from ckanext.hamm.net.client import Deadline, Limits, SafeClient, reject_html
from ckanext.hamm.net.errors import HammContentError, HammFetchError, HammPolicyError
from ckanext.hamm.net.kept import KeptFetches
from ckanext.hamm.net.policy import FetchPolicy, address_refused, fetch_target

__all__ = ["GEOJSON_FORMATS", "JSON_FORMATS", "MAX_BYTES", "forget_files", "link_allowed", "linked_file",
           "linked_rows"]

GEOJSON_FORMATS = frozenset({"geojson", "gjson"})
JSON_FORMATS = frozenset({"json"})
MAX_BYTES = 5_000_000
LIMITS = Limits(connect_timeout=3.0, read_timeout=8.0, request_seconds=10.0, max_bytes=MAX_BYTES, retries=0)
KEEP_SECONDS = 600
FAILURE_SECONDS = 60
KEEP_AT_MOST = 16  # files of up to 5 MB each, per worker process

_kept: KeptFetches[bytes] = KeptFetches(KEEP_SECONDS, FAILURE_SECONDS, KEEP_AT_MOST)
_kept_rows: KeptFetches[bytes] = KeptFetches(KEEP_SECONDS, FAILURE_SECONDS, KEEP_AT_MOST)


def policy() -> FetchPolicy:
    local = config.preview_linked_allow_local()
    return FetchPolicy(allowed_hosts=tuple(sorted(config.preview_linked_hosts())), allow_http=local,
                       allow_loopback=local)


def link_allowed(url: str | None) -> bool:
    """Whether a linked file may be fetched for a preview: its scheme and listed host.

    No DNS lookup here (it runs while a page or a form is answered); the fetch itself
    checks every address and redirect, and the DataStore loader fetches only these links.
    """
    try:
        target = fetch_target(url)  # refuses user info and what requests would read differently
    except HammPolicyError:
        return False
    rules = policy()
    host = target.host
    if target.scheme not in (("https", "http") if rules.allow_http else ("https",)) or host not in rules.allowed_hosts:
        return False
    try:
        return not address_refused(str(ipaddress.ip_address(host)), rules.allow_loopback)
    except ValueError:  # a host name, not an address
        return True


def linked_file(url: str) -> bytes:
    """The GeoJSON document at ``url``, checked to be JSON with a ``type``; kept a while."""
    return _kept.get(url, _fetch)


def linked_rows(url: str, limit: int = 200) -> tuple[list[str], list[list[Any]]]:
    """(columns, rows) of the JSON table at ``url``: a list of objects, or an object holding one.

    At most ``limit`` rows and 30 columns, nested values as JSON text (the JSON table preview).
    """
    records = json.loads(_kept_rows.get(url, _fetch_records))
    columns: list[str] = []
    for record in records[:limit]:
        columns += [key for key in record if key not in columns]
    columns = columns[:30]
    rows = [[_cell(record.get(key)) for key in columns] for record in records[:limit]]
    return columns, rows


def _cell(value: Any) -> Any:
    return json.dumps(value, ensure_ascii=False) if isinstance(value, (dict, list)) else value


def forget_files() -> None:
    _kept.clear()
    _kept_rows.clear()


def _fetch_records(url: str) -> bytes:
    """The list of objects a JSON table holds (itself, or the first list inside an object)."""
    document = _fetch_json(url)
    if isinstance(document, dict):
        document = next((v for v in document.values() if isinstance(v, list)), None)
    if not isinstance(document, list) or not document or not all(isinstance(r, dict) for r in document[:200]):
        raise HammContentError("Die verlinkte Datei ist keine Tabelle in JSON.", "The linked file is no JSON table.")
    return json.dumps([r for r in document if isinstance(r, dict)], ensure_ascii=False).encode("utf-8")


NOT_JSON = object()  # what _get_json answers for a file that does not parse as JSON


def _get_json(url: str, accept: str) -> Any:
    """The parsed JSON at ``url``, fetched within :data:`LIMITS`, or :data:`NOT_JSON`."""
    client = SafeClient(policy(), LIMITS, Deadline(LIMITS.request_seconds), user_agent="ckanext-hamm preview")
    try:
        response = client.get(url, accept=accept)
    finally:
        client.close()
    text = response.text()
    reject_html(response, text)
    try:
        return json.loads(text)
    except ValueError:
        return NOT_JSON


def _fetch_json(url: str) -> Any:
    """The parsed JSON at ``url``, fetched within :data:`LIMITS`."""
    document = _get_json(url, "application/json")
    if document is NOT_JSON:
        raise HammContentError("Die verlinkte Datei ist kein JSON.", "The linked file is not JSON.")
    return document


def _fetch(url: str) -> bytes:
    document = _get_json(url, "application/geo+json, application/json")
    if not isinstance(document, dict) or not isinstance(document.get("type"), str):
        raise HammContentError("Die verlinkte Datei ist kein GeoJSON.", "The linked file is not GeoJSON.")
    return json.dumps(document, ensure_ascii=False).encode("utf-8")


def json_table(url: str) -> dict[str, Any]:
    """What the JSON table view shows: column labels, rows as German text, or the error."""
    from ckanext.hamm.previews.labels import column_label, german_number

    try:
        columns, rows = linked_rows(url)
    except HammFetchError as error:
        return {"columns": [], "rows": [], "error": str(error)}
    shown = [[german_number(float(v)) if isinstance(v, (int, float)) and not isinstance(v, bool)
              else ("" if v is None else str(v)) for v in row] for row in rows]
    return {"columns": [column_label(c) for c in columns], "rows": shown, "error": ""}
