"""The RVR API token is sent to RVR and nowhere else: not in logs, job reports, the database or output."""
from __future__ import annotations

import logging

import ckan.plugins.toolkit as tk
import pytest
import sqlalchemy as sa
from ckan import model
from ckan.tests import factories
from click.testing import CliRunner

from ckanext.hamm.demo.fake_rvr import FakeRVR
from ckanext.hamm.harvesters import sync
from ckanext.hamm.publish import publisher
from ckanext.hamm.publish.cli import publish_command
from ckanext.harvest.model import HarvestSource
from tests.harvesters.conftest import make_source
from tests.support.portal import hamm_dataset

from .conftest import publish_marks

pytestmark = publish_marks()
SECRET = "rvr-token-7f3a9c41-nur-fuer-hamm"


def database_hits(needle: str) -> list[str]:
    """Every text-like column of every table of the portal's database that contains ``needle``."""
    columns = model.Session.execute(sa.text(
        "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' "
        "AND data_type IN ('text', 'character varying', 'json', 'jsonb', 'bytea')")).all()
    hits = []
    for table, column in columns:
        found = model.Session.execute(sa.text(
            f'SELECT 1 FROM "{table}" WHERE position(:needle in "{column}"::text) > 0 LIMIT 1'),
            {"needle": needle}).first()
        if found:
            hits.append(f"{table}.{column}")
    return hits


@pytest.fixture
def fake(monkeypatch):
    with FakeRVR(0) as server:
        server.token = SECRET
        monkeypatch.setenv(publisher.TOKEN_VARIABLE, SECRET)
        yield server


def test_the_token_appears_nowhere_but_in_the_request_to_rvr(fake, monkeypatch, caplog, capfd):
    caplog.set_level(logging.DEBUG)  # every logger, urllib3's request lines included
    org = factories.Organization(name="umweltamt")
    for name in ("baumkataster", "luftqualitaet"):
        hamm_dataset(owner_org=org["id"], name=name)
    runner = CliRunner()
    outputs, codes = [], []
    for number, (args, fault) in enumerate([([], None), (["--dry-run"], None), (["--full"], None), ([], "status_401"),
                                            ([], "status_503"), ([], "html200"), (["--force"], "validation_409")]):
        fake.fault = fault
        tk.get_action("package_patch")({"ignore_auth": True}, {"id": "baumkataster", "title": f"Bäume {number}"})
        result = runner.invoke(publish_command, ["--url", fake.url, *args])
        outputs.append(result.output)
        codes.append(result.exit_code)
    fake.fault = None
    monkeypatch.setenv(publisher.TOKEN_VARIABLE, "falsch-" + SECRET)  # a wrong one is not echoed either
    wrong = runner.invoke(publish_command, ["--url", fake.url])
    outputs.append(wrong.output)
    assert codes == [0, 0, 0, 1, 1, 1, 1] and wrong.exit_code == 1, outputs
    assert "2 neu" in outputs[0] and "created 2" in outputs[0]

    admin = factories.Sysadmin()
    report = sync.run(make_source(fake.url, org["id"], admin["name"]), full=True)  # a job report as well
    assert (report.added, report.own_skipped) == (0, 2)  # what Hamm published never comes back
    jobs = model.Session.query(HarvestSource).count()

    everything = "\n".join(outputs) + caplog.text + "".join(capfd.readouterr()) + report.summary()
    assert SECRET not in everything
    assert database_hits(SECRET) == [] and jobs == 1
    assert any(f"Authorization: {SECRET}" in headers for headers in fake.headers_seen)  # it did go to RVR
