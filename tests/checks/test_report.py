"""hamm_link_report: a department's staff see its broken links and overdue datasets; nobody else does."""
from __future__ import annotations

import datetime

import pytest
from ckan.tests import factories, helpers

from ckanext.hamm.checks import run
from ckanext.hamm.checks.links import Result
from ckanext.hamm.model import linkcheck
from tests.support.portal import PLUGINS, clean_db, hamm_dataset  # noqa: F401 (fixtures)

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]
FREQ = "http://publications.europa.eu/resource/authority/frequency/"


@pytest.fixture
def world() -> dict:
    users = {role: factories.User() for role in ("member", "editor", "admin", "other", "citizen")}
    org = factories.Organization(name="gruenflaechen", users=[
        {"name": users[role]["name"], "capacity": role} for role in ("member", "editor", "admin")])
    other = factories.Organization(users=[{"name": users["other"]["name"], "capacity": "admin"}])
    today = run.now_and_today()[1]
    pkg = hamm_dataset(owner_org=org["id"], name="baeume", title="Bäume", frequency=FREQ + "MONTHLY",
                       modified=(today - datetime.timedelta(days=400)).isoformat(), resources=[
                           {"url": "https://daten.example.org/baeume.csv", "format": "CSV", "name": "Bäume CSV"},
                           {"url": "https://daten.example.org/neu.csv", "format": "CSV"},
                           {"url": "https://daten.example.org/gut.csv", "format": "CSV"}])
    hamm_dataset(owner_org=org["id"], name="parks", frequency=FREQ + "MONTHLY", modified=today.isoformat())
    harvested = hamm_dataset(owner_org=org["id"], name="rvr-radwege", frequency=FREQ + "ANNUAL",
                             modified="2020-01-01", extras=[{"key": "harvest_source_title", "value": "RVR"}])
    assert harvested["extras"]
    hamm_dataset(owner_org=other["id"], name="fremd", frequency=FREQ + "DAILY", modified="2020-01-01")
    now = datetime.datetime.now(datetime.timezone.utc)
    broken, failing, fine = pkg["resources"]
    for days_ago in (1, 0):
        linkcheck.record([Result(broken["id"], broken["url"], "broken", status=404, package_id=pkg["id"])],
                         now - datetime.timedelta(days=days_ago), today - datetime.timedelta(days=days_ago), keep=30)
    linkcheck.record([Result(failing["id"], failing["url"], "timeout", package_id=pkg["id"]),
                      Result(fine["id"], fine["url"], "ok", status=200, package_id=pkg["id"])], now, today, keep=30)
    return {"users": users, "org": org, "pkg": pkg}


def _report(user: dict | None, **data):
    context = {"user": user["name"] if user else "", "ignore_auth": False}
    return helpers.call_action("hamm_link_report", context=context, **data)


def test_staff_see_broken_failing_and_overdue(world: dict) -> None:
    report = _report(world["users"]["member"], organization="gruenflaechen")
    assert [(b["dataset"], b["resource"], b["status"]) for b in report["broken"]] == [("baeume", "Bäume CSV", 404)]
    assert [(f["dataset"], f["outcome"]) for f in report["failing"]] == [("baeume", "timeout")]
    assert [(o["dataset"], o["frequency"], o["harvested"]) for o in report["overdue"]] == [
        ("rvr-radwege", "ANNUAL", True), ("baeume", "MONTHLY", False)]  # most overdue first
    assert report["overdue"][1]["days_over"] == 400 - 31 - 7
    assert report["broken"][0]["harvested"] is False
    assert (report["resources"], report["checked"]) == (3, 3)


def test_the_department_s_staff_may_read_it_and_nobody_else(world: dict) -> None:
    for user in (world["users"]["member"], world["users"]["editor"], world["users"]["admin"], factories.Sysadmin()):
        assert _report(user, organization=world["org"]["id"])["organization"] == "gruenflaechen"
    for user in (None, world["users"]["citizen"], world["users"]["other"]):  # anonymous, citizen, other department
        with pytest.raises(helpers.logic.NotAuthorized):
            _report(user, organization="gruenflaechen")
    with pytest.raises(helpers.logic.NotAuthorized):
        _report(world["users"]["member"], organization="gibt-es-nicht")


def test_a_missing_organization_is_a_clear_error(world: dict) -> None:
    for value in (None, "", 5, ["gruenflaechen"]):
        with pytest.raises(helpers.logic.ValidationError) as error:
            _report(world["users"]["member"], **({} if value is None else {"organization": value}))
        assert "Organisation" in str(error.value.error_dict) and "organization" in str(error.value.error_dict)


def test_the_staff_page_lists_them_in_german(app, world: dict) -> None:
    token = factories.APIToken(user=world["users"]["member"]["name"])["token"]
    page = app.get("/organization/gruenflaechen/links", headers={"Authorization": token}).get_data(as_text=True)
    assert "Links und Aktualität: " in page
    for heading in ("Defekte Links", "Bei der letzten Prüfung fehlgeschlagen", "Überfällige Datensätze"):
        assert f"<h2>{heading}</h2>" in page
    assert "Bäume CSV" in page and "nicht gefunden (4xx) (404)" in page and "keine Antwort innerhalb der Frist" in page
    assert "Geerntet: bitte der Quelle melden." in page  # the RVR record
    assert "3 von 3 Links geprüft." in page
    for user in (world["users"]["other"], None):
        headers = {"Authorization": factories.APIToken(user=user["name"])["token"]} if user else {}
        app.get("/organization/gruenflaechen/links", headers=headers, status=403)
    app.get("/organization/gibt-es-nicht/links", headers={"Authorization": token}, status=404)


def test_the_quality_box_links_to_the_report_when_a_link_fails(app, world: dict) -> None:
    token = factories.APIToken(user=world["users"]["editor"]["name"])["token"]
    page = app.get("/dataset/baeume", headers={"Authorization": token}).get_data(as_text=True)
    assert "Dafür sorgen, dass jede Ressourcen-URL antwortet" in page
    assert 'href="/organization/' in page and "Linkbericht der Organisation" in page


def test_the_organisation_page_leads_its_staff_there(app, world: dict) -> None:
    link = 'href="/organization/gruenflaechen/links"'
    member = factories.APIToken(user=world["users"]["member"]["name"])["token"]
    assert link in app.get("/organization/gruenflaechen", headers={"Authorization": member}).get_data(as_text=True)
    other = factories.APIToken(user=world["users"]["other"]["name"])["token"]
    assert link not in app.get("/organization/gruenflaechen", headers={"Authorization": other}).get_data(as_text=True)
    assert link not in app.get("/organization/gruenflaechen").get_data(as_text=True)
