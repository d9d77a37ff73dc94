"""The Datenwunsch pages as a browser uses them: forms with CSRF, honeypot, rate limit, voting cookie."""
from __future__ import annotations

import re
import uuid

import pytest
from ckan.lib.helpers import url_for
from ckan.tests import factories, helpers

from tests.support.portal import PLUGINS, clean_db, hamm_dataset, smtp_sink  # noqa: F401 (fixtures)

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]

FORM = {"title": "Freie Kita-Plätze", "description": "Wie viele Plätze sind je Stadtbezirk frei?",
        "handlungsfeld": "soziales", "zielgruppe": "buergerinnen"}


def _token(response) -> str:
    match = re.search(r'name="_csrf_token"\s+value="([^"]+)"', response.body)
    assert match, "form without CSRF token"
    return match.group(1)


def _submit(app, address="10.0.0.1", **extra):
    environ = {"REMOTE_ADDR": address}
    page = app.get(url_for("hamm_datarequest.new"), environ_base=environ)
    return app.post(url_for("hamm_datarequest.new"), environ_base=environ, follow_redirects=False,
                    data=dict(FORM, _csrf_token=_token(page), **extra))


def _auth(user) -> dict[str, str]:
    return {"Authorization": factories.APIToken(user=user["name"])["token"]}


def test_submit_vote_triage_publish_in_the_browser(app, smtp_sink):
    editor = factories.User()
    org = factories.Organization(users=[{"name": editor["name"], "capacity": "editor"}])
    dataset = hamm_dataset(owner_org=org["id"], title="Kita-Plätze")
    response = _submit(app, email="eltern@example.org", owner_org=org["name"])
    assert response.status_code == 302
    request_id = response.headers["Location"].rstrip("/").rsplit("/", 1)[-1]
    page = app.get(url_for("hamm_datarequest.read", id=request_id))
    assert "Freie Kita-Plätze" in page.body and "eltern@example.org" not in page.body

    # The request is the requester's first vote; the browser keeps a voter cookie and cannot vote again.
    assert "hamm_voter=" in response.headers.get("Set-Cookie", "")
    assert helpers.call_action("hamm_datarequest_show", id=request_id)["vote_count"] == 1
    assert "Ich brauche das auch</button>" not in page.body
    again = app.post(url_for("hamm_datarequest.vote", id=request_id), data={"_csrf_token": _token(page)})
    assert helpers.call_action("hamm_datarequest_show", id=request_id)["vote_count"] == 1
    assert "bereits" in again.body or "already" in again.body

    headers = _auth(editor)
    form = app.get(url_for("hamm_datarequest.triage", id=request_id), headers=headers)
    assert "eltern@example.org" not in form.body  # the form itself shows no address
    app.post(url_for("hamm_datarequest.triage", id=request_id), headers=headers,
             data={"status": "veroeffentlicht", "dataset_id": dataset["name"], "status_reason": "Ist online"})
    shown = app.get(url_for("hamm_datarequest.read", id=request_id), headers=headers)
    assert "Kita-Plätze" in shown.body and "eltern@example.org" in shown.body  # staff see it
    public = app.get(url_for("hamm_datarequest.read", id=request_id))
    assert f'/dataset/{dataset["name"]}' in public.body and "eltern@example.org" not in public.body
    assert len(smtp_sink) == 2 and "veröffentlicht" in smtp_sink[-1]["data"]


def test_list_filters_and_sorts():
    helpers.call_action("hamm_datarequest_create", title="Umweltwunsch", description="x",
                        handlungsfeld="umwelt", zielgruppe="buergerinnen")
    helpers.call_action("hamm_datarequest_create", title="Mobilitätswunsch", description="x",
                        handlungsfeld="mobilitaet", zielgruppe="buergerinnen")


def test_list_page_filters(app):
    test_list_filters_and_sorts()
    body = app.get(url_for("hamm_datarequest.index", handlungsfeld="umwelt", sort="newest")).body
    assert "Umweltwunsch" in body and "Mobilitätswunsch" not in body
    body = app.get(url_for("hamm_datarequest.index", status="abgelehnt")).body
    assert "Umweltwunsch" not in body
    assert app.get(url_for("hamm_datarequest.index", sort="'; drop", status="x")).status_code == 200


def test_forged_post_without_csrf_token_is_rejected(app):
    app.get(url_for("hamm_datarequest.new"))  # CKAN exempts views after anonymous requests; we do not
    response = app.post(url_for("hamm_datarequest.new"), data=FORM, status=400)
    assert response.status_code == 400
    assert helpers.call_action("hamm_datarequest_list")["count"] == 0


def test_forged_triage_post_of_a_logged_in_editor_is_rejected(app):
    editor = factories.User(password="Richtig-Pferd-42")
    org = factories.Organization(users=[{"name": editor["name"], "capacity": "editor"}])
    created = helpers.call_action("hamm_datarequest_create", owner_org=org["id"], **FORM)
    login = app.get(url_for("user.login"))
    app.post(url_for("user.login"), data={"login": editor["name"], "password": "Richtig-Pferd-42",
                                          "_csrf_token": _token(login)})
    url = url_for("hamm_datarequest.triage", id=created["id"])
    page = app.get(url)
    assert app.post(url, data={"status": "geplant"}, expect_errors=True).status_code in (400, 403)
    assert helpers.call_action("hamm_datarequest_show", id=created["id"])["status"] == "neu"
    app.post(url, data={"status": "geplant", "_csrf_token": _token(page)})
    assert helpers.call_action("hamm_datarequest_show", id=created["id"])["status"] == "geplant"


def test_honeypot_filled_by_a_bot_stores_nothing(app):
    response = _submit(app, homepage="http://spam.example")
    assert response.status_code == 200
    assert helpers.call_action("hamm_datarequest_list")["count"] == 0


@pytest.mark.ckan_config("ckanext.hamm.datarequest.rate_limit", 2)
def test_rate_limit_per_address(app):
    assert [_submit(app).status_code for _ in range(3)] == [302, 302, 200]
    assert "Too many" in _submit(app).body or "Zu viele" in _submit(app).body
    assert _submit(app, address="10.0.0.2").status_code == 302  # another client is not affected
    assert helpers.call_action("hamm_datarequest_list")["count"] == 3


@pytest.mark.ckan_config("ckanext.hamm.datarequest.rate_limit", 1)
def test_rate_limit_per_account_through_the_api(app):
    user = factories.User()
    url = url_for("api.action", ver=3, logic_function="hamm_datarequest_create")
    assert app.post(url, json=FORM, headers=_auth(user)).status_code == 200
    assert app.post(url, json=FORM, headers=_auth(user), status=409).json["error"]["rate_limit"]


@pytest.mark.ckan_config("ckanext.hamm.datarequest.votes_per_address", 2)
def test_cleared_cookies_cannot_vote_endlessly(app):
    created = helpers.call_action("hamm_datarequest_create", **FORM)
    url = url_for("hamm_datarequest.read", id=created["id"])

    def vote_in_a_fresh_browser(address: str) -> None:
        browser = app.test_client()  # no cookies: like a browser that cleared them
        page = browser.get(url, environ_base={"REMOTE_ADDR": address})
        browser.post(url_for("hamm_datarequest.vote", id=created["id"]), data={"_csrf_token": _token(page)},
                     environ_base={"REMOTE_ADDR": address})

    for _ in range(3):
        vote_in_a_fresh_browser("10.0.0.9")
    assert helpers.call_action("hamm_datarequest_show", id=created["id"])["vote_count"] == 2
    vote_in_a_fresh_browser("10.0.0.10")
    assert helpers.call_action("hamm_datarequest_show", id=created["id"])["vote_count"] == 3


def test_public_may_leave_out_strategy_fields_and_errors_name_labels(app):
    response = _submit(app, handlungsfeld="", zielgruppe="")
    assert response.status_code == 302  # Handlungsfeld and Zielgruppe are for staff to set
    request_id = response.headers["Location"].rstrip("/").rsplit("/", 1)[-1]
    assert helpers.call_action("hamm_datarequest_show", id=request_id)["handlungsfeld"] is None
    empty = _submit(app, address="10.0.0.2", title="", handlungsfeld="", zielgruppe="")
    assert "Titel: Angabe fehlt" in empty.body or "Titel:" in empty.body
    assert "title:" not in empty.body


def test_logged_in_requester_cannot_vote_for_own_request(app):
    user = factories.User()
    created = helpers.call_action("hamm_datarequest_create", context={"user": user["name"]}, **FORM)
    assert created["vote_count"] == 1
    again = helpers.call_action("hamm_datarequest_vote", context={"user": user["name"]}, id=created["id"])
    assert again["counted"] is False and again["vote_count"] == 1


def test_history_in_german_order_and_berlin_time(app):
    created = helpers.call_action("hamm_datarequest_create", **FORM)
    html = app.get(url_for("hamm_datarequest.read", id=created["id"])).body
    assert re.search(r"\d{2}\.\d{2}\.\d{4}, \d{2}:\d{2} Uhr", html)


def test_the_confirmation_mail_carries_no_text_of_the_sender(app, smtp_sink):
    """Issue 26 (finding 11): anyone could make the portal mail any address with their own words."""
    response = _submit(app, address="10.0.0.7", email=f"opfer-{uuid.uuid4().hex[:8]}@example.org",
                       title="Gewinn abholen: https://evil.example/login", owner_org="")
    assert response.status_code == 302, response.body[:500]
    request_id = response.headers["Location"].rstrip("/").rsplit("/", 1)[-1]
    assert len(smtp_sink) == 1
    mail = smtp_sink[0]["data"]
    assert "evil.example" not in mail and "Gewinn" not in mail and "Stadtbezirk" not in mail
    assert f"/datenwunsch/{request_id}" in mail and "Gewinn" not in smtp_sink[0]["subject"]


def test_confirmation_mails_to_one_address_are_limited(app, smtp_sink):
    address = f"viel-post-{uuid.uuid4().hex[:8]}@example.org"  # Redis keeps its counters between tests
    for i in range(6):  # from six different clients: the per-client limit does not stop it
        assert _submit(app, address=f"10.0.1.{i}", email=address).status_code == 302
    assert len(smtp_sink) == 3
    assert helpers.call_action("hamm_datarequest_list")["count"] == 6  # the requests themselves are kept
