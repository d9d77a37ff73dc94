"""Size limits on descriptions: one oversized text is refused in words, and list pages stay fast."""
from __future__ import annotations

import json
import time
from typing import Any

import pytest
from ckan import model
from ckan.tests import factories, helpers

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", "hamm_search hamm scheming_datasets dcat"),
    pytest.mark.ckan_config("ckanext.hamm.limits.notes_chars", "1000"),
    pytest.mark.ckan_config("ckanext.hamm.limits.resource_description_chars", "500"),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


def _dataset(org: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return dict({"name": "luft", "title": "Luftqualität", "owner_org": org["id"], "handlungsfeld": ["umwelt"],
                 "license_id": "dl-by-de/2.0"}, **extra)


def _post(app, sysadmin, action: str, data: dict[str, Any]):
    return app.post(f"/api/3/action/{action}", data=json.dumps(data), content_type="application/json",
                    headers={"Authorization": factories.APIToken(user=sysadmin["name"])["token"]})


def test_too_long_description_is_refused_with_409_in_german_and_english(app):
    org, sysadmin = factories.Organization(), factories.Sysadmin()
    response = _post(app, sysadmin, "package_create", _dataset(org, notes="x" * 1001))
    assert response.status_code == 409
    message = " ".join(response.json["error"]["notes"])
    assert "Beschreibung: höchstens 1.000 Zeichen, eingegeben wurden 1.001" in message
    assert "Bitte kürzen Sie den Text" in message
    assert "Description: at most 1,000 characters, 1,001 were given" in message
    assert model.Package.get("luft") is None  # nothing stored


def test_description_at_the_limit_is_stored(app):
    org, sysadmin = factories.Organization(), factories.Sysadmin()
    response = _post(app, sysadmin, "package_create", _dataset(org, notes="x" * 1000))
    assert response.status_code == 200
    assert len(response.json["result"]["notes"]) == 1000


def test_too_long_resource_description_is_refused(app):
    org, sysadmin = factories.Organization(), factories.Sysadmin()
    data = _dataset(org, resources=[{"url": "https://example.org/a.csv", "description": "y" * 501}])
    response = _post(app, sysadmin, "package_create", data)
    assert response.status_code == 409
    assert "at most 500 characters" in json.dumps(response.json["error"], ensure_ascii=False)


def test_list_pages_show_a_teaser_of_a_huge_description_without_rendering_it_all(app, ckan_config, monkeypatch):
    """A description stored before the limit (or under a larger one) costs list pages nothing."""
    monkeypatch.setitem(ckan_config, "ckanext.hamm.limits.notes_chars", 10_000_000)
    org = factories.Organization()
    huge = "Anfang der Beschreibung. " + "**Fett** und [Link](https://example.org) " * 150_000  # ≈ 6 MB
    helpers.call_action("package_create", context={"ignore_auth": True, "user": factories.Sysadmin()["name"]},
                        **_dataset(org, notes=huge))
    started = time.monotonic()
    page = app.get("/dataset").body
    seconds = time.monotonic() - started
    assert "Anfang der Beschreibung." in page
    assert page.count("Fett und Link") < 100  # teasers, not the 150,000 repetitions
    assert seconds < 1.5, seconds
