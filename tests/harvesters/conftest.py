"""Fixtures of the harvester job tests: harvest tables, the fake RVR and a hamm_rvr source."""
from __future__ import annotations

import json
from typing import Any, Callable

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories

from ckanext.hamm.demo.fake_rvr import FakeRVR
from ckanext.hamm.harvesters import sync
from ckanext.harvest.model import HarvestSource
from tests.support.portal import migrate_once

PLUGINS = "hamm_search hamm scheming_datasets dcat harvest hamm_rvr ckan_harvester"


def job_marks() -> list[Any]:
    return [
        pytest.mark.ckan_config("ckan.plugins", PLUGINS),
        pytest.mark.ckan_config("ckanext.hamm.harvest.allowed_hosts", "127.0.0.1"),
        pytest.mark.ckan_config("ckanext.hamm.harvest.allow_http", "true"),
        pytest.mark.ckan_config("ckanext.hamm.harvest.allow_loopback", "true"),
        pytest.mark.ckan_config("ckanext.hamm.harvest.read_timeout", "1"),
        pytest.mark.ckan_config("ckanext.hamm.harvest.retries", "1"),
        pytest.mark.ckan_config("ckanext.hamm.harvest.max_response_mb", "2"),
        pytest.mark.ckan_config("ckanext.hamm.harvest.import_workers", "1"),
        pytest.mark.ckan_config("ckan.site_url", "https://opendata.hamm.de"),
        pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
    ]


@pytest.fixture
def clean_db(reset_db, migrate_db_for):
    """CKAN's reset drops plugin tables: bring back the harvest tables every time."""
    reset_db()
    migrate_once(migrate_db_for, "harvest")


@pytest.fixture
def rvr_size() -> int:
    """How many datasets the fake RVR serves; a test module may override this fixture.

    20 test what 150 did (paging with small ``page_size``, the shrink guard's share) at a
    seventh of the imports; tests/harvesters/test_client.py pages through 150 without a database.
    """
    return 20


@pytest.fixture
def rvr(rvr_size):
    with FakeRVR(rvr_size) as server:
        yield server


@pytest.fixture
def sysadmin() -> dict[str, Any]:
    return factories.Sysadmin()


@pytest.fixture
def org() -> dict[str, Any]:
    return factories.Organization(name="stadt-hamm", title="Stadt Hamm")


def make_source(url: str, owner_org: str, user: str, name: str = "rvr", **config: Any) -> HarvestSource:
    source = tk.get_action("harvest_source_create")(
        {"user": user}, {"name": name, "title": "Open Data Portal Metropole Ruhr", "url": url,
                         "source_type": "hamm_rvr", "owner_org": owner_org,
                         "config": json.dumps(config) if config else ""})
    return HarvestSource.get(source["id"])


@pytest.fixture
def source(rvr, org, sysadmin) -> HarvestSource:
    return make_source(rvr.url, org["id"], sysadmin["name"])


@pytest.fixture
def run(source) -> Callable[..., sync.SyncReport]:
    def runner(**kwargs: Any) -> sync.SyncReport:
        return sync.run(HarvestSource.get(source.id), **kwargs)
    return runner
