"""What the map previews' routes share (``views/wms.py``, ``views/map_files.py``): the resource
of the dataset in the URL that a visitor may see, fetched through a bounded reader, answered as
data only (a failed fetch as its German/English text, 502)."""
from __future__ import annotations

from typing import Any, Callable, Union

import ckan.plugins.toolkit as tk
from ckan import model
from flask import Response

from ckanext.hamm.net.errors import HammFetchError


def shown_resource(id: str, resource_id: str, may_show: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
    """The resource, if the visitor may see it, it belongs to dataset ``id`` and ``may_show`` it; else 404."""
    try:
        resource = tk.get_action("resource_show")({}, {"id": resource_id})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return tk.abort(404, tk._("Resource not found"))
    dataset = model.Package.get(id)
    if dataset is None or dataset.id != resource.get("package_id") or not may_show(resource):
        return tk.abort(404, tk._("Resource not found"))
    return resource


def sandboxed(body: Union[str, bytes], status: int, mimetype: str) -> Response:
    """Data only, never rendered as a document of the portal's origin."""
    response = Response(body, status=status, mimetype=mimetype)
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, max-age=600"
    return response


def remote_answer(resource: dict[str, Any], fetch: Callable[[str], Union[str, bytes]], mimetype: str) -> Response:
    """``fetch`` of the resource's URL as ``mimetype``; a fetch failure as plain text (502)."""
    try:
        return sandboxed(fetch(resource["url"]), 200, mimetype)
    except HammFetchError as error:
        return sandboxed(str(error), 502, "text/plain")
