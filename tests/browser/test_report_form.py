""""Fehler melden" in a real browser (with and without JavaScript) and against forged requests."""
from __future__ import annotations

import re
import uuid
from typing import Any

import psycopg2
import requests

from ckanext.hamm import devstack
from ckanext.hamm.devstack import default_state


def stored_reports(portal: dict[str, Any], marker: str) -> int:
    url = devstack.with_database(devstack.postgres_url(default_state()), portal["database"])
    with psycopg2.connect(url) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM hamm_report WHERE message LIKE %s", (f"%{marker}%",))
        return cursor.fetchone()[0]


def fill_form(page: Any, marker: str) -> None:
    page.get_by_label("Ein Link oder Download funktioniert nicht").check()
    page.get_by_label("Beschreiben Sie das Problem").fill(f"Der CSV-Link liefert 404. {marker}")
    page.get_by_label("Ihre E-Mail-Adresse").fill("leser@example.org")


def test_report_with_javascript_stays_on_the_dataset_page(portal: dict[str, Any], page: Any) -> None:
    marker = uuid.uuid4().hex
    page.goto(portal["url"] + "/dataset/baumkataster")
    fill_form(page, marker)
    page.get_by_role("button", name="Meldung senden").click()
    status = page.locator("[data-hamm-status]")
    status.filter(has_text="Vielen Dank").wait_for()
    assert page.url.endswith("/dataset/baumkataster")
    assert stored_reports(portal, marker) == 1


def test_report_without_javascript(portal: dict[str, Any], browser: Any) -> None:
    marker = uuid.uuid4().hex
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(portal["url"] + "/dataset/baumkataster/fehler-melden")
        fill_form(page, marker)
        with page.expect_navigation():
            page.get_by_role("button", name="Meldung senden").click()
        assert page.url.endswith("/dataset/baumkataster/fehler-melden?sent=1")
        assert "Vielen Dank" in page.locator("[role=status]").inner_text()
    finally:
        context.close()
    assert stored_reports(portal, marker) == 1


def _session_with_token(url: str) -> tuple[requests.Session, str]:
    session = requests.Session()
    html = session.get(url, timeout=10).text
    token = re.search(r'name="_csrf_token" value="([^"]+)"', html).group(1)
    return session, token


def test_forged_post_without_csrf_token_is_rejected(portal: dict[str, Any]) -> None:
    marker = uuid.uuid4().hex
    form_url = portal["url"] + "/dataset/baumkataster/fehler-melden"
    data = {"category": "content", "message": f"Gefälschte Meldung {marker}"}
    anonymous = requests.post(form_url, data=data, timeout=10, allow_redirects=False)
    session, _token = _session_with_token(form_url)
    with_cookie = session.post(form_url, data=data, timeout=10, allow_redirects=False,
                               headers={"X-Requested-With": "fetch"})
    assert anonymous.status_code in (400, 403)
    assert with_cookie.status_code in (400, 403)
    assert stored_reports(portal, marker) == 0


def test_invalid_report_shows_errors_tied_to_fields(portal: dict[str, Any]) -> None:
    form_url = portal["url"] + "/dataset/baumkataster/fehler-melden"
    session, token = _session_with_token(form_url)
    response = session.post(form_url, data={"_csrf_token": token, "category": "content", "message": "kurz"},
                            timeout=10)
    assert response.status_code == 400
    html = response.text
    assert 'id="hamm-report-message-error"' in html and "mindestens 10 Zeichen" in html
    textarea = re.search(r"<textarea[^>]*>", html, re.S).group(0)
    assert 'aria-invalid="true"' in textarea
    assert "hamm-report-message-error" in textarea


def test_honeypot_pretends_success_and_stores_nothing(portal: dict[str, Any]) -> None:
    marker = uuid.uuid4().hex
    form_url = portal["url"] + "/dataset/baumkataster/fehler-melden"
    session, token = _session_with_token(form_url)
    response = session.post(form_url, data={"_csrf_token": token, "category": "content",
                                            "message": f"Bot-Nachricht {marker}", "website": "http://spam.example"},
                            timeout=10, allow_redirects=False)
    assert response.status_code == 302 and response.headers["Location"].endswith("sent=1")
    assert stored_reports(portal, marker) == 0
