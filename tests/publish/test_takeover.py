"""Takeover of datasets Hamm already has at RVR, and loop-freedom in both directions,
against the stock CKAN stand-in (hamm_rvr pulls from its real API: paging, fq=organization:…)."""
from __future__ import annotations

import re

import ckan.plugins.toolkit as tk
import pytest
from ckan import model
from ckan.lib.helpers import url_for
from ckan.tests import factories, helpers

from ckanext.hamm.harvesters import sync
from ckanext.hamm.model import rvr_link as links
from ckanext.harvest.model import HarvestObject, HarvestSource
from tests.harvesters.conftest import make_source

from .conftest import SITE, publish_marks, run

pytestmark = publish_marks()


@pytest.fixture
def editor() -> dict:
    return factories.User(password="Richtig-Pferd-42")


@pytest.fixture
def org(editor) -> dict:
    return factories.Organization(name="stadt-hamm", users=[{"name": editor["name"], "capacity": "editor"}])


@pytest.fixture
def at_rvr(standin) -> list[dict]:
    """What Hamm already has at RVR (made there the old way), plus a Bochum dataset that is not Hamm's."""
    made = [standin.api("package_create", name=f"hamm-bestand-{n}", title=f"Bestand {n}", owner_org="hamm",
                        license_id="dl-by-de/2.0", groups=[{"name": "envi"}],
                        resources=[{"url": f"https://www.hamm.de/bestand-{n}.csv", "format": "CSV"}])
            for n in range(3)]
    standin.api("package_create", name="bochum-haltestellen", title="Haltestellen Bochum", owner_org="stadt-bochum")
    return made


@pytest.fixture
def source(standin, org, at_rvr) -> HarvestSource:
    admin = factories.Sysadmin()
    return make_source(standin.url, org["id"], admin["name"], organizations=["hamm"], page_size=2)


def local_for(remote_id: str) -> dict:
    obj = model.Session.query(HarvestObject).filter_by(guid=remote_id, current=True).one()
    return tk.get_action("package_show")({"ignore_auth": True}, {"id": obj.package_id})


def test_takeover_updates_the_original_and_no_sync_brings_anything_back(standin, at_rvr, source, editor, sysadmin):
    first = sync.run(source)
    assert (first.added, first.errors) == (3, [])  # Hamm's three, in pages of two; Bochum's not
    original = at_rvr[0]
    local = local_for(original["id"])
    taken = helpers.call_action("hamm_rvr_takeover", {"user": editor["name"]}, id=local["id"])
    assert taken["remote_id"] == original["id"]
    tk.get_action("package_patch")({"ignore_auth": True}, {"id": local["id"], "title": "Bestand 0, in Hamm gepflegt"})

    report = run(standin)
    assert (report.created, report.updated, report.errors) == (0, 1, [])  # the two others are RVR's
    remote = standin.api("package_show", id=original["id"])
    assert remote["title"] == "Bestand 0, in Hamm gepflegt" and remote["name"] == "hamm-bestand-0"
    assert {e["key"]: e["value"] for e in remote["extras"]}["hamm_origin"] == f"{SITE}/dataset/{local['id']}"
    assert len(standin.datasets()) == 3  # no copy

    standin.api("package_patch", id=at_rvr[1]["id"], title="Bestand 1, bei RVR geändert")
    standin.api("package_patch", id=original["id"], notes="bei RVR nachgetragen")  # after takeover: ignored
    made_here = tk.get_action("package_create")(
        {"user": sysadmin["name"]},
        {"name": "neu-in-hamm", "title": "Neu in Hamm", "owner_org": "stadt-hamm", "license_id": "cc-by/4.0",
         "handlungsfeld": ["umwelt"], "zielgruppe": ["buergerinnen"]})
    published = run(standin)
    assert (published.created, published.errors) == (1, [])
    again = sync.run(HarvestSource.get(source.id), full=True)
    assert (again.added, again.updated, again.withdrawn, again.errors) == (0, 1, 0, [])  # only RVR's own edit
    assert again.own_skipped == 2  # the taken-over dataset and the one Hamm published
    assert local_for(at_rvr[1]["id"])["title"] == "Bestand 1, bei RVR geändert"
    kept = tk.get_action("package_show")({"ignore_auth": True}, {"id": local["id"]})
    assert kept["title"] == "Bestand 0, in Hamm gepflegt" and kept["notes"] != "bei RVR nachgetragen"
    assert model.Session.query(model.Package).filter(model.Package.name.like("neu-in-hamm%")).count() == 1
    assert made_here["name"] == "neu-in-hamm"


def test_only_editors_take_over_and_only_harvested_datasets(standin, at_rvr, source, editor, sysadmin):
    sync.run(source)
    local = local_for(at_rvr[0]["id"])
    member = factories.User()
    helpers.call_action("organization_member_create", id=local["owner_org"], username=member["name"], role="member")
    other_editor = factories.User()
    factories.Organization(users=[{"name": other_editor["name"], "capacity": "editor"}])
    for user in (None, factories.User()["name"], member["name"], other_editor["name"]):  # the role matrix
        with pytest.raises(tk.NotAuthorized):
            helpers.call_action("hamm_rvr_takeover", {"user": user, "ignore_auth": False}, id=local["id"])
    made_here = factories.Dataset(owner_org=local["owner_org"], handlungsfeld=["umwelt"],
                                  zielgruppe=["buergerinnen"], license_id="dl-by-de/2.0")
    with pytest.raises(tk.ValidationError):
        helpers.call_action("hamm_rvr_takeover", {"user": editor["name"]}, id=made_here["id"])
    helpers.call_action("hamm_rvr_takeover", {"user": editor["name"]}, id=local["id"])
    with pytest.raises(tk.ValidationError):
        helpers.call_action("hamm_rvr_takeover", {"user": editor["name"]}, id=local["id"])
    assert links.get(local["id"]).taken_over_by == editor["name"]


def _token(body: str) -> str:
    match = re.search(r'name="_csrf_token"\s+value="([^"]+)"', body)
    assert match, "form without CSRF token"
    return match.group(1)


def test_takeover_button_for_editors_with_csrf(app, standin, at_rvr, source, editor):
    sync.run(source)
    local = local_for(at_rvr[0]["id"])
    assert "rvr-takeover" not in app.get(url_for("dataset.read", id=local["name"])).body  # anonymous
    login = app.get(url_for("user.login"))
    app.post(url_for("user.login"), data={"login": editor["name"], "password": "Richtig-Pferd-42",
                                          "_csrf_token": _token(login.body)})
    page = app.get(url_for("dataset.read", id=local["name"]))
    assert "rvr-takeover" in page.body
    action = url_for("hamm_rvr_takeover.takeover", id=local["name"])
    forged = app.post(action, data={}, expect_errors=True, headers={"Referer": f"{SITE}/dataset/{local['name']}"})
    assert forged.status_code in (400, 403) and links.get(local["id"]) is None
    done = app.post(action, data={"_csrf_token": _token(page.body)}, follow_redirects=False,
                    headers={"Referer": f"{SITE}/dataset/{local['name']}"})  # https: Flask-WTF wants one
    assert done.status_code == 302 and links.get(local["id"]) is not None
    assert "rvr-takeover" not in app.get(url_for("dataset.read", id=local["name"])).body
