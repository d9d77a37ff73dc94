"""Sessions end when they should (issue 26, finding 9): a copied ``ckan`` session cookie or
``remember_token`` is worth nothing after the user signed out or after the password changed.

Browsers are Flask test clients; the "attacker" is a second client that got a copy of the
victim's cookies, as one would from a shared computer or a leaked proxy log.
"""
from __future__ import annotations

import re

import ckan.plugins.toolkit as tk
import pytest
from ckan import model
from ckan.tests import factories

from tests.support.portal import PLUGINS, clean_db  # noqa: F401 (fixtures)

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_db"),
]

PASSWORD = "Richtig-Pferd-42"
NEW_PASSWORD = "Neues-Pferd-43"
COOKIES = ("ckan", "remember_token")


def _token(body: str) -> str:
    match = re.search(r'name="_csrf_token"\s+value="([^"]+)"', body)
    assert match, "form without CSRF token"
    return match.group(1)


def sign_in(app, user: dict, remember: bool = False, password: str = PASSWORD):
    browser = app.test_client()
    page = browser.get("/user/login")
    data = {"login": user["name"], "password": password, "_csrf_token": _token(page.get_data(as_text=True))}
    if remember:
        data["remember"] = "31536000000"  # CKAN's form sends the duration in milliseconds
    answer = browser.post("/user/login", data=data, follow_redirects=False)
    assert answer.status_code == 302, answer.get_data(as_text=True)[:300]
    return browser


def copy_of(app, browser, names=COOKIES):
    """A second browser holding copies of ``browser``'s cookies (only those named)."""
    thief = app.test_client()
    for cookie in cookie_jar(browser):
        if cookie.key in names:
            thief.set_cookie(cookie.key, cookie.value, domain=cookie.domain, origin_only=cookie.origin_only,
                             path=cookie.path)
    return thief


def cookie_jar(browser) -> list:
    return list(browser._cookies.values())  # werkzeug keys them by domain, which follows ckan.site_url


def has_cookie(browser, name: str) -> bool:
    return any(cookie.key == name for cookie in cookie_jar(browser))


def signed_in_as(browser) -> str:
    """The name the portal greets this browser with, "" when anonymous."""
    answer = browser.get("/dashboard/datasets", follow_redirects=False)
    if answer.status_code != 200:
        return ""
    match = re.search(r'href="/user/([^"/?]+)"', answer.get_data(as_text=True))
    return match.group(1) if match else "?"


def sign_out(browser) -> None:
    page = browser.get("/dashboard/datasets")
    browser.post("/user/_logout", data={"_csrf_token": _token(page.get_data(as_text=True))})


def change_password(browser, user: dict, new: str = NEW_PASSWORD):
    url = f"/user/edit/{user['name']}"
    page = browser.get(url)
    answer = browser.post(url, follow_redirects=False, data={
        "_csrf_token": _token(page.get_data(as_text=True)), "name": user["name"], "email": user["email"],
        "fullname": user.get("fullname") or "", "old_password": PASSWORD, "password1": new, "password2": new,
        "save": ""})
    assert answer.status_code == 302, answer.get_data(as_text=True)[:500]


@pytest.fixture
def user():
    return factories.User(password=PASSWORD)


def test_a_signed_in_browser_is_signed_in_and_a_copy_works_before_sign_out(app, user):
    browser = sign_in(app, user)
    assert signed_in_as(browser) == user["name"]
    assert signed_in_as(copy_of(app, browser)) == user["name"]


def test_a_copied_session_cookie_is_anonymous_after_sign_out(app, user):
    browser = sign_in(app, user)
    thief = copy_of(app, browser, ["ckan"])
    sign_out(browser)
    assert signed_in_as(browser) == ""
    assert signed_in_as(thief) == ""


def test_a_copied_remember_token_is_anonymous_after_sign_out(app, user):
    browser = sign_in(app, user, remember=True)
    assert has_cookie(browser, "remember_token")
    thief = copy_of(app, browser, ["remember_token"])
    sign_out(browser)
    assert signed_in_as(thief) == ""


def test_a_remember_token_alone_signs_in_until_then(app, user):
    """"Angemeldet bleiben" still works: the token alone opens a new session."""
    browser = sign_in(app, user, remember=True)
    assert signed_in_as(copy_of(app, browser, ["remember_token"])) == user["name"]


def test_a_password_change_ends_every_other_session_and_keeps_one_s_own(app, user):
    own = sign_in(app, user)
    elsewhere = sign_in(app, user, remember=True)
    thief = copy_of(app, own)
    change_password(own, user)
    assert signed_in_as(own) == user["name"]  # the person who changed it stays signed in
    assert signed_in_as(elsewhere) == ""
    assert signed_in_as(thief) == ""
    assert signed_in_as(copy_of(app, elsewhere, ["remember_token"])) == ""
    assert signed_in_as(sign_in(app, user, password=NEW_PASSWORD)) == user["name"]


def test_a_password_set_by_a_sysadmin_ends_the_user_s_sessions(app, user):
    browser = sign_in(app, user)
    admin = model.User.get(factories.Sysadmin()["id"])
    target = model.User.get(user["id"])
    target.password = NEW_PASSWORD  # e.g. ckan user setpass, or the edit form of a sysadmin
    model.Session.commit()
    assert admin is not None
    assert signed_in_as(browser) == ""


def test_a_session_from_before_the_stamp_is_anonymous(app, user):
    """A cookie holding only the user id (sessions of the old code, or a forged one) signs nobody in."""
    browser = app.test_client()
    with browser.session_transaction(base_url=tk.config["ckan.site_url"]) as session:
        session["_user_id"] = user["id"]
        session["_fresh"] = True
    assert signed_in_as(browser) == ""


def test_the_api_token_still_works_beside_the_cookie_rule(app, user):
    token = factories.APIToken(user=user["name"])["token"]
    answer = app.get("/api/3/action/api_token_list", query_string={"user_id": user["name"]},
                     headers={"Authorization": token})
    assert answer.status_code == 200 and len(answer.json["result"]) == 1


@pytest.mark.ckan_config("ckan.site_url", "https://opendata.hamm.de")
def test_remember_cookie_is_lax_and_secure_on_an_https_site(app, user):
    browser = app.test_client()
    page = browser.get("/user/login", base_url="https://opendata.hamm.de")
    answer = browser.post("/user/login", base_url="https://opendata.hamm.de", follow_redirects=False, data={
        "login": user["name"], "password": PASSWORD, "remember": "31536000000",
        "_csrf_token": _token(page.get_data(as_text=True))})
    cookies = [v for k, v in answer.headers.items() if k == "Set-Cookie" and v.startswith("remember_token=")]
    assert cookies, answer.headers
    assert "SameSite=Lax" in cookies[0] and "Secure" in cookies[0] and "HttpOnly" in cookies[0]


def test_remember_cookie_is_lax_on_a_plain_http_demo(app, user):
    browser = app.test_client()
    page = browser.get("/user/login")
    answer = browser.post("/user/login", follow_redirects=False, data={
        "login": user["name"], "password": PASSWORD, "remember": "31536000000",
        "_csrf_token": _token(page.get_data(as_text=True))})
    cookie = next(v for k, v in answer.headers.items() if k == "Set-Cookie" and v.startswith("remember_token="))
    assert "SameSite=Lax" in cookie and "SameSite=None" not in cookie


def test_after_one_s_own_password_change_the_remember_cookie_carries_the_new_stamp(app, user):
    own = sign_in(app, user, remember=True)
    change_password(own, user)
    assert signed_in_as(copy_of(app, own, ["remember_token"])) == user["name"]


def test_an_unstamped_session_does_not_hide_a_valid_api_token(app, user):
    token = factories.APIToken(user=user["name"])["token"]
    browser = app.test_client()
    with browser.session_transaction(base_url=tk.config["ckan.site_url"]) as session:
        session["_user_id"] = factories.User()["id"]
    answer = browser.get("/api/3/action/api_token_list", query_string={"user_id": user["name"]},
                         headers={"Authorization": token}, base_url=tk.config["ckan.site_url"])
    assert answer.status_code == 200, answer.get_data(as_text=True)[:300]
