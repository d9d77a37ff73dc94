"""The demo inventory: ≈60 entries over several departments, mixed Zugang and state, idempotent."""
from __future__ import annotations

from collections import Counter

import pytest
from ckan.tests import helpers

from ckanext.hamm import demo
from ckanext.hamm.inventory import figures
from tests.support.portal import PLUGINS, clean_db  # noqa: F401 (fixture)

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


def test_demo_inventory_is_mixed_and_seeds_twice_without_change() -> None:
    demo.seed("hamm-admin")
    assert demo.seed_inventory("hamm-admin") == demo.seed_inventory("hamm-admin")
    inventory = figures.figures(detailed=True)
    assert 55 <= inventory["entries"] <= 70
    assert len([row for row in inventory["by_department"] if row["count"]]) >= 6
    assert all(row["count"] for row in inventory["by_zugang"])
    assert all(row["count"] for row in inventory["by_status"])
    assert inventory["oldest_open_decisions"]
    freigegeben = helpers.call_action("package_search", fq="inventar_status:freigegeben", include_private=True,
                                      rows=100)["results"]
    assert freigegeben and all(helpers.call_action("hamm_inventar_history", id=p["id"]) for p in freigegeben)
    assert Counter(p["private"] for p in freigegeben) == Counter({True: len(freigegeben)})
