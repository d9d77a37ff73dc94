"""Datenwunsch and Kennzahlen in a real browser: the whole request lifecycle, and axe-core."""
from __future__ import annotations

import json
import os
import urllib.request
import uuid
from pathlib import Path
from typing import Any

import pytest

from ckanext.hamm import devstack
from tests.browser.conftest import check_axe

PASSWORD = "Hamm-Browser-Test-42"


def _api(portal: dict[str, Any], action: str, data: dict[str, Any], token: str) -> dict[str, Any]:
    request = urllib.request.Request(f"{portal['url']}/api/3/action/{action}", data=json.dumps(data).encode(),
                                     headers={"Authorization": token, "Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        return json.load(response)["result"]


def add_user(portal: dict[str, Any], name: str) -> None:
    """A user with the tests' password, made through the API by the seeded sysadmin."""
    _api(portal, "user_create", {"name": name, "email": f"{name}@example.org", "password": PASSWORD},
         portal["admin_token"])


@pytest.fixture(scope="module")
def staff(portal: dict[str, Any]) -> dict[str, str]:
    """An editor of the Umweltamt with a password (API calls: no CKAN process started per user)."""
    name = f"redakteurin-{uuid.uuid4().hex[:6]}"
    add_user(portal, name)
    token = portal["admin_token"]
    _api(portal, "organization_member_create", {"id": "umweltamt", "username": name, "role": "editor"}, token)
    return {"name": name, "token": token}


@pytest.fixture(autouse=True)
def fresh_rate_limits(portal: dict[str, Any]) -> None:
    """Every run submits from 127.0.0.1; clear the portal's hourly counters so reruns never hit them."""
    import redis

    url = os.environ.get("CKAN_REDIS_URL") or devstack.redis_url(devstack.default_state(Path(__file__).parents[2]))
    client = redis.Redis.from_url(url.rsplit("/", 1)[0] + "/" + os.environ.get("HAMM_TEST_REDIS_DB", "1"))
    for key in client.scan_iter("hamm:rate:*"):
        client.delete(key)


def _log_in(page: Any, portal: dict[str, Any], name: str) -> None:
    page.goto(portal["url"] + "/user/login")
    page.locator("#field-login").fill(name)
    page.locator("#field-password").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("#field-password").press("Enter")
    assert page.locator("#field-password").count() == 0, "login failed"


def test_request_lifecycle_in_the_browser(portal: dict[str, Any], browser: Any, page: Any,
                                          staff: dict[str, str]) -> None:
    title = f"Hitzeinseln je Stadtbezirk {uuid.uuid4().hex[:6]}"
    page.goto(portal["url"] + "/datenwunsch/neu")
    page.get_by_label("Titel").fill(title)
    page.get_by_label("Beschreibung").fill("Oberflächentemperaturen im Sommer, damit wir kühle Wege planen können.")
    page.get_by_label("Handlungsfeld").select_option("umwelt")
    page.get_by_label("Zielgruppe").select_option("buergerinnen")
    page.get_by_label("Zuständige Stelle, falls bekannt (freiwillig)").select_option("umweltamt")
    page.get_by_label("E-Mail (freiwillig)").fill("anwohnerin@example.org")
    page.get_by_role("button", name="Datenwunsch absenden").click()
    page.get_by_role("heading", name=title).wait_for()
    assert "Vielen Dank" in page.content() and "anwohnerin@example.org" not in page.content()
    request_url = page.url

    # The requester's own need is the first vote: they cannot vote for their own request.
    assert page.get_by_text("1 Person braucht diese Daten").count() == 1
    assert page.get_by_role("button", name="Ich brauche das auch").count() == 0

    other_browser = browser.new_context()
    try:  # another visitor (own cookie) may vote too
        other = other_browser.new_page()
        other.goto(request_url)
        other.get_by_role("button", name="Ich brauche das auch").click()
        other.get_by_text("2 Personen brauchen diese Daten").wait_for()
    finally:
        other_browser.close()

    editor_context = browser.new_context()
    try:
        editor = editor_context.new_page()
        _log_in(editor, portal, staff["name"])
        editor.goto(request_url)
        assert "anwohnerin@example.org" in editor.content()  # staff see the address
        editor.get_by_role("link", name="Diesen Wunsch bearbeiten").click()
        editor.get_by_label("Status").select_option("in_pruefung")
        editor.get_by_role("button", name="Speichern").click()
        editor.get_by_text("Der Datenwunsch wurde aktualisiert.").wait_for()
        editor.get_by_role("link", name="Diesen Wunsch bearbeiten").click()
        editor.get_by_label("Status").select_option("veroeffentlicht")
        editor.get_by_label("Veröffentlichter Datensatz (Name oder ID)").fill("kuehle-orte")
        editor.get_by_label("Öffentliche Antwort oder Begründung").fill("Die kühlen Orte sind jetzt offen.")
        editor.get_by_role("button", name="Speichern").click()
        editor.get_by_text("Der Datenwunsch wurde aktualisiert.").wait_for()
    finally:
        editor_context.close()

    page.goto(request_url)
    assert page.get_by_role("link", name="Kühle Orte bei Hitze").count() == 1
    history = page.locator("table").last.inner_text()
    for status in ("Neu", "In Prüfung", "Veröffentlicht"):
        assert status in history
    assert "anwohnerin@example.org" not in page.content()
    page.goto(portal["url"] + "/datenwunsch?status=veroeffentlicht")
    assert page.get_by_role("link", name=title).count() == 1


PAGES = {"datenwunsch list": "/datenwunsch", "datenwunsch form": "/datenwunsch/neu",
         "datenwunsch detail": "DETAIL", "kennzahlen": "/kennzahlen"}


@pytest.mark.parametrize("lang", ["de", "en"])
@pytest.mark.parametrize("label", list(PAGES))
def test_no_serious_or_critical_violations(portal: dict[str, Any], page: Any, axe_source: str,
                                           staff: dict[str, str], label: str, lang: str) -> None:
    path = PAGES[label]
    if path == "DETAIL":
        created = _api(portal, "hamm_datarequest_create", {
            "title": "Baustellen in Echtzeit", "description": "Wo wird gerade gebaut?",
            "handlungsfeld": "mobilitaet", "zielgruppe": "buergerinnen"}, staff["token"])
        path = f"/datenwunsch/{created['id']}"
    prefix = "" if lang == "de" else "/en"
    response = page.goto(portal["url"] + prefix + path)
    assert response.status == 200
    assert page.get_attribute("html", "lang") == lang
    check_axe(page, axe_source, label, lang)
