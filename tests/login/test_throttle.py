"""Failed sign-ins are throttled per account and per client address, with one message for every case.

Real login POSTs through CKAN's form (with its CSRF token), as a browser or a password-guessing
script sends them.
"""
from __future__ import annotations

import re

import pytest
from ckan.tests import factories

from tests.support.portal import PLUGINS, clean_db  # noqa: F401 (fixtures)

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_db"),
]

# CKAN applies a module's ckan_config marks after a test's own, so each test names its limits.
ACCOUNT_LIMIT = pytest.mark.ckan_config("ckanext.hamm.security.login_failures_per_account", 3)
ADDRESS_LIMIT = pytest.mark.ckan_config("ckanext.hamm.security.login_failures_per_address", 3)
PASSWORD = "Richtig-Pferd-42"
THROTTLED = ("Zu viele fehlgeschlagene Anmeldeversuche", "Too many failed sign-in attempts")


def _token(body: str) -> str:
    match = re.search(r'name="_csrf_token"\s+value="([^"]+)"', body)
    assert match, "login form without CSRF token"
    return match.group(1)


def sign_in(app, login: str, password: str, address: str = "10.0.0.1", forwarded: str = ""):
    """One attempt in a fresh browser; the answer to the POST (302 = signed in)."""
    environ = {"REMOTE_ADDR": address}
    if forwarded:
        environ["HTTP_X_FORWARDED_FOR"] = forwarded
    browser = app.test_client()
    page = browser.get("/user/login", environ_base=environ)
    return browser.post("/user/login", environ_base=environ, follow_redirects=False,
                        data={"login": login, "password": password, "_csrf_token": _token(page.get_data(as_text=True))})


def _throttled(response) -> bool:
    body = response.get_data(as_text=True)
    return response.status_code == 429 and any(text in body for text in THROTTLED)


@ACCOUNT_LIMIT
def test_the_right_password_is_refused_once_the_account_is_throttled(app):
    user = factories.User(password=PASSWORD)
    for _ in range(3):
        assert sign_in(app, user["name"], "falsch").status_code == 200
    answer = sign_in(app, user["name"], PASSWORD)
    assert answer.status_code != 302 and _throttled(answer)
    # Another account from the same address signs in as usual.
    other = factories.User(password=PASSWORD)
    assert sign_in(app, other["name"], PASSWORD).status_code == 302


@ACCOUNT_LIMIT
def test_name_and_email_count_for_the_same_account(app):
    user = factories.User(password=PASSWORD)
    sign_in(app, user["name"], "falsch")
    sign_in(app, user["email"], "falsch")
    sign_in(app, user["name"].upper(), "falsch")
    assert _throttled(sign_in(app, user["email"], PASSWORD))


@ACCOUNT_LIMIT
def test_an_unknown_account_gets_the_same_answer(app):
    """Nobody learns from the throttle whether an account exists."""
    user = factories.User(password=PASSWORD)
    for _ in range(3):
        sign_in(app, user["name"], "falsch")
        sign_in(app, "niemand-hier", "falsch")
    known, unknown = sign_in(app, user["name"], "falsch"), sign_in(app, "niemand-hier", "falsch")
    assert _throttled(known) and _throttled(unknown)
    strip = re.compile(r'name="_csrf_token"\s+value="[^"]+"|content="[^"]+"|niemand-hier|' + user["name"])
    assert strip.sub("", known.get_data(as_text=True)) == strip.sub("", unknown.get_data(as_text=True))


@ACCOUNT_LIMIT
def test_a_successful_sign_in_starts_the_account_afresh(app):
    user = factories.User(password=PASSWORD)
    for _ in range(2):
        sign_in(app, user["name"], "falsch")
    assert sign_in(app, user["name"], PASSWORD).status_code == 302
    for _ in range(2):
        sign_in(app, user["name"], "falsch")
    assert sign_in(app, user["name"], PASSWORD).status_code == 302


@ADDRESS_LIMIT
def test_one_address_guessing_across_accounts_is_throttled(app):
    users = [factories.User(password=PASSWORD) for _ in range(4)]
    for user in users[:3]:
        sign_in(app, user["name"], "falsch", address="10.0.0.5")
    assert _throttled(sign_in(app, users[3]["name"], PASSWORD, address="10.0.0.5"))
    assert sign_in(app, users[3]["name"], PASSWORD, address="10.0.0.6").status_code == 302


@ADDRESS_LIMIT
@pytest.mark.ckan_config("ckanext.hamm.security.trusted_proxies", "127.0.0.1")
def test_behind_the_proxy_the_address_is_the_citizens(app):
    user = factories.User(password=PASSWORD)
    for _ in range(3):
        sign_in(app, "niemand-hier", "falsch", address="127.0.0.1", forwarded="203.0.113.1")
    assert _throttled(sign_in(app, user["name"], PASSWORD, address="127.0.0.1", forwarded="203.0.113.1"))
    assert sign_in(app, user["name"], PASSWORD, address="127.0.0.1", forwarded="203.0.113.2").status_code == 302
