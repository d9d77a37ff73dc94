"""Who sees what in the Dateninventur: the role matrix of issue 19.

Roles: anonymous, a citizen account (no organisation), a member of another
department, and the owning department's editor and admin, and a sysadmin; paths:
search (API and /dataset), the dataset page, ``package_show``/``resource_show``,
DCAT (catalogue and dataset RDF), the dump and the RVR publisher's selection.
"""
from __future__ import annotations

import io
from typing import Any

import pytest
from ckan.tests import factories, helpers

from tests.profiles.conftest import config_marks

pytestmark = config_marks() + [pytest.mark.ckan_config("ckan.auth.public_user_details", "false")]

ROLES = ("anonymous", "citizen", "other_department", "editor", "admin", "sysadmin")
STAFF = {"other_department", "editor", "admin", "sysadmin"}  # see every entry's metadata
OWNERS = {"editor", "admin", "sysadmin"}  # see the data (resources) of non-open entries
DATA_URL = "https://intern.hamm.example/melderegister-auszug.csv"


@pytest.fixture
def world() -> dict[str, Any]:
    users = {"citizen": factories.User(), "other_department": factories.User(), "editor": factories.User(),
             "admin": factories.User(), "sysadmin": factories.Sysadmin()}
    org = factories.Organization(name="buergeramt", title="Bürgeramt",
                                 users=[{"name": users["editor"]["name"], "capacity": "editor"},
                                        {"name": users["admin"]["name"], "capacity": "admin"}])
    factories.Organization(name="tiefbauamt", users=[{"name": users["other_department"]["name"],
                                                      "capacity": "member"}])
    common = {"owner_org": org["id"], "handlungsfeld": ["soziales"], "license_id": "dl-by-de/2.0",
              "notes": "Beschreibung für DCAT-AP.de.",
              "contact": [{"name": "Bürgeramt", "email": "buergeramt@hamm.example"}]}
    open_entry = helpers.call_action("package_create", name="wahllokale", title="Wahllokale Offen",
                                     resources=[{"url": "https://www.hamm.de/wahllokale.csv", "format": "CSV"}],
                                     **common)
    internal = helpers.call_action("package_create", name="melderegister-auszug", title="Melderegister Intern",
                                   zugang="personenbezogen", rechtsgrundlage="§ 34 BMG",
                                   quellsystem="Melderegister", resources=[{"url": DATA_URL, "format": "CSV"}],
                                   **common)
    return {"users": users, "org": org, "open": open_entry, "internal": internal}


def _headers(world: dict[str, Any], role: str) -> dict[str, str]:
    if role == "anonymous":
        return {}
    return {"Authorization": factories.APIToken(user=world["users"][role]["name"])["token"]}


@pytest.mark.parametrize("role", ROLES)
def test_search_api_and_pages(app: Any, world: dict[str, Any], role: str) -> None:
    headers = _headers(world, role)
    found = app.get("/api/3/action/package_search", query_string={"q": "Melderegister", "include_private": "true"},
                    headers=headers).json["result"]
    assert (found["count"] == 1) is (role in STAFF), role
    if found["count"]:
        resources = found["results"][0]["resources"]
        assert bool(resources) is (role in OWNERS), role
    listing = app.get("/dataset/", query_string={"q": "Melderegister"}, headers=headers).body
    assert ("Melderegister Intern" in listing) is (role in STAFF), role
    assert "Wahllokale Offen" in app.get("/dataset/", headers=headers).body

    page = app.get("/dataset/melderegister-auszug", headers=headers, expect_errors=True)
    if role in STAFF:
        assert page.status_code == 200
        assert "Melderegister Intern" in page.body
        assert (DATA_URL in page.body) is (role in OWNERS), role
    else:
        assert page.status_code in (403, 404)
        assert "Melderegister Intern" not in page.body

    shown = app.get("/api/3/action/package_show", query_string={"id": "melderegister-auszug"},
                    headers=headers, expect_errors=True)
    assert (shown.status_code == 200) is (role in STAFF), role
    if role in STAFF:
        result = shown.json["result"]
        assert result["zugang"] == "personenbezogen" and result["quellsystem"] == "Melderegister"
        assert (DATA_URL in shown.body) is (role in OWNERS), role
        assert bool(result.get("hamm_daten_verborgen")) is (role not in OWNERS)
    else:
        assert "Melderegister" not in shown.body
    resource_id = world["internal"]["resources"][0]["id"]
    resource = app.get("/api/3/action/resource_show", query_string={"id": resource_id},
                       headers=headers, expect_errors=True)
    assert (resource.status_code == 200) is (role in OWNERS), role
    download = app.get(f"/dataset/melderegister-auszug/resource/{resource_id}", headers=headers,
                       expect_errors=True)
    assert (download.status_code == 200) is (role in OWNERS), role


@pytest.mark.parametrize("role", ROLES)
def test_dcat_never_carries_entries_that_are_not_open(app: Any, world: dict[str, Any], role: str) -> None:
    headers = _headers(world, role)
    catalogue = app.get("/catalog.ttl", headers=headers).body
    assert "Wahllokale Offen" in catalogue
    assert "Melderegister" not in catalogue and DATA_URL not in catalogue
    for fmt in ("ttl", "jsonld"):
        response = app.get(f"/dataset/melderegister-auszug.{fmt}", headers=headers, expect_errors=True)
        assert response.status_code in (403, 404), (role, fmt)
        assert "Melderegister" not in response.body


@pytest.mark.parametrize("role", ROLES)
def test_only_the_owning_department_edits(world: dict[str, Any], role: str) -> None:
    import ckan.plugins.toolkit as tk

    user = world["users"].get(role, {}).get("name", "")
    try:
        helpers.call_auth("package_update", {"user": user}, id=world["internal"]["id"])
        allowed = True
    except tk.NotAuthorized:
        allowed = False
    assert allowed is (role in OWNERS)


def test_the_dump_leaves_non_open_entries_out(world: dict[str, Any]) -> None:
    from ckanext.hamm.profiles import dump

    out = io.StringIO()
    dump.dump(out, "ttl")
    assert "Wahllokale Offen" in out.getvalue() and "Melderegister" not in out.getvalue()
