"""Triage of "Fehler melden" reports: status neu → in Bearbeitung → erledigt with a history,
a reply to the reporter through CKAN's mailer, open counts per organisation; one role matrix
per action (anonymous, member, other department, editor, admin, sysadmin)."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories, helpers

from tests.support.portal import PLUGINS, clean_db, hamm_dataset, smtp_sink  # noqa: F401 (fixtures)

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]

ROLES = ("anonymous", "member", "other_department", "editor", "admin", "sysadmin")
STAFF = {"editor", "admin", "sysadmin"}
VALID = {"category": "link", "message": "Der Download liefert einen Fehler 404."}
REPORTER = "leserin@example.org"


@pytest.fixture
def world():
    users = {role: factories.User() for role in ("member", "editor", "admin", "other_department")}
    users["sysadmin"] = factories.Sysadmin()
    org = factories.Organization(title="Umweltamt", users=[{"name": users[r]["name"], "capacity": r}
                                                          for r in ("member", "editor", "admin")])
    other = factories.Organization(title="Stadtplanungsamt",
                                   users=[{"name": users["other_department"]["name"], "capacity": "editor"}])
    dataset = hamm_dataset(owner_org=org["id"], title="Baumkataster")
    report = helpers.call_action("hamm_report_create", context={"user": ""}, package_id=dataset["id"],
                                 email=REPORTER, **VALID)
    return {"users": users, "org": org, "other": other, "dataset": dataset, "report": report}


def _as(world, role: str) -> dict:
    return {"user": world["users"][role]["name"] if role in world["users"] else "", "ignore_auth": False}


def test_a_new_report_is_neu_and_counts_as_open(world):
    shown = helpers.call_action("hamm_report_show", context=_as(world, "editor"), id=world["report"]["id"])
    assert shown["status"] == "neu" and shown["history"] == []
    assert shown["email"] == REPORTER and shown["package_title"] == "Baumkataster"
    counts = helpers.call_action("hamm_report_counts", context=_as(world, "editor"), id=world["org"]["name"])
    assert counts["open"] == 1 and counts["by_status"] == {"neu": 1, "in_bearbeitung": 0, "erledigt": 0}


def test_status_changes_are_kept_in_a_history(world):
    report_id = world["report"]["id"]
    editor, admin = world["users"]["editor"], world["users"]["admin"]
    helpers.call_action("hamm_report_update", context=_as(world, "editor"), id=report_id,
                        status="in_bearbeitung", note="Link geprüft, Server des Amts antwortet nicht.")
    result = helpers.call_action("hamm_report_update", context=_as(world, "admin"), id=report_id,
                                 status="erledigt")
    assert result["status"] == "erledigt"
    history = helpers.call_action("hamm_report_show", context=_as(world, "editor"), id=report_id)["history"]
    assert [(h["old_status"], h["new_status"], h["user_name"]) for h in history] == [
        ("neu", "in_bearbeitung", editor["name"]), ("in_bearbeitung", "erledigt", admin["name"])]
    assert history[0]["note"] == "Link geprüft, Server des Amts antwortet nicht." and history[1]["note"] is None
    counts = helpers.call_action("hamm_report_counts", context=_as(world, "editor"), id=world["org"]["id"])
    assert counts["open"] == 0 and counts["by_status"]["erledigt"] == 1


def test_a_reopened_report_counts_as_open_again(world):
    report_id = world["report"]["id"]
    helpers.call_action("hamm_report_update", context=_as(world, "editor"), id=report_id, status="erledigt")
    helpers.call_action("hamm_report_update", context=_as(world, "editor"), id=report_id, status="in_bearbeitung")
    assert helpers.call_action("hamm_report_counts", context=_as(world, "editor"), id=world["org"]["id"])["open"] == 1


@pytest.mark.parametrize("data, field", [({"status": "geloest"}, "status"), ({"status": ""}, "status"),
                                         ({"note": "x" * 4001}, "note"), ({"reply": "x" * 4001}, "reply"),
                                         ({}, "status"), ({"status": "neu"}, "status")])
def test_bad_or_empty_changes_are_field_errors(world, data, field):
    with pytest.raises(tk.ValidationError) as error:
        helpers.call_action("hamm_report_update", context=_as(world, "editor"), id=world["report"]["id"], **data)
    assert field in error.value.error_dict


def test_unknown_report_is_not_found(world):
    with pytest.raises(tk.ObjectNotFound):
        helpers.call_action("hamm_report_update", context=_as(world, "sysadmin"), id="nope", status="erledigt")
    with pytest.raises(tk.ObjectNotFound):
        helpers.call_action("hamm_report_show", context=_as(world, "sysadmin"), id="nope")


def test_the_reply_goes_to_the_reporter_through_the_mailer(world, smtp_sink):
    smtp_sink.clear()  # the organisation's notice about the new report
    result = helpers.call_action("hamm_report_update", context=_as(world, "editor"), id=world["report"]["id"],
                                 status="erledigt", reply="Danke, der Link ist repariert.")
    assert result["reply_sent"] is True
    assert len(smtp_sink) == 1 and smtp_sink[0]["to"] == [REPORTER]
    assert "Baumkataster" in smtp_sink[0]["subject"]
    body = smtp_sink[0]["data"]
    assert "Danke, der Link ist repariert." in body and "erledigt" in body
    assert world["users"]["editor"]["email"] not in body  # the staff member's own address stays internal
    history = helpers.call_action("hamm_report_show", context=_as(world, "editor"), id=world["report"]["id"])["history"]
    assert history[-1]["reply"] == "Danke, der Link ist repariert." and history[-1]["reply_sent"] is True


def test_a_reply_alone_is_a_change(world, smtp_sink):
    result = helpers.call_action("hamm_report_update", context=_as(world, "editor"), id=world["report"]["id"],
                                 reply="Wir kümmern uns darum.")
    assert result["status"] == "neu" and result["reply_sent"] is True
    assert smtp_sink[-1]["to"] == [REPORTER]


def test_no_reply_without_an_address(world, smtp_sink):
    anonymous = helpers.call_action("hamm_report_create", context={"user": ""},
                                    package_id=world["dataset"]["id"], **VALID)
    smtp_sink.clear()
    with pytest.raises(tk.ValidationError) as error:
        helpers.call_action("hamm_report_update", context=_as(world, "editor"), id=anonymous["id"],
                            status="erledigt", reply="Danke!")
    assert "reply" in error.value.error_dict and smtp_sink == []
    shown = helpers.call_action("hamm_report_show", context=_as(world, "editor"), id=anonymous["id"])
    assert shown["status"] == "neu" and shown["can_reply"] is False


def test_without_a_mail_server_the_reply_is_kept_but_reported_unsent(world):
    result = helpers.call_action("hamm_report_update", context=_as(world, "editor"), id=world["report"]["id"],
                                 status="erledigt", reply="Danke, erledigt.")
    assert result["status"] == "erledigt" and result["reply_sent"] is False
    history = helpers.call_action("hamm_report_show", context=_as(world, "editor"), id=world["report"]["id"])["history"]
    assert history[-1]["reply"] == "Danke, erledigt." and history[-1]["reply_sent"] is False


@pytest.mark.parametrize("role", ROLES)
def test_show_role_matrix(world, role):
    if role in STAFF:
        assert helpers.call_action("hamm_report_show", context=_as(world, role), id=world["report"]["id"])["email"]
    else:
        with pytest.raises(tk.NotAuthorized):
            helpers.call_action("hamm_report_show", context=_as(world, role), id=world["report"]["id"])


@pytest.mark.parametrize("role", ROLES)
def test_update_role_matrix(world, role):
    call = {"context": _as(world, role), "id": world["report"]["id"], "status": "in_bearbeitung"}
    if role in STAFF:
        assert helpers.call_action("hamm_report_update", **call)["status"] == "in_bearbeitung"
    else:
        with pytest.raises(tk.NotAuthorized):
            helpers.call_action("hamm_report_update", **call)
        assert helpers.call_action("hamm_report_show", id=world["report"]["id"])["status"] == "neu"


@pytest.mark.parametrize("role", ROLES)
def test_counts_role_matrix(world, role):
    """One organisation's counts for its staff; without ``id`` each person's own organisations."""
    if role in STAFF:
        assert helpers.call_action("hamm_report_counts", context=_as(world, role), id=world["org"]["id"])["open"] == 1
    else:
        with pytest.raises(tk.NotAuthorized):
            helpers.call_action("hamm_report_counts", context=_as(world, role), id=world["org"]["id"])
    if role == "anonymous":
        with pytest.raises(tk.NotAuthorized):
            helpers.call_action("hamm_report_counts", context=_as(world, role))
        return
    mine = helpers.call_action("hamm_report_counts", context=_as(world, role))
    by_org = {row["name"]: row["open"] for row in mine["organizations"]}
    if role in STAFF:
        assert by_org.get(world["org"]["name"]) == 1 and mine["open"] >= 1
    else:
        assert world["org"]["name"] not in by_org
        assert mine["open"] == (0 if role == "member" else by_org.get(world["other"]["name"], 0))


def test_list_filters_by_status(world):
    helpers.call_action("hamm_report_create", context={"user": ""}, package_id=world["dataset"]["id"], **VALID)
    helpers.call_action("hamm_report_update", context=_as(world, "editor"), id=world["report"]["id"],
                        status="erledigt")
    listed = {status: helpers.call_action("hamm_report_list", context=_as(world, "editor"),
                                          id=world["org"]["id"], status=status)["count"]
              for status in ("offen", "neu", "in_bearbeitung", "erledigt", "")}
    assert listed == {"offen": 1, "neu": 1, "in_bearbeitung": 0, "erledigt": 1, "": 2}
    with pytest.raises(tk.ValidationError):
        helpers.call_action("hamm_report_list", context=_as(world, "editor"), id=world["org"]["id"], status="x")
