"""``ext_bbox`` with ckanext-spatial's default ``solr-bbox`` backend, answered by hamm_search.

Solr keeps a dataset when ``{!frange incl=false l=0 u=1}`` holds for twice the
overlap area over the sum of both areas: the boxes must share an area (a shared
edge or a point extent is no hit), and ``bf`` ranks the best fit first.
"""
from __future__ import annotations

import pytest
from ckan.lib.search.common import SearchError
from ckan.logic import ValidationError

from . import spatial_portal
from .spatial_portal import names

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", spatial_portal.PLUGINS),
    pytest.mark.ckan_config("ckanext.spatial.search_backend", "solr-bbox"),
    pytest.mark.usefixtures("with_plugins", "extents"),
]


@pytest.fixture(scope="module")
def extents():
    spatial_portal.build("solr-bbox")


@pytest.mark.parametrize("bbox, expected", [
    # inside Heessen: the city and Heessen; Uentrop only touches at 51.70 (no area)
    ("7.91,51.70,7.95,51.72", {"stadtgebiet", "heessen"}),
    # the whole region: every box with an area, not the point, not the dataset without extent
    ("7.0,51.0,9.0,52.0", {"stadtgebiet", "heessen", "uentrop", "bockum-hoevel", "dortmund", "ostnachbar"}),
    # the south-east corner: the city and its eastern neighbour
    ("7.95,51.55,8.05,51.60", {"stadtgebiet", "ostnachbar"}),
    # Dortmund's north-east corner reaches into Hamm's south-west
    ("7.60,51.55,7.70,51.62", {"stadtgebiet", "dortmund"}),
    ("10.0,50.0,11.0,51.0", set()),
])
def test_ext_bbox_keeps_the_datasets_whose_extent_overlaps(bbox, expected):
    assert set(names(ext_bbox=bbox)) == expected


def test_ext_bbox_ranks_the_best_fit_first():
    # Heessen's own box: Heessen (ratio 1), the city (2·A_H/(A_H+A_city)), Uentrop's corner
    assert names(ext_bbox="7.82,51.69,7.93,51.75") == ["heessen", "stadtgebiet", "uentrop"]


def test_ext_bbox_counts_and_combines_with_free_text_and_filters():
    from ckan.tests import helpers
    result = helpers.call_action("package_search", ext_bbox="7.0,51.0,9.0,52.0", rows=2)
    assert result["count"] == 6 and len(result["results"]) == 2
    assert names(ext_bbox="7.0,51.0,9.0,52.0", q="name:heessen") == ["heessen"]
    assert names(ext_bbox="7.85,51.70,7.88,51.72", fq="-name:stadtgebiet") == ["heessen"]


def test_without_ext_bbox_every_dataset_is_found():
    assert len(names()) == len(spatial_portal.BOXES) + len(spatial_portal.POINTS) + 1


def test_a_bbox_that_is_no_bbox_is_a_clear_error():
    with pytest.raises((SearchError, ValidationError)):
        names(ext_bbox="Hamm")


def test_dataset_page_filters_by_ext_bbox(app):
    page = app.get("/dataset/", query_string={"ext_bbox": "7.85,51.70,7.88,51.72"})
    assert page.status_code == 200
    shown = {name for name in list(spatial_portal.BOXES) + list(spatial_portal.POINTS)
             if f'href="/dataset/{name}"' in page.body}
    assert shown == {"stadtgebiet", "heessen"}
