"""Who sees what in the Dateninventur: the role matrix of issue 19.

Roles: anonymous, a citizen account (no organisation), a member of another
department, and the owning department's editor and admin, and a sysadmin; paths:
search (API and /dataset), the dataset page, ``package_show``/``resource_show``,
DCAT (catalogue and dataset RDF), the dump and the RVR publisher's selection.
"""
from __future__ import annotations

import io
import json
import re
from typing import Any

import pytest
from ckan.tests import factories, helpers

from tests.profiles.conftest import PLUGINS, config_marks

# The DataStore and its loader too: their actions are channels of the matrix (issue 26).
pytestmark = [mark for mark in config_marks() if mark.args[:1] != ("ckan.plugins",)] + [
    pytest.mark.ckan_config("ckan.plugins", f"{PLUGINS} datastore xloader"),
    pytest.mark.ckan_config("ckan.auth.public_user_details", "false")]

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


# Issue 26, security review: the channels beyond the default search result.
SECRET_NAME = "Auszug Einwohnermeldedaten"
SECRET_TAG = "melderegister-geheimtag"
TOKEN_LIKE = re.compile(r'eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*|"api_?(key|token)": "[^"]', re.I)


@pytest.fixture
def hidden(world: dict[str, Any]) -> dict[str, Any]:
    """The internal entry gets a named resource and a tag; an open entry of the same department a loader job."""
    internal = helpers.call_action("package_patch", id=world["internal"]["id"], tag_string=SECRET_TAG,
                                   resources=[{"url": DATA_URL, "format": "XLSX", "name": SECRET_NAME}])
    world["internal"] = internal
    world["site_token"] = _loader_job(internal["resources"][0]["id"])
    world["open_token"] = _loader_job(world["open"]["resources"][0]["id"])
    return world


def _loader_job(resource_id: str) -> str:
    """A finished xloader job as xloader_submit leaves it: the site user's token in the job row."""
    import ckan.plugins.toolkit as tk

    from ckanext.hamm import previews
    from ckanext.xloader import db

    token = previews.loader_token()
    job_id = f"job-{resource_id}"
    db.init(tk.config)
    db.add_pending_job(job_id, "xloader_to_datastore", token, data={"api_key": token, "resource_id": resource_id},
                       metadata={"resource_id": resource_id})
    helpers.call_action("task_status_update", {"ignore_auth": True}, entity_id=resource_id, entity_type="resource",
                        task_type="xloader", key="xloader", value=json.dumps({"job_id": job_id}),
                        state="error", error=json.dumps({"message": "Fehler beim Laden intern.csv"}),
                        last_updated="2026-12-07T10:00:00")
    return token


def _channels(world: dict[str, Any]) -> list[tuple[str, dict[str, str]]]:
    internal_res = world["internal"]["resources"][0]["id"]
    open_res = world["open"]["resources"][0]["id"]
    search = "/api/3/action/package_search"
    return [
        (search, {"q": "Melderegister", "include_private": "true", "fl": "id,name,res_url,res_name,urls,res_format,"
                  "res_description,num_resources,validated_data_dict,data_dict"}),
        (search, {"q": "Melderegister", "include_private": "true", "fl": "*"}),
        (search, {"include_private": "true", "facet.field": '["res_url","res_name","res_format","tags"]',
                  "facet.limit": "-1", "rows": "0"}),
        (search, {"q": f'res_url:"{DATA_URL}"', "include_private": "true"}),
        (search, {"q": 'res_name:Einwohnermeldedaten', "include_private": "true"}),
        (search, {"q": "Einwohnermeldedaten", "include_private": "true"}),
        (search, {"fq": f'res_url:"{DATA_URL}"', "include_private": "true"}),
        ("/api/3/action/tag_list", {}),
        ("/api/3/action/tag_list", {"all_fields": "true"}),
        ("/api/3/action/tag_search", {"query": "melderegister"}),
        ("/api/3/action/tag_autocomplete", {"q": "melderegister"}),
        ("/api/2/util/tag/autocomplete", {"incomplete": "melderegister"}),
        ("/api/3/action/member_list", {"id": "buergeramt", "object_type": "package"}),
        ("/api/3/action/datastore_search", {"resource_id": "_table_metadata"}),
        ("/api/3/action/task_status_show", {"entity_id": internal_res, "task_type": "xloader", "key": "xloader"}),
        ("/api/3/action/task_status_show", {"entity_id": open_res, "task_type": "xloader", "key": "xloader"}),
        ("/api/3/action/xloader_status", {"resource_id": internal_res}),
        ("/api/3/action/xloader_status", {"resource_id": open_res}),
        ("/api/3/action/user_list", {}),
        ("/api/3/action/package_show", {"id": "melderegister-auszug"}),
        ("/api/3/action/package_show", {"id": "wahllokale"}),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_no_channel_carries_hidden_resources(app: Any, hidden: dict[str, Any], role: str) -> None:
    """fl, facet.field, fielded q and free text on resource fields: the hidden resource stays hidden."""
    headers = _headers(hidden, role)
    for path, params in _channels(hidden)[:7]:
        body = app.get(path, query_string=params, headers=headers, expect_errors=True).body
        for secret in (DATA_URL, SECRET_NAME, hidden["internal"]["resources"][0]["id"]):
            assert (secret in body) is False or role in OWNERS, (role, params, secret)
        if role not in OWNERS:
            assert "XLSX" not in body and "xlsx" not in body, (role, params)
    if role in STAFF:
        found = app.get("/api/3/action/package_search", query_string={"q": "Melderegister", "include_private": "true"},
                        headers=headers).json["result"]["results"][0]
        assert found["num_resources"] == (1 if role in OWNERS else 0), role


@pytest.mark.parametrize("role", ROLES)
def test_tags_of_entries_the_visitor_cannot_see_stay_hidden(app: Any, hidden: dict[str, Any], role: str) -> None:
    headers = _headers(hidden, role)
    for path, params in _channels(hidden)[7:12]:
        response = app.get(path, query_string=params, headers=headers, expect_errors=True)
        assert response.status_code == 200, (path, response.body)
        assert (SECRET_TAG in response.body) is (role in STAFF), (role, path, params)


@pytest.mark.parametrize("role", ROLES)
def test_ids_tables_and_loader_text_stay_with_staff(app: Any, hidden: dict[str, Any], role: str) -> None:
    headers = _headers(hidden, role)
    members = app.get("/api/3/action/member_list", query_string={"id": "buergeramt", "object_type": "package"},
                      headers=headers, expect_errors=True)
    assert (hidden["internal"]["id"] in members.body) is (role in STAFF), role
    tables = app.get("/api/3/action/datastore_search", query_string={"resource_id": "_table_metadata"},
                     headers=headers, expect_errors=True)
    assert (tables.status_code == 200) is (role == "sysadmin"), (role, tables.status_code)
    for resource in (hidden["internal"]["resources"][0], hidden["open"]["resources"][0]):
        for action in ("task_status_show", "xloader_status"):
            params = {"entity_id": resource["id"], "task_type": "xloader", "key": "xloader", "resource_id": resource["id"]}
            answer = app.get(f"/api/3/action/{action}", query_string=params, headers=headers, expect_errors=True)
            assert (answer.status_code == 200) is (role in OWNERS), (role, action, answer.status_code)
            assert ("intern.csv" in answer.body) is (role in OWNERS), (role, action)


@pytest.mark.parametrize("role", ROLES)
def test_reviewer_account_names_stay_with_staff(app: Any, world: dict[str, Any], role: str) -> None:
    reviewer = world["users"]["admin"]["name"]
    from ckan import model
    from ckan.lib.search import rebuild

    package = model.Package.get(world["open"]["id"])  # as the workflow's review step leaves it
    package.extras = {**package.extras, "datenschutz_status": "veroeffentlichbar",
                      "datenschutz_geprueft_von": reviewer, "datenschutz_geprueft_am": "2026-12-01"}
    model.Session.commit()
    rebuild(package.id)
    headers = _headers(world, role)
    shown = app.get("/api/3/action/package_show", query_string={"id": "wahllokale"}, headers=headers).body
    found = app.get("/api/3/action/package_search", query_string={"q": "Wahllokale"}, headers=headers).body
    for body in (shown, found):
        assert (reviewer in body) is (role in STAFF), role


@pytest.mark.parametrize("role", ROLES)
def test_no_api_answer_carries_a_token(app: Any, hidden: dict[str, Any], role: str) -> None:
    """Issue 26, finding 1: xloader_status handed the site user's token to every editor."""
    headers = _headers(hidden, role)
    own_token = headers.get("Authorization", "")
    for path, params in _channels(hidden):
        body = app.get(path, query_string=params, headers=headers, expect_errors=True).body
        assert hidden["site_token"] not in body and hidden["open_token"] not in body, (role, path)
        assert not own_token or own_token not in body, (role, path)
        assert not TOKEN_LIKE.search(body), (role, path, TOKEN_LIKE.search(body))
