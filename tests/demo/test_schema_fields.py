"""Every demo dataset carries the Hamm schema; facet counts equal direct counts."""
from __future__ import annotations

import collections

import pytest
from ckan.tests import helpers

from ckanext.hamm import demo
from ckanext.hamm.demo import schema_fields

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", "hamm_search hamm scheming_datasets dcat"),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


def test_every_demo_dataset_has_values() -> None:
    names = {raw["name"] for raw in demo.load_content()["datasets"]}
    values = schema_fields.demo_values()
    assert names <= set(values), names - set(values)
    for name in names:
        for field in ("handlungsfeld", "zielgruppe", "persona", "theme"):
            assert values[name].get(field), (name, field)


@pytest.fixture
def seeded() -> list[dict]:
    demo.seed("hamm-admin")
    demo.seed("hamm-admin")  # the update path must keep every field
    names = helpers.call_action("package_list")
    return [helpers.call_action("package_show", id=name) for name in names]


def test_seeded_datasets_are_complete(seeded: list[dict]) -> None:
    assert len(seeded) == len(demo.load_content()["datasets"])
    for pkg in seeded:
        for field in ("handlungsfeld", "zielgruppe", "persona", "theme"):
            assert pkg[field], (pkg["name"], field)
        assert pkg["license_id"] and pkg["license_url"].startswith("http://dcat-ap.de/def/licenses/")
        assert pkg["contact"][0]["name"] and pkg["contact"][0]["url"], pkg["name"]
        assert pkg["publisher"][0]["name"] == "Stadt Hamm"
        assert pkg["spatial_coverage"][0]["uri"].endswith("/05915000")


@pytest.mark.parametrize("field", ["handlungsfeld", "zielgruppe", "persona"])
def test_facet_counts_equal_direct_counts(seeded: list[dict], field: str) -> None:
    direct = collections.Counter(value for pkg in seeded for value in pkg[field])
    result = helpers.call_action("package_search", rows=0, **{"facet.field": f'["vocab_{field}"]',
                                                              "facet.limit": -1})
    facets = {item["name"]: item["count"] for item in result["search_facets"][f"vocab_{field}"]["items"]}
    assert facets == dict(direct)
    if field == "handlungsfeld":
        print("\nvocab_handlungsfeld facet vs direct:", sorted(direct.items()))
