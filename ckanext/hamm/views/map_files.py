"""The file route of the linked-GeoJSON map (``previews/files.py``): the map reads the city's
or RVR's file from the portal's origin, fetched within bounds, as sandboxed JSON."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import model
from flask import Blueprint, Response

from ckanext.hamm.net.errors import HammFetchError
from ckanext.hamm.previews.files import GEOJSON_FORMATS, link_allowed, linked_file

hamm_map_files = Blueprint("hamm_map_files", __name__)


def _answer(body: bytes, status: int, mimetype: str) -> Response:
    """Data only, never rendered as a document of the portal's origin."""
    response = Response(body, status=status, mimetype=mimetype)
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, max-age=600"
    return response


def may_show(resource: dict) -> bool:
    """A GeoJSON linked on one of the listed hosts."""
    return (resource.get("format") or "").strip().lower() in GEOJSON_FORMATS and link_allowed(resource.get("url"))


@hamm_map_files.route("/dataset/<id>/resource/<resource_id>/karte.geojson")
def geojson_view(id: str, resource_id: str) -> Response:
    """The linked GeoJSON, as the map reads it (same origin; who may see the resource only)."""
    try:
        resource = tk.get_action("resource_show")({}, {"id": resource_id})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return tk.abort(404, tk._("Resource not found"))
    dataset = model.Package.get(id)
    if dataset is None or dataset.id != resource.get("package_id") or not may_show(resource):
        return tk.abort(404, tk._("Resource not found"))
    try:
        return _answer(linked_file(resource["url"]), 200, "application/geo+json")
    except HammFetchError as error:
        return _answer(str(error).encode("utf-8"), 502, "text/plain")
