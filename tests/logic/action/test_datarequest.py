"""The data-request lifecycle through the action API: submit, vote, triage, history, mail."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories, helpers

from tests.support.portal import PLUGINS, clean_db, hamm_dataset, smtp_sink  # noqa: F401 (fixtures)

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]

REQUEST = {"title": "Parkplatzbelegung in Echtzeit", "description": "Freie Plätze in den Parkhäusern",
           "handlungsfeld": "mobilitaet", "zielgruppe": "buergerinnen"}


@pytest.fixture
def org_with_editor():
    editor = factories.User()
    org = factories.Organization(users=[{"name": editor["name"], "capacity": "editor"}])
    return org, editor


def _create(**extra):
    return helpers.call_action("hamm_datarequest_create", context={"user": "", "ignore_auth": False}, **dict(REQUEST, **extra))


def _as(user, action, **data):
    """Call as ``user`` (None: anonymous) with auth checks on."""
    return helpers.call_action(action, context={"user": user["name"] if user else "", "ignore_auth": False},
                               **data)


def test_full_lifecycle_with_history(org_with_editor):
    org, editor = org_with_editor
    dataset = hamm_dataset(owner_org=org["id"])
    created = _create(email="anna@example.org", owner_org=org["name"])
    assert created["status"] == "neu" and "email" not in created
    for status in ("in_pruefung", "geplant"):
        _as(editor, "hamm_datarequest_update", id=created["id"], status=status)
    with pytest.raises(tk.ValidationError) as error:
        _as(editor, "hamm_datarequest_update", id=created["id"], status="veroeffentlicht")
    assert "dataset_id" in error.value.error_dict
    done = _as(editor, "hamm_datarequest_update", id=created["id"], status="veroeffentlicht",
               dataset_id=dataset["name"], status_reason="Jetzt offen")
    assert done["dataset"]["id"] == dataset["id"]
    shown = _as(None, "hamm_datarequest_show", id=created["id"])
    assert [h["new_status"] for h in shown["history"]] == ["neu", "in_pruefung", "geplant", "veroeffentlicht"]
    assert shown["history"][-1]["changes"]["dataset_id"] == [None, dataset["id"]]
    assert "user" not in shown["history"][-1]
    assert _as(editor, "hamm_datarequest_show", id=created["id"])["history"][-1]["user"] == editor["name"]


def test_decline_needs_public_reason_and_reopen_is_possible(org_with_editor):
    org, editor = org_with_editor
    created = _create(owner_org=org["id"])
    with pytest.raises(tk.ValidationError) as error:
        _as(editor, "hamm_datarequest_update", id=created["id"], status="abgelehnt")
    assert "status_reason" in error.value.error_dict
    declined = _as(editor, "hamm_datarequest_update", id=created["id"], status="abgelehnt",
                   status_reason="Daten unterliegen dem Datenschutz")
    assert _as(None, "hamm_datarequest_show", id=created["id"])["status_reason"] == declined["status_reason"]
    with pytest.raises(tk.ValidationError):
        _as(editor, "hamm_datarequest_update", id=created["id"], status="geplant")
    assert _as(editor, "hamm_datarequest_update", id=created["id"], status="in_pruefung")["status"] == "in_pruefung"


def test_no_backwards_steps_and_private_datasets_cannot_be_linked(org_with_editor):
    org, editor = org_with_editor
    created = _create(owner_org=org["id"])
    _as(editor, "hamm_datarequest_update", id=created["id"], status="geplant")
    with pytest.raises(tk.ValidationError):
        _as(editor, "hamm_datarequest_update", id=created["id"], status="neu")
    private = hamm_dataset(owner_org=org["id"], private=True)
    with pytest.raises(tk.ValidationError) as error:
        _as(editor, "hamm_datarequest_update", id=created["id"], status="veroeffentlicht", dataset_id=private["id"])
    assert "dataset_id" in error.value.error_dict


@pytest.mark.parametrize("field, value", [
    ("title", ""), ("description", "   "), ("handlungsfeld", "gibt-es-nicht"), ("zielgruppe", "gibt-es-nicht"),
    ("email", "keine-adresse"), ("title", "x" * 201), ("owner_org", "unbekannt"), ("persona", "niemand"),
])
def test_invalid_submissions_are_refused(field, value):
    with pytest.raises(tk.ValidationError) as error:
        _create(**{field: value})
    assert field in error.value.error_dict


def test_honeypot_refuses_bots():
    with pytest.raises(tk.ValidationError) as error:
        _create(homepage="http://spam.example")
    assert "homepage" in error.value.error_dict


def test_email_is_visible_only_to_triage_staff(org_with_editor):
    org, editor = org_with_editor
    member, other = factories.User(), factories.User()
    helpers.call_action("organization_member_create", id=org["id"], username=member["name"], role="member")
    factories.Organization(users=[{"name": other["name"], "capacity": "editor"}])
    created = _create(email="geheim@example.org", owner_org=org["id"])
    for user in (None, member, other):
        assert "email" not in _as(user, "hamm_datarequest_show", id=created["id"])
        assert all("email" not in r for r in _as(user, "hamm_datarequest_list")["results"])
    assert _as(editor, "hamm_datarequest_show", id=created["id"])["email"] == "geheim@example.org"
    assert _as(factories.Sysadmin(), "hamm_datarequest_show", id=created["id"])["email"] == "geheim@example.org"


def test_one_vote_per_browser_and_per_user():
    created = _create()
    browser = {"user": "", "hamm_voter_token": "token-a", "ignore_auth": False}
    first = helpers.call_action("hamm_datarequest_vote", context=dict(browser), id=created["id"])
    again = helpers.call_action("hamm_datarequest_vote", context=dict(browser), id=created["id"])
    assert (first["counted"], again["counted"], again["vote_count"]) == (True, False, 1)
    user = factories.User()
    assert _as(user, "hamm_datarequest_vote", id=created["id"])["vote_count"] == 2
    assert _as(user, "hamm_datarequest_vote", id=created["id"])["counted"] is False
    assert _as(None, "hamm_datarequest_show", id=created["id"])["vote_count"] == 2
    with pytest.raises(tk.ValidationError):  # anonymous without a voter cookie
        _as(None, "hamm_datarequest_vote", id=created["id"])


def test_closed_requests_take_no_votes(org_with_editor):
    org, editor = org_with_editor
    created = _create(owner_org=org["id"])
    _as(editor, "hamm_datarequest_update", id=created["id"], status="abgelehnt", status_reason="gibt es nicht")
    with pytest.raises(tk.ValidationError):
        _as(factories.User(), "hamm_datarequest_vote", id=created["id"])


def test_list_sorts_by_votes_or_newest_and_filters():
    first = _create(title="Erster")
    second = _create(title="Zweiter", handlungsfeld="umwelt")
    _as(factories.User(), "hamm_datarequest_vote", id=first["id"])
    by_votes = _as(None, "hamm_datarequest_list")
    assert [r["title"] for r in by_votes["results"]] == ["Erster", "Zweiter"]
    newest = _as(None, "hamm_datarequest_list", sort="newest")
    assert [r["title"] for r in newest["results"]] == ["Zweiter", "Erster"]
    assert [r["id"] for r in _as(None, "hamm_datarequest_list", handlungsfeld="umwelt")["results"]] == [second["id"]]
    assert _as(None, "hamm_datarequest_list", status="geplant")["count"] == 0
    assert _as(None, "hamm_datarequest_list", status="offen")["count"] == 2
    assert _as(None, "hamm_datarequest_list", limit=100000)["limit"] == 100
    with pytest.raises(tk.ValidationError):
        _as(None, "hamm_datarequest_list", sort="title desc; drop table")


def test_requester_is_notified_by_mail(org_with_editor, smtp_sink):
    org, editor = org_with_editor
    created = _create(email="anna@example.org", owner_org=org["id"])
    _as(editor, "hamm_datarequest_update", id=created["id"], status="abgelehnt", status_reason="Nicht vorhanden")
    assert [m["to"] for m in smtp_sink] == [["anna@example.org"], ["anna@example.org"]]
    assert "abgelehnt" in smtp_sink[-1]["data"] and "Nicht vorhanden" in smtp_sink[-1]["data"]
    _create()  # no address, no mail
    assert len(smtp_sink) == 2


def test_no_mail_without_mail_configuration(org_with_editor, ckan_config, monkeypatch, smtp_sink):
    monkeypatch.setitem(ckan_config, "smtp.mail_from", "")
    _create(email="anna@example.org")
    assert smtp_sink == []


def test_staff_can_hand_over_only_to_their_own_organisations(org_with_editor):
    org, editor = org_with_editor
    other_org = factories.Organization()
    created = _create(owner_org=org["id"])
    with pytest.raises(tk.NotAuthorized):
        _as(editor, "hamm_datarequest_update", id=created["id"], owner_org=other_org["id"])
    moved = _as(factories.Sysadmin(), "hamm_datarequest_update", id=created["id"], owner_org=other_org["id"])
    assert moved["owner_org"] == other_org["id"]
    with pytest.raises(tk.NotAuthorized):
        _as(editor, "hamm_datarequest_update", id=created["id"], status="in_pruefung")
