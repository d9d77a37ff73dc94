"""hamm_report_create / hamm_report_list: validation, visibility, role matrix, mail to the organisation."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories, helpers

from tests.support.portal import PLUGINS, clean_db, hamm_dataset, smtp_sink  # noqa: F401 (fixtures)

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]

ROLES = ("anonymous", "member", "editor", "admin", "sysadmin", "other_editor")
STAFF = {"editor", "admin", "sysadmin"}
VALID = {"category": "link", "message": "Der Download liefert einen Fehler 404."}


@pytest.fixture
def world():
    users = {role: factories.User() for role in ("member", "editor", "admin", "other_editor")}
    users["sysadmin"] = factories.Sysadmin()
    org = factories.Organization(users=[{"name": users[r]["name"], "capacity": r}
                                        for r in ("member", "editor", "admin")])
    factories.Organization(users=[{"name": users["other_editor"]["name"], "capacity": "editor"}])
    public = hamm_dataset(owner_org=org["id"])
    private = hamm_dataset(owner_org=org["id"], private=True)
    return {"users": users, "org": org, "public": public, "private": private}


def _as(world, role: str) -> dict:
    return {"user": world["users"][role]["name"] if role in world["users"] else "", "ignore_auth": False}


def test_anonymous_can_report_and_gets_no_staff_data(world):
    result = helpers.call_action("hamm_report_create", context=_as(world, "anonymous"),
                                 package_id=world["public"]["name"], email="leser@example.org", **VALID)
    assert result["package_id"] == world["public"]["id"]
    assert "email" not in result and "message" not in result


@pytest.mark.parametrize("field, value", [("category", "spam"), ("message", "kurz"),
                                          ("message", "x" * 4001), ("email", "keine-adresse")])
def test_invalid_input_is_rejected_per_field(world, field, value):
    data = dict(VALID, package_id=world["public"]["id"], **{field: value})
    with pytest.raises(tk.ValidationError) as error:
        helpers.call_action("hamm_report_create", context=_as(world, "anonymous"), **data)
    assert field in error.value.error_dict


def test_private_dataset_cannot_be_reported_by_outsiders(world):
    with pytest.raises((tk.ObjectNotFound, tk.NotAuthorized)):
        helpers.call_action("hamm_report_create", context=_as(world, "anonymous"),
                            package_id=world["private"]["id"], **VALID)


@pytest.mark.parametrize("role", ROLES)
def test_report_list_role_matrix(world, role):
    helpers.call_action("hamm_report_create", context=_as(world, "anonymous"),
                        package_id=world["public"]["id"], email="leser@example.org", **VALID)
    if role in STAFF:
        result = helpers.call_action("hamm_report_list", context=_as(world, role), id=world["org"]["name"])
        assert result["count"] == 1
        assert result["results"][0]["email"] == "leser@example.org"
        assert result["results"][0]["package_title"] == world["public"]["title"]
    else:
        with pytest.raises(tk.NotAuthorized):
            helpers.call_action("hamm_report_list", context=_as(world, role), id=world["org"]["name"])


def test_report_list_is_bounded(world):
    result = helpers.call_action("hamm_report_list", context=_as(world, "admin"),
                                 id=world["org"]["id"], limit=10_000)
    assert result["count"] == 0
    with pytest.raises(tk.ValidationError):
        helpers.call_action("hamm_report_list", context=_as(world, "admin"), id=world["org"]["id"], limit="x")


def test_report_is_mailed_to_the_organisation_admins(world, smtp_sink):
    helpers.call_action("hamm_report_create", context=_as(world, "anonymous"),
                        package_id=world["public"]["id"], **VALID)
    assert len(smtp_sink) == 1
    assert smtp_sink[0]["to"] == [world["users"]["admin"]["email"]]
    assert world["public"]["title"] in smtp_sink[0]["subject"]
    assert VALID["message"] in smtp_sink[0]["data"]


def test_organisation_contact_address_wins_over_admins(world, smtp_sink):
    org = factories.Organization(extras=[{"key": "email", "value": "umweltamt@hamm.example"}])
    dataset = hamm_dataset(owner_org=org["id"])
    helpers.call_action("hamm_report_create", context=_as(world, "anonymous"), package_id=dataset["id"], **VALID)
    assert [message["to"] for message in smtp_sink] == [["umweltamt@hamm.example"]]


def test_no_mail_without_mailer_configuration(world):
    # smtp.mail_from is unset in test.ini: the report is stored, nothing is sent, nothing fails.
    result = helpers.call_action("hamm_report_create", context=_as(world, "anonymous"),
                                 package_id=world["public"]["id"], **VALID)
    assert result["id"]


def _post_report(app, world, address="10.9.8.7", **extra):
    return app.post("/api/3/action/hamm_report_create", environ_base={"REMOTE_ADDR": address},
                    json=dict(VALID, package_id=world["public"]["id"], **extra), expect_errors=True)


@pytest.mark.ckan_config("ckanext.hamm.datarequest.rate_limit", "5")
def test_reports_through_the_api_have_the_data_request_rate_limit(app, world):
    """The review sent 25 spam reports through the API; all were stored and mailed."""
    answers = [_post_report(app, world).status_code for _ in range(7)]
    assert answers == [200] * 5 + [409] * 2
    assert _post_report(app, world, address="10.9.8.6").status_code == 200  # another client
    assert helpers.call_action("hamm_report_list", id=world["org"]["id"])["count"] == 6
    refused = _post_report(app, world)
    assert "Zu viele" in refused.json["error"]["rate_limit"][0] or "Too many" in refused.json["error"]["rate_limit"][0]


def test_the_honeypot_is_checked_by_the_action_too(app, world):
    response = _post_report(app, world, homepage="http://spam.example")
    assert response.status_code == 409 and response.json["error"]["homepage"]
    assert helpers.call_action("hamm_report_list", id=world["org"]["id"])["count"] == 0
