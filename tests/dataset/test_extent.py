"""The dataset's extent (``spatial``): checked on input, found by ``ext_bbox``, shown on its page."""
from __future__ import annotations

import json

import pytest
from ckan.tests import factories, helpers

from ckanext.hamm.dataset import extent
from tests.profiles.conftest import full_dataset_dict

PLUGINS = "hamm_search hamm scheming_datasets dcat spatial_metadata spatial_query"
pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.ckan_config("scheming.dataset_schemas", "ckanext.hamm.schemas:dataset.yaml"),
    pytest.mark.ckan_config("scheming.presets", "ckanext.scheming:presets.json ckanext.dcat.schemas:presets.yaml"),
    pytest.mark.ckan_config("ckanext.spatial.search_backend", "solr-bbox"),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]
HAMM = "7.67,51.58,8.00,51.77"


@pytest.mark.parametrize("value, message", [
    ("Hamm", "weder GeoJSON noch ein Rechteck"),
    ('{"type": "Feature", "geometry": null}', "Erlaubt sind die GeoJSON-Geometrien"),
    ('{"type": "Point", "coordinates": [412000, 5723000]}', "außerhalb von WGS 84"),
    ("8.00,51.58,7.67,51.77", "erste Wert kleiner als der dritte"),
    ('{"type": "Polygon", "coordinates": [[[7.7, 51.6], [7.9, 51.6], [7.7, 51.6]]]}', "Fläche ist ungültig"),
    ('{"type": "Point", "coordinates": ["7.8", "51.6"]}', "zwei Zahlen"),
])
def test_an_unusable_extent_is_refused_in_german_and_english(value: str, message: str) -> None:
    org = factories.Organization()
    with pytest.raises(helpers.logic.ValidationError) as error:
        helpers.call_action("package_create", **full_dataset_dict(org["id"], spatial=value))
    [text] = error.value.error_dict["spatial"]
    assert message in text and " / " in text


def test_a_box_is_stored_as_geojson_and_found_on_the_map() -> None:
    org = factories.Organization()
    created = helpers.call_action("package_create", **full_dataset_dict(org["id"], spatial=HAMM))
    assert json.loads(created["spatial"]) == extent.box_polygon(7.67, 51.58, 8.0, 51.77)
    helpers.call_action("package_create", **full_dataset_dict(org["id"], name="ohne-ort"))
    found = helpers.call_action("package_search", ext_bbox="7.80,51.65,7.90,51.70")
    assert [d["name"] for d in found["results"]] == [created["name"]]
    assert helpers.call_action("package_search", ext_bbox="9,50,10,51")["count"] == 0


def test_dataset_page_shows_the_extent_as_map_and_in_words(app) -> None:
    org = factories.Organization()
    helpers.call_action("package_create", **full_dataset_dict(org["id"], spatial=HAMM))
    page = app.get("/dataset/baumkataster")
    assert page.status_code == 200
    assert 'data-module="dataset-map"' in page.body
    assert "Gebiet von 51,58° N, 7,67° O (Südwesten) bis 51,77° N, 8° O (Nordosten)" in page.body.replace(
        "\u00a0", " ")


def test_dataset_search_offers_the_districts_and_filters_by_them(app) -> None:
    org = factories.Organization()
    heessen = "7.82,51.69,7.93,51.76"  # schemas/stadtbezirke.yaml
    helpers.call_action("package_create", **full_dataset_dict(org["id"], name="plan-heessen",
                                                               spatial="7.85,51.70,7.88,51.72"))
    helpers.call_action("package_create", **full_dataset_dict(org["id"], name="plan-pelkum",
                                                               spatial="7.72,51.61,7.75,51.63"))
    page = app.get("/dataset/")
    assert 'id="hamm-map-search-place"' in page.body and f'value="{heessen}"' in page.body
    assert 'data-module="spatial-query"' in page.body  # the map to draw a box, for mouse users
    filtered = app.get("/dataset/", query_string={"ext_bbox": heessen})
    assert 'href="/dataset/plan-heessen"' in filtered.body and 'href="/dataset/plan-pelkum"' not in filtered.body
    assert f'<option value="{heessen}" selected>' in filtered.body
