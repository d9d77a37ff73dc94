"""Pages kept for anonymous visitors: a saved change shows at once, staff never see kept pages."""
from __future__ import annotations

import re

import pytest
from ckan.lib.helpers import url_for
from ckan.tests import factories, helpers

from tests.support.portal import PLUGINS, clean_db, hamm_dataset  # noqa: F401 (fixtures)

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.ckan_config("ckanext.hamm.cache.pages", "true"),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]
HEADER = "X-Hamm-Page-Cache"


def _token(body: str) -> str:
    match = re.search(r'name="_csrf_token"\s+value="([^"]+)"', body)
    assert match, "form without CSRF token"
    return match.group(1)


def test_second_anonymous_visit_is_served_from_the_cache(app):
    hamm_dataset(title="Baumkataster Hamm", owner_org=factories.Organization()["id"])
    first, second = app.get("/dataset"), app.get("/dataset")
    assert first.headers.get(HEADER) == "miss"
    assert second.headers.get(HEADER) == "hit"
    assert "Baumkataster Hamm" in second.body


def test_a_saved_change_is_visible_to_everyone_right_away(app):
    dataset = hamm_dataset(title="Baumkataster Hamm", owner_org=factories.Organization()["id"])
    for url in ("/dataset", f"/dataset/{dataset['name']}", "/", "/handlungsfeld/mobilitaet"):
        app.get(url), app.get(url)  # kept
    helpers.call_action("package_patch", id=dataset["id"], title="Straßenbäume Hamm")
    for url in ("/dataset", f"/dataset/{dataset['name']}", "/", "/handlungsfeld/mobilitaet"):
        page = app.get(url)
        assert page.headers.get(HEADER) == "miss", url
        assert "Straßenbäume Hamm" in page.body and "Baumkataster Hamm" not in page.body, url


def test_signed_in_staff_never_get_a_kept_page(app):
    editor = factories.User()
    org = factories.Organization(users=[{"name": editor["name"], "capacity": "editor"}])
    hamm_dataset(owner_org=org["id"], title="Öffentliche Bäume")
    hamm_dataset(owner_org=org["id"], title="Interne Bäume", private=True)
    app.get("/dataset"), app.get("/dataset")  # the anonymous page is kept
    token = factories.APIToken(user=editor["name"])["token"]
    page = app.get("/dataset", headers={"Authorization": token})
    assert HEADER not in page.headers
    assert "Interne Bäume" in page.body


def test_each_visitor_of_a_kept_page_gets_a_working_form_token(app):
    """The dataset page carries the "Fehler melden" form with a per-visitor CSRF token."""
    dataset = hamm_dataset(title="Baumkataster Hamm", owner_org=factories.Organization()["id"])
    first_visitor, second_visitor = app.test_client(), app.test_client()
    first = first_visitor.get(f"/dataset/{dataset['name']}")
    second = second_visitor.get(f"/dataset/{dataset['name']}")
    assert second.headers.get(HEADER) == "hit"
    first_token, second_token = _token(first.get_data(as_text=True)), _token(second.get_data(as_text=True))
    assert first_token != second_token
    sent = second_visitor.post(url_for("hamm_report.submit", id=dataset["name"]), data={
        "_csrf_token": second_token, "category": "link", "message": "Der Link zur CSV-Datei führt ins Leere."})
    assert sent.status_code in (200, 302), sent.get_data(as_text=True)[:500]
    assert helpers.call_action("hamm_report_list", context={"ignore_auth": True},
                               id=dataset["owner_org"])["count"] == 1
