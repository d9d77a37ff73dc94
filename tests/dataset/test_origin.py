"""The origin mark harvesters of our API see: made in Hamm → marked; taken over → not; never stored."""
from __future__ import annotations

from ckan import model
from ckan.tests import factories, helpers

from ckanext.hamm.harvesters.mapping import originates_here
from tests.profiles.conftest import config_marks

pytestmark = config_marks()
BASE = "https://opendata.hamm.de"


def _get(app, action, **params):
    return app.get(f"/api/3/action/{action}", query_string=params).json["result"]


def test_api_marks_datasets_made_in_hamm(app):
    dataset = factories.Dataset(owner_org=factories.Organization()["id"], name="baumkataster-mark",
                                handlungsfeld=["umwelt"], license_id="dl-by-de/2.0")
    expected = f"{BASE}/dataset/{dataset['id']}"
    shown = _get(app, "package_show", id="baumkataster-mark")
    assert shown["hamm_origin"] == expected
    assert {"key": "hamm_origin", "value": expected} in shown["extras"]
    found = _get(app, "package_search", q="name:baumkataster-mark")["results"][0]
    assert found["hamm_origin"] == expected
    assert originates_here(shown, [f"{BASE}/"])  # our own harvester would refuse it coming back


def test_datasets_taken_over_are_not_marked():
    dataset = factories.Dataset(owner_org=factories.Organization()["id"], handlungsfeld=["umwelt"],
                                license_id="dl-by-de/2.0", hamm_remote_id="rvr-42",
                                hamm_source_title="Open Data Portal Metropole Ruhr")
    shown = helpers.call_action("package_show", id=dataset["id"])
    assert "hamm_origin" not in shown
    assert all(e["key"] != "hamm_origin" for e in shown.get("extras", []))


def test_a_mark_sent_back_is_not_stored():
    dataset = factories.Dataset(owner_org=factories.Organization()["id"], handlungsfeld=["umwelt"],
                                license_id="dl-by-de/2.0")
    shown = helpers.call_action("package_show", id=dataset["id"])
    helpers.call_action("package_update", **dict(shown, title="Neuer Titel"))
    model.Session.expire_all()
    assert "hamm_origin" not in (model.Package.get(dataset["id"]).extras or {})
    assert helpers.call_action("package_show", id=dataset["id"])["title"] == "Neuer Titel"
