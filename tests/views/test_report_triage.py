"""The triage pages of "Fehler melden" as staff use them: list with status tabs, one report with
its history and a form (CSRF, typed values kept), counts on the organisation page and dashboard;
the reporter's address appears on no page."""
from __future__ import annotations

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from ckan.lib.helpers import url_for
from ckan.tests import factories, helpers

from tests.support.portal import PLUGINS, clean_db, csrf_token, hamm_dataset, log_in, smtp_sink  # noqa: F401

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]

REPORTER = "leserin@example.org"
PASSWORD = "Richtig-Pferd-42"
ROLES = ("anonymous", "member", "other_department", "editor", "admin", "sysadmin")
STAFF = {"editor", "admin", "sysadmin"}


@pytest.fixture
def world():
    users = {role: factories.User(password=PASSWORD) for role in ("member", "editor", "admin", "other_department")}
    users["sysadmin"] = factories.Sysadmin(password=PASSWORD)
    org = factories.Organization(name="umweltamt", title="Umweltamt",
                                 users=[{"name": users[r]["name"], "capacity": r} for r in ("member", "editor", "admin")])
    factories.Organization(name="stadtplanungsamt", title="Stadtplanungsamt",
                           users=[{"name": users["other_department"]["name"], "capacity": "editor"}])
    dataset = hamm_dataset(owner_org=org["id"], title="Baumkataster")
    report = helpers.call_action("hamm_report_create", context={"user": ""}, package_id=dataset["id"],
                                 category="link", message="Der Download liefert einen Fehler 404.", email=REPORTER)
    return {"users": users, "org": org, "dataset": dataset, "report": report}


def _login(app, world, role: str) -> None:
    if role != "anonymous":
        log_in(app, world["users"][role]["name"], PASSWORD)


def _detail(world) -> str:
    return url_for("hamm_report.read", id=world["org"]["name"], report_id=world["report"]["id"])


@pytest.mark.parametrize("role", ROLES)
def test_detail_page_role_matrix(app, world, role):
    _login(app, world, role)
    response = app.get(_detail(world), expect_errors=True)
    assert response.status_code == (200 if role in STAFF else 403)
    if role in STAFF:
        assert "Der Download liefert einen Fehler 404." in response.body


def test_triage_with_history_and_reply(app, world, smtp_sink):
    smtp_sink.clear()
    _login(app, world, "editor")
    page = app.get(_detail(world))
    assert "Neu" in page.body and REPORTER not in page.body  # replies go through the portal
    assert 'name="reply"' in page.body
    response = app.post(_detail(world), data={"status": "in_bearbeitung", "note": "Server des Amts prüfen",
                                              "reply": "Danke, wir kümmern uns.", "_csrf_token": csrf_token(page)},
                        follow_redirects=False)
    assert response.status_code == 302
    shown = app.get(response.headers["Location"])
    assert "Die Meldung wurde gespeichert." in shown.body and "Die Antwort wurde an die meldende Person gesendet." in shown.body
    history = shown.body[shown.body.index('id="hamm-report-history"'):]
    assert "In Bearbeitung" in history and "Server des Amts prüfen" in history and "Danke, wir kümmern uns." in history
    assert world["users"]["editor"]["name"] in history
    assert smtp_sink[-1]["to"] == [REPORTER]
    stored = helpers.call_action("hamm_report_show", id=world["report"]["id"])
    assert stored["status"] == "in_bearbeitung"
    utc = datetime.datetime.fromisoformat(stored["history"][0]["timestamp"]).replace(tzinfo=datetime.timezone.utc)
    assert utc.astimezone(ZoneInfo("Europe/Berlin")).strftime("%d.%m.%Y, %H:%M Uhr") in history  # local time


def test_without_mail_server_the_page_says_the_reply_was_not_sent(app, world):
    _login(app, world, "editor")
    page = app.get(_detail(world))
    shown = app.post(_detail(world), data={"reply": "Danke!", "_csrf_token": csrf_token(page)})
    assert "nicht gesendet" in shown.body


def test_a_rejected_form_keeps_what_was_typed(app, world):
    _login(app, world, "editor")
    page = app.get(_detail(world))
    typed = "Lange Notiz " * 400  # over 4000 characters
    response = app.post(_detail(world), data={"status": "erledigt", "note": typed, "reply": "Bitte um Geduld.",
                                              "_csrf_token": csrf_token(page)}, expect_errors=True)
    assert response.status_code == 400
    assert typed.strip() in response.body and "Bitte um Geduld." in response.body
    assert re.search(r'<option value="erledigt"\s+selected', response.body)
    assert helpers.call_action("hamm_report_show", id=world["report"]["id"])["status"] == "neu"


def test_a_forged_post_without_token_changes_nothing(app, world):
    _login(app, world, "editor")
    response = app.post(_detail(world), data={"status": "erledigt"}, expect_errors=True)
    assert response.status_code in (400, 403)
    assert helpers.call_action("hamm_report_show", id=world["report"]["id"])["status"] == "neu"


def test_no_reply_field_without_an_address(app, world):
    silent = helpers.call_action("hamm_report_create", context={"user": ""}, package_id=world["dataset"]["id"],
                                 category="content", message="Die Zahlen für 2024 fehlen.")
    _login(app, world, "editor")
    page = app.get(url_for("hamm_report.read", id=world["org"]["name"], report_id=silent["id"]))
    assert 'name="reply"' not in page.body and "keine E-Mail-Adresse" in page.body


def test_a_report_of_another_organisation_is_not_found_under_this_one(app, world):
    _login(app, world, "sysadmin")
    url = url_for("hamm_report.read", id="stadtplanungsamt", report_id=world["report"]["id"])
    assert app.get(url, expect_errors=True).status_code == 404


def test_list_has_status_tabs_with_counts(app, world):
    helpers.call_action("hamm_report_create", context={"user": ""}, package_id=world["dataset"]["id"],
                        category="content", message="Die Zahlen für 2024 fehlen.")
    helpers.call_action("hamm_report_update", context={"user": world["users"]["editor"]["name"]},
                        id=world["report"]["id"], status="erledigt")
    _login(app, world, "editor")
    default = app.get(url_for("hamm_report.list", id="umweltamt")).body
    assert "Die Zahlen für 2024 fehlen." in default and "Der Download liefert" not in default  # open first
    assert "Offen (1)" in default and "Erledigt (1)" in default and "Alle (2)" in default
    done = app.get(url_for("hamm_report.list", id="umweltamt", status="erledigt")).body
    assert "Der Download liefert" in done and "Die Zahlen für 2024 fehlen." not in done
    assert REPORTER not in app.get(url_for("hamm_report.list", id="umweltamt", status="alle")).body
    assert app.get(url_for("hamm_report.list", id="umweltamt", status="<x>")).status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_open_reports_on_the_organisation_page(app, world, role):
    _login(app, world, role)
    body = app.get(url_for("organization.read", id="umweltamt")).body
    assert ("1 offene Meldung" in body) is (role in STAFF)
    assert REPORTER not in body


@pytest.mark.parametrize("role", ["member", "other_department", "editor", "admin", "sysadmin"])
def test_open_reports_on_the_dashboard(app, world, role):
    _login(app, world, role)
    body = app.get(url_for("dashboard.datasets")).body
    link = url_for("hamm_report.list", id="umweltamt")
    assert (link in body and "1 offene Meldung" in body) is (role in STAFF)
    assert REPORTER not in body


def test_the_reporter_address_is_on_no_public_page(app, world):
    for url in (url_for("dataset.read", id=world["dataset"]["name"]), url_for("organization.read", id="umweltamt"),
                url_for("hamm_report.form", id=world["dataset"]["name"])):
        assert REPORTER not in app.get(url).body
