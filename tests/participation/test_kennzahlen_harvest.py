"""The last RVR sync on /kennzahlen comes from ckanext-harvest's job tables."""
from __future__ import annotations

import datetime
import uuid

import pytest
import sqlalchemy as sa

from ckan import model
from ckan.tests import helpers

from tests.support.portal import PLUGINS, clean_db  # noqa: F401 (fixtures)

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS + " harvest"),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


@pytest.mark.ckan_config("ckanext.hamm.kennzahlen.rvr_source", "opendata.ruhr")
def test_last_rvr_sync_from_harvest_tables(migrate_db_for):
    migrate_db_for("harvest")
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
