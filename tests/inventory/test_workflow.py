"""The workflow erfasst → geprüft → freigegeben → veröffentlicht: steps, guards, roles and history."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories, helpers

from tests.support.portal import PLUGINS, clean_db  # noqa: F401 (fixture)

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


@pytest.fixture
def world() -> dict[str, Any]:
    users = {role: factories.User() for role in ("member", "editor", "admin", "other_admin")}
    users["sysadmin"] = factories.Sysadmin()
    org = factories.Organization(users=[{"name": users[r]["name"], "capacity": r}
                                        for r in ("member", "editor", "admin")])
    factories.Organization(users=[{"name": users["other_admin"]["name"], "capacity": "admin"}])
    entry = helpers.call_action(
        "package_create", context={"user": users["editor"]["name"], "ignore_auth": False},
        name="schuleingangsuntersuchung", title="Schuleingangsuntersuchung", owner_org=org["id"],
        handlungsfeld=["soziales"], license_id="dl-by-de/2.0", zugang="personenbezogen",
        rechtsgrundlage="§ 54 SchulG NRW", resources=[{"url": "https://intern.hamm.example/seu.csv"}])
    return {"users": users, "org": org, "entry": entry}


def _step(world: dict[str, Any], role: str, to: str, **extra: Any) -> dict[str, Any]:
    return helpers.call_action("hamm_inventar_transition",
                               context={"user": world["users"][role]["name"], "ignore_auth": False},
                               id=world["entry"]["name"], to=to, **extra)


def _show(world: dict[str, Any]) -> dict[str, Any]:
    return helpers.call_action("package_show", id=world["entry"]["id"])


def _open(world: dict[str, Any]) -> None:
    """The admin's recorded decision that the reviewed entry is open data (issue 26: never the publish step's)."""
    helpers.call_action("package_patch", context={"user": world["users"]["admin"]["name"], "ignore_auth": False},
                        id=world["entry"]["id"], zugang="offen")


def _steps(history: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [row for row in history if row["kind"] == "schritt"]


def test_the_whole_way_to_publication(world: dict[str, Any]) -> None:
    assert _show(world)["inventar_status"] == "erfasst"
    _step(world, "admin", "geprueft", entscheidung="veroeffentlichbar", kommentar="anonymisiert")
    shown = _show(world)
    assert shown["inventar_status"] == "geprueft" and shown["datenschutz_status"] == "veroeffentlichbar"
    assert shown["datenschutz_geprueft_von"] == world["users"]["admin"]["name"]
    assert len(shown["datenschutz_geprueft_am"]) == 10 and shown["private"] is True
    _step(world, "admin", "freigegeben")
    _open(world)
    result = _step(world, "editor", "veroeffentlicht")
    shown = _show(world)
    assert shown["private"] is False and shown["zugang"] == "offen"
    assert shown["inventar_status"] == "veroeffentlicht"
    steps = _steps(result["history"])
    assert [(s["from"], s["to"]) for s in steps] == [
        ("erfasst", "geprueft"), ("geprueft", "freigegeben"), ("freigegeben", "veroeffentlicht")]
    assert steps[0]["decision"] == "veroeffentlichbar"
    assert steps[0]["note"] == "anonymisiert"
    assert helpers.call_action("hamm_inventar_history", id=world["entry"]["id"]) == result["history"]


@pytest.mark.parametrize("role, to, allowed", [
    ("member", "geprueft", False), ("editor", "geprueft", False), ("other_admin", "geprueft", False),
    ("admin", "geprueft", True), ("sysadmin", "geprueft", True),
])
def test_who_reviews_data_protection(world: dict[str, Any], role: str, to: str, allowed: bool) -> None:
    if allowed:
        assert _step(world, role, to, entscheidung="nicht-veroeffentlichbar")["inventar_status"] == to
    else:
        with pytest.raises(tk.NotAuthorized):
            _step(world, role, to, entscheidung="veroeffentlichbar")
        assert _show(world)["inventar_status"] == "erfasst"


@pytest.mark.parametrize("role, allowed", [("editor", False), ("other_admin", False), ("admin", True)])
def test_who_approves(world: dict[str, Any], role: str, allowed: bool) -> None:
    _step(world, "admin", "geprueft", entscheidung="veroeffentlichbar")
    if allowed:
        _step(world, role, "freigegeben")
    else:
        with pytest.raises(tk.NotAuthorized):
            _step(world, role, "freigegeben")


@pytest.mark.parametrize("role, allowed", [("member", False), ("other_admin", False), ("editor", True)])
def test_who_publishes(world: dict[str, Any], role: str, allowed: bool) -> None:
    _step(world, "admin", "geprueft", entscheidung="veroeffentlichbar")
    _step(world, "admin", "freigegeben")
    _open(world)
    if allowed:
        _step(world, role, "veroeffentlicht")
        assert _show(world)["private"] is False
    else:
        with pytest.raises(tk.NotAuthorized):
            _step(world, role, "veroeffentlicht")
        assert _show(world)["private"] is True


def test_steps_cannot_be_skipped(world: dict[str, Any]) -> None:
    with pytest.raises(tk.ValidationError) as caught:
        _step(world, "sysadmin", "veroeffentlicht")
    assert "folgt nur auf" in " ".join(caught.value.error_dict["to"])
    assert _show(world)["private"] is True


def test_a_review_needs_a_decision(world: dict[str, Any]) -> None:
    with pytest.raises(tk.ValidationError) as caught:
        _step(world, "admin", "geprueft")
    assert "veroeffentlichbar" in " ".join(caught.value.error_dict["entscheidung"])


def test_refused_by_data_protection_is_never_approved_or_public(world: dict[str, Any]) -> None:
    _step(world, "admin", "geprueft", entscheidung="nicht-veroeffentlichbar")
    with pytest.raises(tk.ValidationError):
        _step(world, "admin", "freigegeben")
    with pytest.raises(tk.ValidationError):
        helpers.call_action("package_patch", context={"user": world["users"]["sysadmin"]["name"]},
                            id=world["entry"]["id"], zugang="offen", private=False)
    assert _show(world)["private"] is True


def test_history_is_readable_by_staff_not_by_the_public(app: Any, world: dict[str, Any]) -> None:
    _step(world, "admin", "geprueft", entscheidung="nicht-veroeffentlichbar")
    anonymous = app.get("/api/3/action/hamm_inventar_history", query_string={"id": world["entry"]["id"]},
                        expect_errors=True)
    assert anonymous.status_code == 403
    token = factories.APIToken(user=world["users"]["other_admin"]["name"])["token"]
    staff = app.get("/api/3/action/hamm_inventar_history", query_string={"id": world["entry"]["id"]},
                    headers={"Authorization": token})
    assert staff.json["result"][0]["to"] == "geprueft"


def test_bad_input_over_the_api_is_409_not_500(app: Any, world: dict[str, Any]) -> None:
    token = factories.APIToken(user=world["users"]["sysadmin"]["name"])["token"]
    response = app.post("/api/3/action/hamm_inventar_transition", json={"id": world["entry"]["id"], "to": "fertig"},
                        headers={"Authorization": token}, status=409)
    assert "unknown step" in " ".join(response.json["error"]["to"])
    app.post("/api/3/action/hamm_inventar_transition", json={"id": "gibt-es-nicht", "to": "geprueft"},
             headers={"Authorization": token}, status=404)


def test_a_step_back_needs_a_reason_and_asks_for_a_new_review(world: dict[str, Any]) -> None:
    """Staff send an entry back for revision; the data-protection decision is then open again."""
    _step(world, "admin", "geprueft", entscheidung="veroeffentlichbar")
    with pytest.raises(tk.ValidationError) as caught:
        _step(world, "admin", "erfasst")
    assert "Begründung" in " ".join(caught.value.error_dict["kommentar"])
    assert _show(world)["inventar_status"] == "geprueft"

    result = _step(world, "admin", "erfasst", kommentar="Rechtsgrundlage fehlt")
    shown = _show(world)
    assert shown["inventar_status"] == "erfasst" and shown["datenschutz_status"] == "nicht-geprueft"
    assert not shown.get("datenschutz_geprueft_von") and not shown.get("datenschutz_geprueft_am")
    assert [(s["from"], s["to"], s["note"]) for s in _steps(result["history"])][-1] == (
        "geprueft", "erfasst", "Rechtsgrundlage fehlt")
    assert _steps(result["history"])[0]["decision"] == "veroeffentlichbar"  # the earlier decision stays documented
    with pytest.raises(tk.ValidationError):
        _step(world, "admin", "freigegeben")  # released only after a new review


@pytest.mark.parametrize("role, allowed", [("member", False), ("editor", False), ("other_admin", False),
                                           ("admin", True), ("sysadmin", True)])
def test_who_sends_an_entry_back(world: dict[str, Any], role: str, allowed: bool) -> None:
    _step(world, "admin", "geprueft", entscheidung="veroeffentlichbar")
    _step(world, "admin", "freigegeben")
    if allowed:
        _step(world, role, "erfasst", kommentar="Beschreibung unvollständig")
        assert _show(world)["inventar_status"] == "erfasst"
    else:
        with pytest.raises(tk.NotAuthorized):
            _step(world, role, "erfasst", kommentar="Beschreibung unvollständig")
        assert _show(world)["inventar_status"] == "freigegeben"


def test_withdrawing_a_publication_makes_the_entry_private_again(world: dict[str, Any]) -> None:
    _step(world, "admin", "geprueft", entscheidung="veroeffentlichbar")
    _step(world, "admin", "freigegeben")
    _open(world)
    _step(world, "editor", "veroeffentlicht")
    with pytest.raises(tk.NotAuthorized):
        _step(world, "editor", "freigegeben", kommentar="Fehler in den Daten")
    assert _show(world)["private"] is False

    _step(world, "admin", "freigegeben", kommentar="Fehler in den Daten")
    shown = _show(world)
    assert shown["private"] is True and shown["inventar_status"] == "freigegeben"
    assert shown["datenschutz_status"] == "veroeffentlichbar"  # the review still holds
    assert shown["zugang"] == "personenbezogen"  # issue 26: the access it had before it was opened
    _open(world)
    _step(world, "editor", "veroeffentlicht", kommentar="korrigiert")
    assert _show(world)["private"] is False


def test_no_step_back_from_the_first_state(world: dict[str, Any]) -> None:
    with pytest.raises(tk.ValidationError) as caught:
        _step(world, "sysadmin", "erfasst", kommentar="zurück")
    assert "bereits" in " ".join(caught.value.error_dict["to"])
