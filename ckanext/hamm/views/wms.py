"""The capabilities route of the WMS map preview (``previews/wms.py``): what the map viewer reads instead of
the map server's own capabilities, from the portal's origin, as sandboxed plain text."""
from __future__ import annotations

from flask import Blueprint, Response

from ckanext.hamm.previews.wms import capabilities, may_show
from ckanext.hamm.views.sandbox import remote_answer, shown_resource

hamm_wms = Blueprint("hamm_wms", __name__)


@hamm_wms.route("/dataset/<id>/resource/<resource_id>/wms-capabilities")
def capabilities_view(id: str, resource_id: str) -> Response:
    """What the map viewer reads instead of the map server's capabilities (same origin)."""
    return remote_answer(shown_resource(id, resource_id, may_show), capabilities, "text/plain")
