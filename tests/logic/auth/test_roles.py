"""Role matrix for every action and view of issue 8: anonymous, member, editor, admin,
sysadmin and an editor of another organisation."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest
from ckan.lib.helpers import url_for
from ckan.tests import factories, helpers

from tests.support.auth import allowed as passes
from tests.support.portal import PLUGINS, clean_db, hamm_dataset  # noqa: F401 (fixtures)

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]

ROLES = ("anonymous", "member", "editor", "admin", "sysadmin", "other_editor")
STAFF = {"editor", "admin", "sysadmin"}
# of the organisation's private datasets: since the Dateninventur (issue 19) every member of any
# organisation (city staff) reads every entry's metadata
READERS = {"member", "editor", "admin", "sysadmin", "other_editor"}


@pytest.fixture
def world():
    users = {role: factories.User() for role in ROLES if role not in ("anonymous", "sysadmin")}
    users["sysadmin"] = factories.Sysadmin()
    org = factories.Organization(users=[{"name": users[r]["name"], "capacity": r} for r in ("member", "editor", "admin")])
    factories.Organization(users=[{"name": users["other_editor"]["name"], "capacity": "editor"}])
    request = helpers.call_action("hamm_datarequest_create", title="Wunsch", description="x",
                                  handlungsfeld="umwelt", zielgruppe="buergerinnen", owner_org=org["id"],
                                  email="privat@example.org")
    public = hamm_dataset(owner_org=org["id"])
    private = hamm_dataset(owner_org=org["id"], private=True)
    return {"users": users, "org": org, "request": request, "public": public, "private": private}


def _allowed(world, role, auth, **data) -> bool:
    return passes(auth, world["users"].get(role, {}).get("name", ""), **data)


@pytest.mark.parametrize("role", ROLES)
def test_action_matrix(world, role):
    rid = world["request"]["id"]
    expected = {
        ("hamm_datarequest_create", ()): True,
        ("hamm_datarequest_show", ("id",)): True,
        ("hamm_datarequest_list", ()): True,
        ("hamm_datarequest_vote", ("id",)): True,
        ("hamm_datarequest_update", ("id",)): role in STAFF,
        ("hamm_kennzahlen_show", ()): True,
    }
    for (auth, keys), allowed in expected.items():
        assert _allowed(world, role, auth, **({"id": rid} if keys else {})) is allowed, (auth, role)
    assert _allowed(world, role, "hamm_quality_show", id=world["public"]["id"]) is True
    assert _allowed(world, role, "hamm_quality_show", id=world["private"]["id"]) is (role in READERS)


@pytest.mark.parametrize("role", ROLES)
def test_update_and_email_through_the_actions(world, role):
    user = world["users"].get(role, {}).get("name", "")
    context = {"user": user, "ignore_auth": False}
    rid = world["request"]["id"]
    shown = helpers.call_action("hamm_datarequest_show", context=dict(context), id=rid)
    assert ("email" in shown) is (role in STAFF)
    if role in STAFF:
        assert helpers.call_action("hamm_datarequest_update", context=dict(context), id=rid,
                                   status="in_pruefung")["status"] == "in_pruefung"
    else:
        with pytest.raises(tk.NotAuthorized):
            helpers.call_action("hamm_datarequest_update", context=dict(context), id=rid, status="in_pruefung")


@pytest.mark.parametrize("role", ROLES)
def test_view_matrix(app, world, role):
    user = world["users"].get(role)
    headers = {"Authorization": factories.APIToken(user=user["name"])["token"]} if user else {}
    rid = world["request"]["id"]
    for endpoint, args in (("hamm_datarequest.index", {}), ("hamm_datarequest.new", {}),
                           ("hamm_datarequest.read", {"id": rid}), ("hamm_kennzahlen.index", {}),
                           ("hamm_kennzahlen.as_json", {})):
        assert app.get(url_for(endpoint, **args), headers=headers).status_code == 200, (endpoint, role)
    triage = app.get(url_for("hamm_datarequest.triage", id=rid), headers=headers, expect_errors=True)
    assert triage.status_code == (200 if role in STAFF else 403)
    read = app.get(url_for("hamm_datarequest.read", id=rid), headers=headers).body
    assert ("privat@example.org" in read) is (role in STAFF)
    dataset_page = app.get(url_for("dataset.read", id=world["public"]["name"]), headers=headers).body
    assert ('id="hamm-quality-title"' in dataset_page) is (role in STAFF)
