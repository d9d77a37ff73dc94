"""Publishing faults against the hand-written fake RVR: each ends the run with a readable German/English
error naming the dataset, and nothing local changes (no dataset, no publish link)."""
from __future__ import annotations

import pytest
from ckan import model
from ckan.tests import factories

from ckanext.hamm.demo.fake_rvr import FakeRVR
from ckanext.hamm.model import rvr_link as links
from ckanext.hamm.publish import publisher
from ckanext.hamm.publish.remote import failure
from tests.support.portal import hamm_dataset

from .conftest import publish_marks

pytestmark = publish_marks()


@pytest.fixture
def fake(monkeypatch):
    with FakeRVR(0) as server:
        monkeypatch.setenv(publisher.TOKEN_VARIABLE, server.token)
        yield server


@pytest.fixture
def datasets() -> list[dict]:
    org = factories.Organization(name="umweltamt")
    return [hamm_dataset(owner_org=org["id"], name=name, license_id="dl-by-de/2.0")
            for name in ("baumkataster", "luftqualitaet")]


def local_state() -> dict:
    rows = model.Session.query(model.Package.id, model.Package.metadata_modified).all()
    return {"datasets": dict(rows), "links": model.Session.query(links.RvrLink).count()}


@pytest.mark.parametrize("fault, words", [
    ("status_401", "hat das API-Token nicht angenommen (401)"),
    ("status_503", "dauerhaft mit Fehler 503"),
    ("stall", "zu langsam"),
    ("html200", "Webseite statt Daten"),
])
def test_transport_faults_end_the_run_readably_and_change_nothing(fake, datasets, fault, words):
    before = local_state()
    fake.fault, fake.stall_seconds = fault, 3
    report = publisher.publish(url=fake.url)
    assert len(report.errors) == 1, report.errors  # the run ended at the first dataset
    assert words in report.errors[0]
    assert report.errors[0].startswith(("„baumkataster“: ", "„luftqualitaet“: "))  # names the dataset
    assert " / " in report.errors[0]  # German, then English
    assert fake.writes == [] and local_state() == before
    fake.fault = None
    assert publisher.publish(url=fake.url).created == 2  # the next run is normal again


def test_a_token_without_rights_is_named_as_such(fake, datasets, monkeypatch):
    monkeypatch.setenv(publisher.TOKEN_VARIABLE, "falsches-token")
    report = publisher.publish(url=fake.url)
    assert len(report.errors) == 1 and "keine Schreibrechte" in report.errors[0]
    assert "has no write rights" in report.errors[0] and fake.writes == []


def test_validation_errors_name_each_field_per_dataset_and_nothing_is_deleted(fake, datasets):
    before = local_state()
    fake.fault = "validation_409"
    report = publisher.publish(url=fake.url)
    assert len(report.errors) == 2  # one per dataset: a refused dataset does not stop the others
    assert sorted(error.split(":", 1)[0] for error in report.errors) == ["„baumkataster“", "„luftqualitaet“"]
    for error in report.errors:
        assert "license_id: Lizenz unbekannt" in error and "tags" in error
    assert local_state() == before


def test_429_is_retried_after_the_servers_pause(fake, datasets):
    fake.fault = "status_429_once"
    report = publisher.publish(url=fake.url)
    assert (report.created, report.errors) == (2, [])
    assert len(fake.writes) == 2


def test_no_token_no_run(fake, datasets, monkeypatch):
    monkeypatch.delenv(publisher.TOKEN_VARIABLE)
    report = publisher.publish(url=fake.url)
    assert len(report.errors) == 1 and "HAMM_RVR_API_TOKEN" in report.errors[0] and fake.requests == []


def test_token_file_from_config(fake, datasets, monkeypatch, tmp_path, ckan_config):
    monkeypatch.delenv(publisher.TOKEN_VARIABLE)
    secret = tmp_path / "rvr-token"
    secret.write_text(fake.token + "\n")
    monkeypatch.setitem(ckan_config, "ckanext.hamm.rvr_publish.token_file", str(secret))
    assert publisher.publish(url=fake.url).created == 2


def test_url_policy_is_the_harvesters(fake, datasets):
    report = publisher.publish(url=fake.url.replace("127.0.0.1", "localhost"))
    assert len(report.errors) == 1 and "nicht auf der Liste erlaubter Server" in report.errors[0]
    assert fake.requests == []


def test_redirects_are_never_followed_with_the_token(fake, datasets):
    fake.fault = "redirect_foreign"
    report = publisher.publish(url=fake.url)
    assert len(report.errors) == 1 and "Weiterleitung" in report.errors[0]


def test_failure_texts_for_ckan_error_answers():
    forbidden = failure("package_update", 403, {"success": False, "error": {"__type": "Authorization Error"}})
    assert "403" in forbidden.de and "keine Rechte" in forbidden.de and "no rights" in forbidden.en
    refused = failure("package_create", 409, {"error": {"__type": "Validation Error", "name": ["in use"]}})
    assert refused.dataset_only and refused.fields == {"name": ["in use"]} and "name: in use" in refused.de
    broken = failure("package_show", 502, None)
    assert not broken.dataset_only and "502" in broken.de


def test_the_command_is_ckan_hamm_rvr_publish():
    from click.testing import CliRunner

    from ckanext.hamm.cli import hamm

    result = CliRunner().invoke(hamm, ["rvr", "publish", "--help"])
    assert result.exit_code == 0
    for option in ("--dry-run", "--full", "--url", "--organization", "--force"):
        assert option in result.output
