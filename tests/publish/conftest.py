"""Fixtures of the publisher tests: a real stock CKAN as RVR (once per session), the Hamm side, tokens.

The stand-in starts once per session (about 20 s) and is emptied of datasets before each
test that uses it; the Hamm side gets fresh tables (CKAN's, harvest's and hamm's) per test.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories

from ckanext.hamm import demo
from ckanext.hamm.publish import publisher
from tests.support.portal import clean_db_with_harvest  # noqa: F401 (fixture)

from .standin import StandIn

PLUGINS = "hamm_search hamm scheming_datasets dcat harvest hamm_rvr ckan_harvester"
SITE = "https://opendata.hamm.de"


def publish_marks() -> list[Any]:
    return [
        pytest.mark.ckan_config("ckan.plugins", PLUGINS),
        pytest.mark.ckan_config("ckanext.hamm.harvest.allowed_hosts", "127.0.0.1"),
        pytest.mark.ckan_config("ckanext.hamm.harvest.allow_http", "true"),
        pytest.mark.ckan_config("ckanext.hamm.harvest.allow_loopback", "true"),
        pytest.mark.ckan_config("ckanext.hamm.harvest.read_timeout", "2"),
        pytest.mark.ckan_config("ckanext.hamm.harvest.retries", "1"),
        pytest.mark.ckan_config("ckanext.hamm.harvest.import_workers", "1"),
        pytest.mark.ckan_config("ckan.site_url", SITE),
        pytest.mark.ckan_config("ckanext.dcat.base_uri", SITE),
        pytest.mark.usefixtures("with_plugins", "clean_db_with_harvest", "clean_index"),
    ]


@pytest.fixture(scope="session")
def standin_session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StandIn]:
    with StandIn(Path(tmp_path_factory.mktemp("rvr-standin"))) as server:
        yield server


@pytest.fixture
def standin(standin_session: StandIn, monkeypatch) -> StandIn:
    """The stand-in, empty, and the token RVR issued to Hamm's editors in the environment."""
    standin_session.purge_all()
    monkeypatch.setenv(publisher.TOKEN_VARIABLE, standin_session.tokens["hamm-redaktion"])
    return standin_session


@pytest.fixture
def sysadmin() -> dict[str, Any]:
    return factories.Sysadmin()


@pytest.fixture
def demo_datasets(ckan_config) -> list[dict[str, Any]]:
    """The demo's datasets, made in Hamm (Handlungsfeld, Zielgruppe, Persona, themes, contact …)."""
    demo.seed(ckan_config["ckanext.hamm.demo.sysadmin_name"])
    return [tk.get_action("package_show")({"ignore_auth": True}, {"id": raw["name"]})
            for raw in demo.load_content()["datasets"]]


def run(standin: StandIn, **kwargs: Any) -> publisher.PublishReport:
    return publisher.publish(url=standin.url, **kwargs)
