"""Inventory fields: controlled values, defaults, and the rules across fields (issue 19)."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
import pytest
from ckan import model
from ckan.tests import factories, helpers

from tests.support.portal import PLUGINS

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


@pytest.fixture
def editor() -> dict[str, Any]:
    return factories.User()


@pytest.fixture
def org(editor: dict[str, Any]) -> dict[str, Any]:
    return factories.Organization(users=[{"name": editor["name"], "capacity": "editor"}])


def _fields(org: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return dict({"name": "melderegister", "title": "Melderegister", "owner_org": org["id"],
                 "handlungsfeld": ["soziales"], "license_id": "dl-by-de/2.0"}, **extra)


def _as(user: dict[str, Any], action: str, **data: Any) -> dict[str, Any]:
    return helpers.call_action(action, context={"user": user["name"], "ignore_auth": False}, **data)


def _errors(caught: pytest.ExceptionInfo[tk.ValidationError]) -> dict[str, str]:
    return {k: " ".join(v) for k, v in caught.value.error_dict.items()}


def test_a_new_public_dataset_is_open_unreviewed_and_published(org: dict[str, Any], editor: dict[str, Any]) -> None:
    dataset = _as(editor, "package_create", **_fields(org))
    assert (dataset["zugang"], dataset["datenschutz_status"], dataset["inventar_status"]) == (
        "offen", "nicht-geprueft", "veroeffentlicht")
    assert dataset["private"] is False


def test_a_private_entry_starts_recorded(org: dict[str, Any], editor: dict[str, Any]) -> None:
    dataset = _as(editor, "package_create", **_fields(org, private=True))
    assert dataset["inventar_status"] == "erfasst"


def test_not_open_data_is_made_private_and_needs_a_legal_basis(org: dict[str, Any], editor: dict[str, Any]) -> None:
    with pytest.raises(tk.ValidationError) as caught:
        _as(editor, "package_create", **_fields(org, zugang="intern"))
    assert "Pflichtangabe" in _errors(caught)["rechtsgrundlage"]
    assert "required when the data is not open" in _errors(caught)["rechtsgrundlage"]
    dataset = _as(editor, "package_create", **_fields(org, zugang="intern", rechtsgrundlage="§ 3 DSG NRW"))
    assert dataset["private"] is True and dataset["inventar_status"] == "erfasst"


def test_not_open_data_explicitly_public_is_refused(org: dict[str, Any], editor: dict[str, Any]) -> None:
    with pytest.raises(tk.ValidationError) as caught:
        _as(editor, "package_create", **_fields(org, zugang="eingeschraenkt", rechtsgrundlage="Vertrag", private=False))
    message = _errors(caught)["private"]
    assert "Eingeschränkt" in message and "cannot be public" in message


def test_a_published_dataset_made_internal_becomes_private(org: dict[str, Any], editor: dict[str, Any]) -> None:
    dataset = _as(editor, "package_create", **_fields(org))
    patched = _as(editor, "package_patch", id=dataset["id"], zugang="intern", rechtsgrundlage="Dienstanweisung")
    assert patched["private"] is True and patched["inventar_status"] == "freigegeben"
    with pytest.raises(tk.ValidationError) as caught:
        _as(editor, "package_patch", id=dataset["id"], private=False)
    assert "cannot be public" in _errors(caught)["private"]
    assert model.Package.get(dataset["id"]).private is True


def test_unknown_access_value_names_allowed_values_in_both_languages(app: Any, org: dict[str, Any]) -> None:
    sysadmin = factories.SysadminWithToken()
    response = app.post("/api/3/action/package_create", json=_fields(org, zugang="geheim"),
                        headers={"Authorization": sysadmin["token"]}, status=409)
    message = " ".join(response.json["error"]["zugang"])
    for word in ("Zugang", "Access", '"geheim"', "offen", "intern", "eingeschraenkt", "personenbezogen"):
        assert word in message


def test_german_labels_are_read_as_ids(org: dict[str, Any], editor: dict[str, Any]) -> None:
    dataset = _as(editor, "package_create", **_fields(org, zugang="Personenbezogen", rechtsgrundlage="DSGVO Art. 6"))
    assert dataset["zugang"] == "personenbezogen"


def test_personal_data_becomes_open_only_with_a_documented_decision(org: dict[str, Any],
                                                                    editor: dict[str, Any]) -> None:
    dataset = _as(editor, "package_create", **_fields(org, zugang="personenbezogen", rechtsgrundlage="DSGVO"))
    for attempt in ({"zugang": "offen"}, {"zugang": "offen", "private": False}, {"zugang": "intern"}):
        with pytest.raises(tk.ValidationError) as caught:
            _as(editor, "package_patch", id=dataset["id"], **attempt)
        assert "Datenschutz" in " ".join(_errors(caught).values())
    assert model.Package.get(dataset["id"]).private is True
    sysadmin = factories.Sysadmin()
    with pytest.raises(tk.ValidationError) as caught:  # a decision without who and when is no decision
        _as(sysadmin, "package_patch", id=dataset["id"], zugang="offen", private=False,
            datenschutz_status="veroeffentlichbar")
    assert "Person und Datum" in _errors(caught)["datenschutz_status"]
    opened = _as(sysadmin, "package_patch", id=dataset["id"], zugang="offen", private=False,
                 datenschutz_status="veroeffentlichbar", datenschutz_geprueft_von="dsb",
                 datenschutz_geprueft_am="2026-12-01")
    assert opened["private"] is False and opened["inventar_status"] == "veroeffentlicht"


def test_editors_change_workflow_fields_only_through_the_workflow(org: dict[str, Any],
                                                                  editor: dict[str, Any]) -> None:
    dataset = _as(editor, "package_create", **_fields(org, private=True))
    with pytest.raises(tk.ValidationError) as caught:
        _as(editor, "package_patch", id=dataset["id"], datenschutz_status="veroeffentlichbar",
            datenschutz_geprueft_von=editor["name"], datenschutz_geprueft_am="2026-12-01")
    assert "hamm_inventar_transition" in _errors(caught)["datenschutz_status"]
    with pytest.raises(tk.ValidationError):
        _as(editor, "package_patch", id=dataset["id"], inventar_status="freigegeben")
    shown = helpers.call_action("package_show", id=dataset["id"])
    _as(editor, "package_update", **shown)  # sending back what was read is fine


def test_an_edit_that_omits_the_inventory_keeps_it(org: dict[str, Any]) -> None:
    sysadmin = factories.Sysadmin()
    dataset = _as(sysadmin, "package_create", **_fields(org, zugang="personenbezogen", rechtsgrundlage="DSGVO",
                                                        datenschutz_status="nicht-veroeffentlichbar",
                                                        datenschutz_geprueft_von="dsb",
                                                        datenschutz_geprueft_am="01.12.2026"))
    assert dataset["datenschutz_geprueft_am"] == "2026-12-01"
    data = {k: v for k, v in dataset.items() if k not in ("zugang", "datenschutz_status", "inventar_status",
                                                          "datenschutz_geprueft_von", "datenschutz_geprueft_am")}
    updated = _as(sysadmin, "package_update", **dict(data, title="Melderegister 2026"))
    assert (updated["zugang"], updated["datenschutz_status"], updated["datenschutz_geprueft_von"]) == (
        "personenbezogen", "nicht-veroeffentlichbar", "dsb")
    assert updated["private"] is True


def test_planned_publication_is_a_date(org: dict[str, Any], editor: dict[str, Any]) -> None:
    with pytest.raises(tk.ValidationError) as caught:
        _as(editor, "package_create", **_fields(org, geplante_veroeffentlichung="bald"))
    assert "Invalid date" in _errors(caught)["geplante_veroeffentlichung"]
    dataset = _as(editor, "package_create", **_fields(org, geplante_veroeffentlichung="31.03.2027"))
    assert dataset["geplante_veroeffentlichung"] == "2027-03-31"


def test_records_older_than_the_inventory_read_as_open_and_published(org: dict[str, Any]) -> None:
    dataset = _as(factories.Sysadmin(), "package_create", **_fields(org))
    package = model.Package.get(dataset["id"])
    package.extras = {k: v for k, v in package.extras.items()
                      if k not in ("zugang", "datenschutz_status", "inventar_status")}
    model.Session.commit()
    shown = helpers.call_action("package_show", id=dataset["id"])
    assert (shown["zugang"], shown["datenschutz_status"], shown["inventar_status"]) == (
        "offen", "nicht-geprueft", "veroeffentlicht")
