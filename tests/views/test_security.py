"""What a security review checks from outside: headers, third parties, what a refusal gives away."""
from __future__ import annotations

import re

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories

from tests.support.portal import PLUGINS, clean_db, hamm_dataset  # noqa: F401 (fixtures)
from tests.views.test_csrf import PASSWORD, log_in

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/ld\+json)[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
SCRIPT_SRC = re.compile(r"<script[^>]*\bsrc=\"([^\"]+)\"", re.I)


@pytest.fixture
def world():
    org = factories.Organization(name="stadt-hamm")
    public = hamm_dataset(owner_org=org["id"], name="baeume", title="Bäume",
                          resources=[{"url": "https://example.org/b.csv", "format": "CSV"}])
    private = factories.Dataset(owner_org=org["id"], name="geheim", private=True)
    return {"org": org, "public": public, "private": private}


PUBLIC_PAGES = ["/", "/dataset", "/dataset/baeume", "/dataset/baeume/fehler-melden", "/datenwunsch",
                "/datenwunsch/neu", "/handlungsfeld", "/persona", "/kennzahlen", "/barrierefreiheit",
                "/organization/stadt-hamm", "/user/login", "/en/dataset"]


@pytest.mark.parametrize("path", PUBLIC_PAGES + ["/api/3/action/status_show", "/catalog.ttl", "/nicht-da"])
def test_every_answer_carries_the_security_headers(app, world, path):
    response = app.get(path, expect_errors=True)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"
    policy = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'self'" in policy and "object-src 'none'" in policy
    assert "script-src 'self';" in policy  # no inline scripts on public pages


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_the_portals_own_pages_pass_their_policy(app, world, path):
    """No inline script, no inline event handler, no script from another site."""
    body = app.get(path).body
    assert not INLINE_SCRIPT.search(body)
    assert not EVENT_HANDLER.search(body)
    assert all(src.startswith("/") and not src.startswith("//") for src in SCRIPT_SRC.findall(body))


def test_only_ckans_resource_form_gets_inline_handlers(app, world):
    admin = factories.Sysadmin(password=PASSWORD)
    log_in(app, admin)
    form = app.get("/dataset/baeume/resource/new")
    assert "script-src 'self' 'unsafe-inline'" in form.headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in app.get("/dataset/baeume").headers["Content-Security-Policy"].split(
        "style-src")[0]


def test_gravatar_is_off_by_default():
    """CKAN would show gravatar.com identicons; ckanext.hamm.ui.gravatar = true brings them back."""
    assert tk.config["ckan.gravatar_default"] == "disabled"


def test_logged_in_pages_load_nothing_from_gravatar(app, world):
    user = factories.User(password=PASSWORD, email="person@stadt.hamm.de", image_url="")
    tk.get_action("organization_member_create")({"ignore_auth": True}, {
        "id": world["org"]["id"], "username": user["name"], "role": "editor"})
    log_in(app, user)
    for path in (f"/user/{user['name']}", "/dashboard/datasets", "/organization/members/stadt-hamm",
                 "/dataset/baeume", "/user/edit/" + user["name"], "/"):
        body = app.get(path).body
        assert "gravatar.com" not in body, path


@pytest.mark.parametrize("who", ["anonymous", "stranger"])
def test_refusing_a_private_dataset_does_not_give_away_its_id(app, world, who):
    headers = {}
    if who == "stranger":
        headers["Authorization"] = factories.APIToken(user=factories.User()["name"])["token"]
    response = app.get("/api/3/action/package_show", query_string={"id": "geheim"}, headers=headers,
                       status=403)
    message = response.json["error"]["message"]
    assert world["private"]["id"] not in response.body
    assert "nicht sehen" in message


@pytest.mark.ckan_config("ckanext.hamm.ui.gravatar", "true")
@pytest.mark.ckan_config("ckan.gravatar_default", "identicon")
def test_gravatar_comes_back_only_when_allowed(app, world):
    user = factories.User(password=PASSWORD, image_url="")  # the factory gives users a picture
    log_in(app, user)
    assert "gravatar.com" in app.get(f"/user/{user['name']}").body
