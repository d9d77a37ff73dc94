"""A harvested Handlungsfeld is a suggestion until the city confirms it (issue 18).

The harvester suggests a Handlungsfeld from the RVR group; the next harvest may replace it
as long as nobody at the city changed or confirmed it. The dataset page says so to everybody,
editors confirm it with a CSRF-protected POST, and from then on harvests leave it alone.
"""
from __future__ import annotations

import json
from typing import Any

import ckan.plugins.toolkit as tk
import pytest
from ckan import model
from ckan.lib.helpers import url_for
from ckan.tests import factories, helpers

from ckanext.hamm.demo.fake_rvr import FakeRVR, make_dataset
from ckanext.hamm.harvesters import sync
from ckanext.hamm.harvesters.constants import CONFIRMED
from ckanext.harvest.model import HarvestObject, HarvestSource
from tests.harvesters.conftest import job_marks, make_source
from tests.support.portal import clean_db_with_harvest, csrf_token, log_in  # noqa: F401 (fixture)

PLUGINS = "hamm_search hamm scheming_datasets dcat harvest hamm_rvr"
PASSWORD = "Richtig-Pferd-42"
NOTE = "Vorschlag aus der Übernahme von opendata.ruhr – noch nicht von der Stadt bestätigt"
NOTE_EN = "suggestion from the harvest of opendata.ruhr – not yet confirmed by the city"
BUTTON = "Vorschlag bestätigen"
CONFIRMED_INDEX, CONTROL_INDEX = 1, 2  # Straßenbäume and Grünflächen: RVR group envi → "umwelt"

pytestmark = [m for m in job_marks() if m.name != "usefixtures" and m.args[:1] != ("ckan.site_url",)] + [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_db_with_harvest", "clean_index"),
]


@pytest.fixture
def rvr():
    with FakeRVR(8) as server:
        yield server


@pytest.fixture
def world(rvr) -> dict[str, Any]:
    users = {role: factories.User(password=PASSWORD) for role in ("editor", "member", "other_department")}
    org = factories.Organization(name="stadt-hamm", title="Stadt Hamm",
                                 users=[{"name": users[r]["name"], "capacity": r} for r in ("editor", "member")])
    factories.Organization(name="stadtplanungsamt", users=[{"name": users["other_department"]["name"],
                                                            "capacity": "editor"}])
    source = make_source(rvr.url, org["id"], factories.Sysadmin()["name"])
    report = sync.run(source)
    assert (report.added, report.errors) == (8, [])
    return {"users": users, "org": org, "source_id": source.id}


def _local(index: int) -> dict[str, Any]:
    obj = model.Session.query(HarvestObject).filter_by(guid=make_dataset(index)["id"], current=True).one()
    return tk.get_action("package_show")({"ignore_auth": True}, {"id": obj.package_id})


def _confirmations(index: int) -> dict[str, Any]:
    obj = model.Session.query(HarvestObject).filter_by(guid=make_dataset(index)["id"], current=True).one()
    return json.loads(next((e.value for e in obj.extras if e.key == CONFIRMED), "{}"))


def _text(response: Any) -> str:
    body = response.body if hasattr(response, "body") else response.get_data(as_text=True)
    return " ".join(body.split())


def test_suggestion_is_marked_until_an_editor_confirms_it_and_later_harvests_keep_it(app, world, rvr):
    local = _local(CONFIRMED_INDEX)
    assert local["handlungsfeld"] == ["umwelt"]
    page_url = url_for("dataset.read", id=local["name"])
    confirm_url = url_for("hamm_harvest_suggestion.confirm", id=local["name"])

    citizen = app.test_client()
    seen = _text(citizen.get(page_url))
    assert NOTE in seen and BUTTON not in seen and "confirm-suggestion" not in seen  # honest, but no button
    assert NOTE_EN in _text(citizen.get(f"/en{page_url}"))

    log_in(app, world["users"]["editor"]["name"], PASSWORD)
    page = app.get(page_url)
    assert NOTE in _text(page) and BUTTON in _text(page)
    edit_form = _text(app.get(url_for("dataset.edit", id=local["name"])))
    assert "Vorschlag aus der Übernahme von opendata.ruhr" in edit_form

    assert app.get(confirm_url, expect_errors=True).status_code in (404, 405)  # a link or prefetch: nothing
    assert app.post(confirm_url, data={}, expect_errors=True).status_code == 400  # no CSRF token
    assert _confirmations(CONFIRMED_INDEX) == {}

    done = app.post(confirm_url, data={"_csrf_token": csrf_token(page)}, follow_redirects=False)
    assert done.status_code == 302 and done.headers["Location"].endswith(page_url)
    assert _confirmations(CONFIRMED_INDEX)["handlungsfeld"]["by"] == world["users"]["editor"]["name"]
    after = _text(app.get(page_url))
    assert NOTE not in after and BUTTON not in after
    assert NOTE not in _text(citizen.get(page_url))  # the anonymous page kept before is not served again
    assert "Vorschlag aus der Übernahme" not in _text(app.get(url_for("dataset.edit", id=local["name"])))

    # the next harvest suggests something else (RVR moved both records to "tran"): only the
    # unconfirmed one follows it, and it stays marked as a suggestion
    for index in (CONFIRMED_INDEX, CONTROL_INDEX):
        remote = make_dataset(index)
        rvr.edit(remote["id"], title=remote["title"] + " (überarbeitet)", groups=[{"name": "tran"}])
    report = sync.run(HarvestSource.get(world["source_id"]))
    assert (report.updated, report.errors) == (2, [])
    confirmed, control = _local(CONFIRMED_INDEX), _local(CONTROL_INDEX)
    assert confirmed["title"].endswith("(überarbeitet)")  # everything else follows the source
    assert confirmed["handlungsfeld"] == ["umwelt"]
    assert control["handlungsfeld"] == ["mobilitaet"]
    assert NOTE not in _text(app.get(page_url))
    assert NOTE in _text(app.get(url_for("dataset.read", id=control["name"])))
    again = sync.run(HarvestSource.get(world["source_id"]), full=True)
    assert again.errors == [] and _local(CONFIRMED_INDEX)["handlungsfeld"] == ["umwelt"]


@pytest.mark.parametrize("role", ["anonymous", "member", "other_department"])
def test_only_editors_of_the_organisation_may_confirm(app, world, role):
    local = _local(CONFIRMED_INDEX)
    if role != "anonymous":
        log_in(app, world["users"][role]["name"], PASSWORD)
    page = app.get(url_for("dataset.read", id=local["name"]))
    assert NOTE in _text(page) and BUTTON not in _text(page)
    refused = app.post(url_for("hamm_harvest_suggestion.confirm", id=local["name"]),
                       data={"_csrf_token": csrf_token(page)}, expect_errors=True, follow_redirects=False)
    assert refused.status_code == 403, refused.status_code
    assert _confirmations(CONFIRMED_INDEX) == {}
    assert NOTE in _text(app.get(url_for("dataset.read", id=local["name"])))
    with pytest.raises(tk.NotAuthorized):
        helpers.call_action("hamm_harvest_suggestion_confirm",
                            {"user": world["users"][role]["name"] if role != "anonymous" else "",
                             "ignore_auth": False}, id=local["id"])


def test_choosing_another_handlungsfeld_ends_the_suggestion_and_nothing_is_left_to_confirm(app, world):
    local = _local(CONFIRMED_INDEX)
    editor = world["users"]["editor"]["name"]
    tk.get_action("package_patch")({"user": editor}, {"id": local["id"], "handlungsfeld": ["soziales"]})
    log_in(app, editor, PASSWORD)
    assert NOTE not in _text(app.get(url_for("dataset.read", id=local["name"])))
    assert "Vorschlag aus der Übernahme" not in _text(app.get(url_for("dataset.edit", id=local["name"])))
    with pytest.raises(tk.ValidationError):
        helpers.call_action("hamm_harvest_suggestion_confirm", {"user": editor}, id=local["id"])
    assert NOTE in _text(app.get(url_for("dataset.read", id=_local(CONTROL_INDEX)["name"])))
