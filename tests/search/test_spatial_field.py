"""``ext_bbox`` with ckanext-spatial's ``solr-spatial-field`` backend.

Solr's ``Intersects(ENVELOPE(…))`` on the geometry field counts a shared edge
and a point inside the box as hits (unlike the ``solr-bbox`` backend).
"""
from __future__ import annotations

import pytest

from . import spatial_portal
from .spatial_portal import names

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", spatial_portal.PLUGINS),
    pytest.mark.ckan_config("ckanext.spatial.search_backend", "solr-spatial-field"),
    pytest.mark.usefixtures("with_plugins", "extents"),
]


@pytest.fixture(scope="module")
def extents():
    spatial_portal.build("solr-spatial-field")


@pytest.mark.parametrize("bbox, expected", [
    ("7.91,51.70,7.95,51.72", {"stadtgebiet", "heessen", "uentrop"}),  # Uentrop touches at 51.70
    ("7.80,51.67,7.82,51.69", {"stadtgebiet", "heessen", "bockum-hoevel", "messstation"}),
    ("10.0,50.0,11.0,51.0", set()),
])
def test_ext_bbox_keeps_what_intersects(bbox, expected):
    assert set(names(ext_bbox=bbox)) == expected
