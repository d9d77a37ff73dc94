"""Datasets with chosen extents around Hamm, for the ``ext_bbox`` tests.

Boxes are ``(minx, miny, maxx, maxy)`` in WGS 84 degrees; expected hits in the
tests follow ckanext-spatial's Solr backends, worked out by hand from these numbers.
"""
from __future__ import annotations

import contextlib
import json

from ckan import plugins
from ckan.common import config
from ckan.lib import search
from ckan.tests import factories, helpers

BOXES = {
    "stadtgebiet": (7.67, 51.58, 8.00, 51.77),
    "heessen": (7.82, 51.69, 7.93, 51.75),
    "uentrop": (7.90, 51.62, 8.00, 51.70),
    "bockum-hoevel": (7.67, 51.68, 7.80, 51.75),
    "dortmund": (7.30, 51.41, 7.64, 51.60),
    "ostnachbar": (8.00, 51.58, 8.10, 51.77),  # shares Hamm's eastern edge, no area
}
POINTS = {"messstation": (7.81, 51.68)}
PLUGINS = "hamm_search spatial_metadata spatial_query"


def polygon(minx, miny, maxx, maxy) -> dict:
    ring = [[minx, miny], [maxx, miny], [maxx, maxy], [minx, maxy], [minx, miny]]
    return {"type": "Polygon", "coordinates": [ring]}


@contextlib.contextmanager
def spatial_plugins(backend: str):
    """The plugins (and search backend) loaded while the module's datasets are written."""
    saved = {k: config.get(k) for k in ("ckan.plugins", "ckanext.spatial.search_backend")}
    config["ckan.plugins"] = PLUGINS
    config["ckanext.spatial.search_backend"] = backend
    plugins.load_all()
    try:
        yield
    finally:
        plugins.unload_all()
        for key, value in saved.items():
            config[key] = value


def build(backend: str) -> None:
    with spatial_plugins(backend):
        helpers.reset_db()
        search.clear_all()
        org = factories.Organization(name="geodaten")
        for name, box in BOXES.items():
            factories.Dataset(name=name, owner_org=org["id"],
                              extras=[{"key": "spatial", "value": json.dumps(polygon(*box))}])
        for name, (x, y) in POINTS.items():
            factories.Dataset(name=name, owner_org=org["id"], extras=[
                {"key": "spatial", "value": json.dumps({"type": "Point", "coordinates": [x, y]})}])
        factories.Dataset(name="ohne-extent", owner_org=org["id"])


def names(**params) -> list[str]:
    result = helpers.call_action("package_search", context={"ignore_auth": False, "user": ""},
                                 rows=100, **params)
    return [d["name"] for d in result["results"]]
