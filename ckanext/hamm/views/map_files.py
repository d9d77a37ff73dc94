"""The file route of the linked-GeoJSON map (``previews/files.py``): the map reads the city's
or RVR's file from the portal's origin, fetched within bounds, as sandboxed JSON."""
from __future__ import annotations

from flask import Blueprint, Response

from ckanext.hamm.previews.files import GEOJSON_FORMATS, link_allowed, linked_file
from ckanext.hamm.views.sandbox import remote_answer, shown_resource

hamm_map_files = Blueprint("hamm_map_files", __name__)


def may_show(resource: dict) -> bool:
    """A GeoJSON linked on one of the listed hosts."""
    return (resource.get("format") or "").strip().lower() in GEOJSON_FORMATS and link_allowed(resource.get("url"))


@hamm_map_files.route("/dataset/<id>/resource/<resource_id>/karte.geojson")
def geojson_view(id: str, resource_id: str) -> Response:
    """The linked GeoJSON, as the map reads it (same origin; who may see the resource only)."""
    return remote_answer(shown_resource(id, resource_id, may_show), linked_file, "application/geo+json")
