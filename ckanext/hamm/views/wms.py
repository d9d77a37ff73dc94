"""The capabilities route of the WMS map preview (``previews/wms.py``): what the map viewer reads instead of
the map server's own capabilities, from the portal's origin, as sandboxed plain text."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import model
from flask import Blueprint, Response

from ckanext.hamm.net.errors import HammFetchError
from ckanext.hamm.previews.wms import capabilities, may_show

hamm_wms = Blueprint("hamm_wms", __name__)


def _text(body: str, status: int) -> Response:
    """Plain text, never rendered as a document of the portal's origin."""
    response = Response(body, status=status, mimetype="text/plain")
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, max-age=600"
    return response


@hamm_wms.route("/dataset/<id>/resource/<resource_id>/wms-capabilities")
def capabilities_view(id: str, resource_id: str) -> Response:
    """What the map viewer reads instead of the map server's capabilities (same origin)."""
    try:
        resource = tk.get_action("resource_show")({}, {"id": resource_id})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return tk.abort(404, tk._("Resource not found"))
    dataset = model.Package.get(id)
    if dataset is None or dataset.id != resource.get("package_id") or not may_show(resource):
        return tk.abort(404, tk._("Resource not found"))
    try:
        return _text(capabilities(resource["url"]), 200)
    except HammFetchError as error:
        return _text(str(error), 502)
