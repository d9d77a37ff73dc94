"""CSRF on CKAN's own views and the API: a logged-in browser session never changes anything without a token.

CKAN 2.12 exempts a view for the whole process after one anonymous request to it, so each
test starts with core's exemptions cleared (as a freshly started portal) and tries both orders.
"""
from __future__ import annotations

import re
from typing import Any, Callable

import pytest
from ckan import model
from ckan.tests import factories

from tests.support.portal import PLUGINS, clean_db  # noqa: F401 (fixtures)

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "fresh_process"),
]


@pytest.fixture
def fresh_process():
    from ckan.config.middleware import flask_app

    exempt = flask_app.csrf._exempt_views
    saved = set(exempt)
    exempt.clear()
    yield
    exempt.clear()
    exempt.update(saved)


PASSWORD = "Richtig-Pferd-42"


def log_in(app, user: dict) -> None:
    """As a browser does: the login form with its token, then the session cookie."""
    page = app.get("/user/login")
    app.post("/user/login", data={"login": user["name"], "password": PASSWORD, "_csrf_token": _token(page.body)})


@pytest.fixture
def world() -> dict[str, Any]:
    admin = factories.Sysadmin(fullname="Echte Person", password=PASSWORD)
    org = factories.Organization(title="Echtes Amt")
    dataset = factories.Dataset(owner_org=org["id"], title="Echter Titel", handlungsfeld=["umwelt"],
                                license_id="dl-by-de/2.0")
    return {"admin": admin, "org": org, "dataset": dataset}


def _dataset_title(world) -> str:
    return model.Package.get(world["dataset"]["id"]).title


def _org_title(world) -> str:
    return model.Group.get(world["org"]["id"]).title


def _fullname(world) -> str:
    return model.User.get(world["admin"]["id"]).fullname


# (form page, where the forged request goes, how it is sent, what must stay as it is)
FORMS: dict[str, tuple[Callable, Callable, dict, Callable]] = {
    "dataset form": (lambda w: f"/dataset/edit/{w['dataset']['name']}", lambda w: f"/dataset/edit/{w['dataset']['name']}",
                     {"data": {"title": "Gefälscht", "name": "x", "save": ""}}, _dataset_title),
    "organisation form": (lambda w: f"/organization/edit/{w['org']['name']}",
                          lambda w: f"/organization/edit/{w['org']['name']}",
                          {"data": {"title": "Gefälscht", "name": "x", "save": ""}}, _org_title),
    "user form": (lambda w: f"/user/edit/{w['admin']['name']}", lambda w: f"/user/edit/{w['admin']['name']}",
                  {"data": {"fullname": "Gefälscht", "name": "x", "email": "x@example.org", "old_password": "",
                            "save": ""}},
                  _fullname),
    "API with the session cookie": (lambda w: f"/dataset/{w['dataset']['name']}",
                                    lambda w: "/api/3/action/package_patch",
                                    {"json": {"id": "<dataset>", "title": "Gefälscht"}}, _dataset_title),
}


def _forged(world, sender: dict) -> dict:
    if "json" in sender:
        return {"json": dict(sender["json"], id=world["dataset"]["id"])}
    return sender


def _token(body: str) -> str:
    match = re.search(r'name="_csrf_token"\s+value="([^"]+)"', body) or \
        re.search(r'<meta name="_csrf_token" content="([^"]+)"', body)
    assert match, "page without a CSRF token"
    return match.group(1)


@pytest.mark.parametrize("order", ["anonymous GET first", "forged POST first"])
@pytest.mark.parametrize("form", FORMS)
def test_token_less_post_of_a_logged_in_user_is_refused_in_either_order(app, world, form, order):
    _page, target, sender, value = FORMS[form]
    target_url = target(world)
    before = value(world)
    anonymous = app.test_client()
    log_in(app, world["admin"])
    attempts = []
    if order == "anonymous GET first":
        anonymous.get(target_url)
        attempts.append(app.post(target_url, expect_errors=True, **_forged(world, sender)))
    else:
        attempts.append(app.post(target_url, expect_errors=True, **_forged(world, sender)))
        anonymous.get(target_url)
        attempts.append(app.post(target_url, expect_errors=True, **_forged(world, sender)))
    for response in attempts:
        assert response.status_code == 400, response.body[:300]
    assert value(world) == before
    body = attempts[-1].body
    assert "abgelaufen" in body or "CSRF" in body


def test_the_same_post_with_the_token_of_the_page_is_accepted(app, world):
    log_in(app, world["admin"])
    page = app.get(f"/dataset/{world['dataset']['name']}")
    response = app.post("/api/3/action/package_patch", headers={"X-CSRFToken": _token(page.body)},
                        json={"id": world["dataset"]["id"], "title": "Neuer Titel"})
    assert response.status_code == 200
    assert _dataset_title(world) == "Neuer Titel"


def test_api_token_clients_need_no_csrf_token(app, world):
    token = factories.APIToken(user=world["admin"]["name"])["token"]
    app.get("/api/3/action/package_patch", expect_errors=True)  # an anonymous request first
    response = app.post("/api/3/action/package_patch", headers={"Authorization": token},
                        json={"id": world["dataset"]["id"], "title": "Per API-Token"})
    assert response.status_code == 200


def test_anonymous_api_calls_are_unaffected(app, world):
    assert app.post("/api/3/action/package_search", json={"q": "Echter"}).json["result"]["count"] == 1
