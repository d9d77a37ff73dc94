"""The last RVR sync on /kennzahlen comes from ckanext-harvest's job tables."""
from __future__ import annotations

import datetime
import uuid

import pytest
import sqlalchemy as sa
from ckan import model
from ckan.lib.helpers import url_for
from ckan.tests import factories, helpers
from click.testing import CliRunner

from ckanext.hamm.cli import hamm
from tests.support.portal import PLUGINS, clean_db, migrate_once  # noqa: F401 (fixtures)

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS + " harvest hamm_rvr"),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


@pytest.fixture
def harvest_tables(with_plugins, clean_db, migrate_db_for):
    migrate_once(migrate_db_for, "harvest")


@pytest.mark.ckan_config("ckanext.hamm.kennzahlen.rvr_source", "opendata.ruhr")
@pytest.mark.usefixtures("harvest_tables")
def test_last_rvr_sync_from_harvest_tables():
    source = {"id": str(uuid.uuid4())}
    connection = model.Session.connection()
    connection.execute(sa.text(
        "INSERT INTO harvest_source (id, url, title, type, active, created) "
        "VALUES (:id, 'https://opendata.ruhr/api/3', 'Regionalverband Ruhr', 'ckan', true, now())"),
        {"id": source["id"]})
    old, new = str(uuid.uuid4()), str(uuid.uuid4())
    for job, status, day in ((old, "Finished", 1), (new, "Finished", 2)):
        connection.execute(sa.text(
            "INSERT INTO harvest_job (id, created, finished, source_id, status) "
            "VALUES (:id, :created, :created, :source, :status)"),
            {"id": job, "created": datetime.datetime(2026, 11, day), "source": source["id"], "status": status})
    for report in ("added", "added", "updated", "errored"):
        connection.execute(sa.text(
            "INSERT INTO harvest_object (id, guid, harvest_job_id, harvest_source_id, report_status, state, current) "
            "VALUES (:id, :id, :job, :source, :report, 'COMPLETE', true)"),
            {"id": str(uuid.uuid4()), "job": new, "source": source["id"], "report": report})
    model.Session.commit()
    sync = helpers.call_action("hamm_kennzahlen_show")["rvr_sync"]
    assert (sync["added"], sync["updated"], sync["errors"], sync["result"]) == (2, 1, 1, "errors")
    assert sync["finished"].startswith("2026-11-02") and sync["source"] == "Regionalverband Ruhr"


@pytest.mark.usefixtures("harvest_tables")
@pytest.mark.ckan_config("ckan.site_url", "https://opendata.hamm.de")
def test_the_demo_harvest_counts_as_the_last_rvr_sync(app):
    """The demo's source (local fake RVR, own name and title) is found with the default setting."""
    factories.Organization(name="stadt-hamm", title="Stadt Hamm")
    result = CliRunner().invoke(hamm, ["rvr", "demo-harvest", "--count", "4"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    sync = helpers.call_action("hamm_kennzahlen_show")["rvr_sync"]
    assert sync is not None and (sync["added"], sync["errors"], sync["result"]) == (4, 0, "ok")
    page = app.get(url_for("hamm_kennzahlen.index")).body
    assert "Letzter Abgleich" in page and "4 neu" in page
    assert "noch kein Abgleich" not in page


@pytest.mark.usefixtures("harvest_tables")
@pytest.mark.ckan_config("ckanext.hamm.kennzahlen.rvr_source", "opendata.ruhr")
def test_an_unrelated_harvest_source_is_no_rvr_sync():
    connection = model.Session.connection()
    source = str(uuid.uuid4())
    connection.execute(sa.text(
        "INSERT INTO harvest_source (id, url, title, type, active, created) "
        "VALUES (:id, 'https://daten.example.org/catalog.rdf', 'Landesportal', 'hamm_dcat', true, now())"),
        {"id": source})
    connection.execute(sa.text(
        "INSERT INTO harvest_job (id, created, finished, source_id, status) VALUES (:id, now(), now(), :source, 'Finished')"),
        {"id": str(uuid.uuid4()), "source": source})
    model.Session.commit()
    assert helpers.call_action("hamm_kennzahlen_show")["rvr_sync"] is None
