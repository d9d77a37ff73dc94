"""Issue 26: no path makes a non-open entry public; every change of Zugang and Datenschutz is in the history."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories, helpers

from tests.support.portal import PLUGINS, clean_db, smtp_sink  # noqa: F401 (fixtures)

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


@pytest.fixture
def world() -> dict[str, Any]:
    users = {role: factories.User() for role in ("member", "editor", "admin", "other_editor")}
    users["sysadmin"] = factories.Sysadmin()
    org = factories.Organization(users=[{"name": users[r]["name"], "capacity": r}
                                        for r in ("member", "editor", "admin")])
    factories.Organization(users=[{"name": users["other_editor"]["name"], "capacity": "editor"}])
    entry = helpers.call_action(
        "package_create", context={"user": users["editor"]["name"], "ignore_auth": False},
        name="dienstplan", title="Dienstplan", owner_org=org["id"], handlungsfeld=["soziales"],
        license_id="dl-by-de/2.0", zugang="intern", rechtsgrundlage="§ 6 IFG NRW",
        resources=[{"url": "https://intern.hamm.example/plan.csv"}])
    return {"users": users, "org": org, "entry": entry}


def _as(world: dict[str, Any], role: str) -> dict[str, Any]:
    return {"user": world["users"][role]["name"], "ignore_auth": False}


def _step(world: dict[str, Any], role: str, to: str, **extra: Any) -> dict[str, Any]:
    return helpers.call_action("hamm_inventar_transition", context=_as(world, role),
                               id=world["entry"]["name"], to=to, **extra)


def _show(world: dict[str, Any]) -> dict[str, Any]:
    return helpers.call_action("package_show", id=world["entry"]["id"])


def _release(world: dict[str, Any]) -> None:
    _step(world, "admin", "geprueft", entscheidung="veroeffentlichbar")
    _step(world, "admin", "freigegeben")


def _changes(world: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    return [(row["field"], row["old"], row["new"], row["user"])
            for row in helpers.call_action("hamm_inventar_history", id=world["entry"]["id"])
            if row["kind"] == "feld"]


def test_publishing_an_internal_entry_is_refused_and_changes_nothing(world: dict[str, Any]) -> None:
    _release(world)
    with pytest.raises(tk.ValidationError) as caught:
        _step(world, "editor", "veroeffentlicht")
    message = " ".join(caught.value.error_dict["zugang"])
    assert "Intern" in message and "nicht veröffentlicht" in message and "not published" in message
    shown = _show(world)
    assert shown["private"] is True and shown["zugang"] == "intern" and shown["inventar_status"] == "freigegeben"


def test_publishing_an_internal_entry_over_the_api_is_409(app: Any, world: dict[str, Any]) -> None:
    _release(world)
    token = factories.APIToken(user=world["users"]["editor"]["name"])["token"]
    response = app.post("/api/3/action/hamm_inventar_transition", json={"id": world["entry"]["id"],
                        "to": "veroeffentlicht"}, headers={"Authorization": token}, status=409)
    assert "Intern" in " ".join(response.json["error"]["zugang"])


def test_the_admin_opens_the_entry_recorded_then_it_is_published_and_a_withdrawal_restores_intern(
        world: dict[str, Any]) -> None:
    _release(world)
    helpers.call_action("package_patch", context=_as(world, "admin"), id=world["entry"]["id"], zugang="offen",
                        hamm_begruendung="Dienstplan ohne Namen")
    admin = world["users"]["admin"]["name"]
    assert ("zugang", "intern", "offen", admin) in _changes(world)
    opened = [r for r in helpers.call_action("hamm_inventar_history", id=world["entry"]["id"])
              if r["kind"] == "feld" and r["field"] == "zugang"]
    assert opened[-1]["note"] == "Dienstplan ohne Namen" and opened[-1]["created"]
    _step(world, "editor", "veroeffentlicht")
    assert _show(world)["private"] is False
    _step(world, "admin", "freigegeben", kommentar="Fehler")
    shown = _show(world)
    assert shown["private"] is True and shown["zugang"] == "intern"
    assert _changes(world)[-1] == ("zugang", "offen", "intern", admin)


def test_the_datenschutz_decision_changes_are_in_the_history(world: dict[str, Any]) -> None:
    _step(world, "admin", "geprueft", entscheidung="veroeffentlichbar")
    _step(world, "admin", "erfasst", kommentar="nochmal")
    admin = world["users"]["admin"]["name"]
    assert [c for c in _changes(world) if c[0] == "datenschutz_status"] == [
        ("datenschutz_status", "nicht-geprueft", "veroeffentlichbar", admin),
        ("datenschutz_status", "veroeffentlichbar", "nicht-geprueft", admin)]


@pytest.mark.parametrize("action", ["package_patch", "package_update"])
def test_an_editor_cannot_open_and_publish_by_an_edit(world: dict[str, Any], action: str) -> None:
    data = dict(_show(world), zugang="offen", private=False) if action == "package_update" else {
        "id": world["entry"]["id"], "zugang": "offen", "private": False}
    with pytest.raises(tk.ValidationError) as caught:
        helpers.call_action(action, context=_as(world, "editor"), **data)
    assert "Admin" in " ".join(caught.value.error_dict["zugang"])
    shown = _show(world)
    assert shown["private"] is True and shown["zugang"] == "intern" and _changes(world) == []


def test_an_editor_cannot_make_an_internal_entry_public(world: dict[str, Any]) -> None:
    with pytest.raises(tk.ValidationError):
        helpers.call_action("package_patch", context=_as(world, "editor"), id=world["entry"]["id"], private=False)
    assert _show(world)["private"] is True


def test_a_reviewed_personal_entry_is_not_published_before_the_release(world: dict[str, Any]) -> None:
    helpers.call_action("package_patch", context=_as(world, "admin"), id=world["entry"]["id"],
                        zugang="personenbezogen")
    _step(world, "admin", "geprueft", entscheidung="veroeffentlichbar")
    helpers.call_action("package_patch", context=_as(world, "admin"), id=world["entry"]["id"], zugang="offen")
    with pytest.raises(tk.ValidationError) as caught:
        helpers.call_action("package_patch", context=_as(world, "editor"), id=world["entry"]["id"], private=False)
    assert "Freigabe" in " ".join(caught.value.error_dict["private"])
    assert _show(world)["private"] is True


def test_bulk_make_public_refuses_internal_entries(world: dict[str, Any]) -> None:
    with pytest.raises(tk.ValidationError) as caught:
        helpers.call_action("bulk_update_public", context=_as(world, "admin"), datasets=[world["entry"]["id"]],
                            org_id=world["org"]["id"])
    assert "Dienstplan" in " ".join(caught.value.error_dict["datasets"])
    assert _show(world)["private"] is True


def test_the_bulk_page_says_why_and_keeps_the_entry_private(app: Any, world: dict[str, Any]) -> None:
    from ckan.lib.helpers import url_for

    from tests.support.portal import csrf_token

    headers = {"Authorization": factories.APIToken(user=world["users"]["admin"]["name"])["token"]}
    page = app.get(url_for("organization.bulk_process", id=world["org"]["name"]), headers=headers)
    response = app.post(url_for("organization.bulk_process", id=world["org"]["name"]), headers=headers,
                        data={"_csrf_token": csrf_token(page), "bulk_action.public": "public",
                              f"dataset_{world['entry']['id']}": "on"}, follow_redirects=True)
    assert response.status_code == 200 and "nicht öffentlich sein" in response.body
    assert _show(world)["private"] is True


def test_an_import_row_cannot_open_and_publish_an_internal_entry(world: dict[str, Any], tmp_path: Any) -> None:
    from click.testing import CliRunner

    from ckanext.hamm.inventory.spreadsheet_cli import inventar_group

    from .sheets import csv_bytes, good_row

    row = dict(good_row(1), **{"Titel": "Dienstplan", "Name (URL)": "dienstplan", "Identifikator": "",
                                "Abteilung": world["org"]["name"], "Zugang": "Offen", "Rechtsgrundlage": "",
                                "Status": "Veröffentlicht"})
    path = tmp_path / "inventur.csv"
    path.write_bytes(csv_bytes([row]))
    result = CliRunner().invoke(inventar_group, ["import", str(path), "--user", world["users"]["editor"]["name"]])
    assert result.exit_code == 1, result.output
    shown = _show(world)
    assert shown["private"] is True and shown["zugang"] == "intern"


def test_handing_over_mails_the_departments_admins(world: dict[str, Any], smtp_sink: list) -> None:
    result = _step(world, "editor", "uebergeben", kommentar="bitte prüfen")
    assert result["inventar_status"] == "uebergeben"
    assert [m["to"] for m in smtp_sink] == [[world["users"]["admin"]["email"]]]
    assert "Dienstplan" in smtp_sink[0]["data"] and "zur Prüfung übergeben" in smtp_sink[0]["data"]
    _step(world, "admin", "geprueft", entscheidung="veroeffentlichbar")
    assert _show(world)["inventar_status"] == "geprueft"


@pytest.mark.ckan_config("smtp.server", "127.0.0.1:9")
@pytest.mark.ckan_config("smtp.mail_from", "portal@hamm.example")
def test_a_failing_mail_server_does_not_stop_the_hand_over(world: dict[str, Any]) -> None:
    assert _step(world, "editor", "uebergeben")["inventar_status"] == "uebergeben"


def test_the_history_names_the_steps_back_in_words(app: Any, world: dict[str, Any]) -> None:
    helpers.call_action("package_patch", context=_as(world, "admin"), id=world["entry"]["id"], zugang="offen")
    _release(world)
    _step(world, "editor", "veroeffentlicht")
    _step(world, "admin", "freigegeben", kommentar="Fehler")
    _step(world, "admin", "erfasst", kommentar="überarbeiten")
    headers = {"Authorization": factories.APIToken(user=world["users"]["admin"]["name"])["token"]}
    body = app.get(f"/dataset/{world['entry']['name']}", headers=headers).body
    for words in ("Datenschutz geprüft", "Zur Veröffentlichung freigegeben", "Veröffentlichung zurückgenommen",
                  "Zur Überarbeitung zurückgegeben", "Zugang: Intern → Offen"):
        assert words in body, words


def test_staff_find_the_inventory_and_admins_their_open_decisions(app: Any, world: dict[str, Any]) -> None:
    _step(world, "editor", "uebergeben")
    for role, sees_link, sees_entry in (("admin", True, True), ("editor", True, False),
                                        ("other_editor", True, False)):
        headers = {"Authorization": factories.APIToken(user=world["users"][role]["name"])["token"]}
        body = app.get("/dashboard/datasets", headers=headers).body
        assert ('href="/inventar"' in body) is sees_link, role
        assert ("Dienstplan</a> (" in body) is sees_entry, role  # listed as handed over
    assert 'href="/inventar"' not in app.get("/").body


@pytest.mark.parametrize("role, allowed", [
    ("anonymous", set()), ("member", set()), ("other_editor", set()),
    ("editor", {"uebergeben", "veroeffentlicht"}),
    ("admin", {"uebergeben", "geprueft", "freigegeben", "veroeffentlicht", "erfasst"}),
    ("sysadmin", {"uebergeben", "geprueft", "freigegeben", "veroeffentlicht", "erfasst"}),
])
def test_role_matrix_of_the_workflow_steps(world: dict[str, Any], role: str, allowed: set[str]) -> None:
    """Each step from the state it starts in: who may take it (auth of hamm_inventar_transition)."""
    from ckan import model

    from ckanext.hamm.inventory import workflow

    user = world["users"].get(role, {}).get("name", "")
    package = model.Package.get(world["entry"]["id"])
    taken = set()
    for step in workflow.STEPS:
        package.extras = dict(package.extras, inventar_status=step.source)
        try:
            helpers.call_auth("hamm_inventar_transition", {"user": user, "model": model},
                              id=package.id, to=step.target)
        except tk.NotAuthorized:
            continue
        taken.add(step.target)
    assert taken == allowed
