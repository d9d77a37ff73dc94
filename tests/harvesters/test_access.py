"""Role matrix: harvest sources, configs, jobs, objects and logs are staff-only (row 25)."""
from __future__ import annotations

import json

import pytest
from ckan import model
from ckan.tests import factories, helpers

from ckanext.hamm.harvesters import sync
from ckanext.harvest.model import HarvestJob, HarvestObject
from tests.support.auth import allowed

from .conftest import job_marks, make_source

pytestmark = job_marks()

ROLES = ["anonymous", "member", "editor", "admin", "sysadmin", "other_editor"]
SOURCE_STAFF = {"editor", "admin", "sysadmin"}


@pytest.fixture
def rvr_size() -> int:
    return 3


@pytest.fixture
def world(rvr, org, sysadmin):
    users = {role: factories.User() for role in ("member", "editor", "admin", "other_editor")}
    for role in ("member", "editor", "admin"):
        helpers.call_action("organization_member_create", id=org["id"], username=users[role]["name"], role=role)
    other = factories.Organization()
    helpers.call_action("organization_member_create", id=other["id"], username=users["other_editor"]["name"],
                        role="editor")
    source = make_source(rvr.url, org["id"], sysadmin["name"], page_size=2)
    report = sync.run(source)
    assert report.added == 3
    obj = model.Session.query(HarvestObject).filter_by(harvest_source_id=source.id, current=True).first()
    names = {"anonymous": "", "sysadmin": sysadmin["name"], **{r: u["name"] for r, u in users.items()}}
    return {"source": source, "object": obj, "job": report.job_id, "users": names}


@pytest.mark.parametrize("role", ROLES)
def test_role_matrix(world, role):
    user = world["users"][role]
    source_id, staff = world["source"].id, role in SOURCE_STAFF
    assert allowed("harvest_source_show", user, id=source_id) == staff
    assert allowed("harvest_source_show_status", user, id=source_id) == staff
    assert allowed("package_show", user, id=source_id) == staff
    assert allowed("harvest_object_show", user, id=world["object"].id) == staff
    assert allowed("harvest_object_list", user, source_id=source_id) == staff
    assert allowed("harvest_job_show", user, id=world["job"]) == staff
    assert allowed("harvest_job_list", user, source_id=source_id) == staff
    assert allowed("harvest_job_create", user, source_id=source_id) == staff  # "Neu ernten"
    assert allowed("harvest_source_update", user, id=source_id) == staff
    assert allowed("harvest_source_list", user) == (role == "sysadmin")
    assert allowed("harvest_log_list", user) == (role == "sysadmin")


def _token(user: str) -> dict[str, str]:
    if not user:
        return {}
    token = helpers.call_action("api_token_create", {"user": user, "ignore_auth": True}, user=user, name="t")
    return {"Authorization": token["token"]}


def _finish(job_id: str) -> None:
    job = HarvestJob.get(job_id)
    job.status = "Finished"
    job.save()


def test_role_matrix_source_pages_and_neu_ernten(world, app):
    """What staff expect: the editors and admins of the owning department see their source's
    pages and start "Neu ernten" (ckanext-harvest forwards to ``package_update``); everybody
    else finds no source there and starts nothing. One world for every role (a harvest each costs)."""
    source = world["source"]
    for role in ROLES:
        staff, headers = role in SOURCE_STAFF, _token(world["users"][role])
        for path in (f"/harvest/{source.id}", f"/harvest/admin/{source.id}", f"/harvest/{source.id}/job"):
            status = app.get(path, headers=headers, status=None).status_code
            assert status == 200 if staff else status in (403, 404), (role, path, status)
        jobs_before = len(helpers.call_action("harvest_job_list", source_id=source.id))
        response = app.post(f"/harvest/refresh/{source.id}", headers=headers, status=None, follow_redirects=False)
        jobs_after = helpers.call_action("harvest_job_list", source_id=source.id)
        if staff:
            assert response.status_code == 302, role
            assert len(jobs_after) == jobs_before + 1, role
            _finish(jobs_after[0]["id"])  # so the next role may start one too
        else:
            assert response.status_code in (302, 403, 404), (role, response.status_code)
            assert len(jobs_after) == jobs_before, role


HARVEST_SEARCHES = [{}, {"fl": "config"}, {"fl": "validated_data_dict"}, {"fl": "data_dict"},
                    {"fl": "id,name,url,config,source_type,frequency"}, {"q": "page_size"}]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("params", HARVEST_SEARCHES, ids=lambda p: ",".join(f"{k}={v}" for k, v in p.items()) or "plain")
def test_role_matrix_package_search_over_harvest_sources(world, app, role, params):
    """The source (URL and config, here ``page_size``) only reaches its staff, whatever ``fl`` asks for."""
    query = dict(params, fq="dataset_type:harvest", include_private=True)
    result = helpers.call_action("package_search", {"user": world["users"][role], "ignore_auth": False}, **query)
    text = json.dumps(result)
    if role in SOURCE_STAFF:
        assert result["count"] == 1 and len(result["results"]) == 1
        assert all("config" not in row for row in result["results"])
    else:
        assert result["count"] == 0 and result["results"] == []
        assert world["source"].url not in text and "page_size" not in text
    if role == "anonymous":
        body = app.get("/api/3/action/package_search", query_string=query).get_data(as_text=True)
        assert json.loads(body)["result"]["count"] == 0
        assert world["source"].url not in body and "page_size" not in body


def test_harvested_datasets_stay_public(world):
    package_id = world["object"].package_id
    assert allowed("package_show", "", id=package_id)


def test_anonymous_api_gets_403_and_search_shows_no_config(world, app):
    source_id = world["source"].id
    for action, params in (("harvest_source_show", {"id": source_id}), ("harvest_object_show", {"id": world["object"].id}),
                           ("harvest_source_list", {}), ("package_show", {"id": source_id})):
        response = app.get(f"/api/3/action/{action}", query_string=params, status=403)
        assert "config" not in response.get_data(as_text=True)
    result = helpers.call_action("package_search", {"user": world["users"]["sysadmin"]},
                                 fq="dataset_type:harvest", include_private=True)
    assert result["count"] == 1 and "config" not in result["results"][0]


def test_dataset_page_names_the_source_with_a_link(world, app):
    package = helpers.call_action("package_show", id=world["object"].package_id)
    page = app.get(f"/dataset/{package['name']}").get_data(as_text=True)
    assert "Open Data Portal Metropole Ruhr" in page
    assert f'href="{package["hamm_source_url"]}"' in page
