"""Kennzahlen of the Dateninventur: aggregated for the public, with the oldest open decisions for staff."""
from __future__ import annotations

from typing import Any

import pytest
from ckan.tests import factories, helpers

from tests.support.portal import PLUGINS, clean_db  # noqa: F401 (fixture)

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.ckan_config("ckan.locale_default", "de"),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


@pytest.fixture
def world() -> dict[str, Any]:
    staff = factories.User()
    org = factories.Organization(title="Umweltamt", users=[{"name": staff["name"], "capacity": "member"}])
    other = factories.Organization(title="Bürgeramt")
    common = {"license_id": "dl-by-de/2.0"}
    helpers.call_action("package_create", name="luft", title="Luftmessung", owner_org=org["id"],
                        handlungsfeld=["umwelt"], **common)
    helpers.call_action("package_create", name="laerm", title="Lärmkarte Entwurf", owner_org=org["id"],
                        handlungsfeld=["umwelt"], private=True, **common)
    helpers.call_action("package_create", name="melde", title="Geheimes Melderegister", owner_org=other["id"],
                        handlungsfeld=["soziales"], zugang="personenbezogen", rechtsgrundlage="BMG", **common)
    helpers.call_action("package_create", name="wahl", title="Wahlbezirke intern", owner_org=other["id"],
                        zugang="intern", rechtsgrundlage="Dienstanweisung",
                        datenschutz_status="veroeffentlichbar", datenschutz_geprueft_von="dsb",
                        datenschutz_geprueft_am="2026-11-01", context={"user": factories.Sysadmin()["name"]},
                        **common)
    return {"staff": staff}


def test_public_figures_count_the_whole_inventory_without_naming_internal_entries(app: Any,
                                                                                  world: dict[str, Any]) -> None:
    figures = helpers.call_action("hamm_kennzahlen_show", context={"user": ""})["inventar"]
    assert figures["entries"] == 4
    assert figures["published"] == {"count": 1, "total": 4, "share": 25.0}
    assert figures["datenschutz_decided"]["count"] == 1
    assert figures["open_decisions"]["count"] == 2
    assert {row["title"]: row["count"] for row in figures["by_department"]} == {"Umweltamt": 2, "Bürgeramt": 2}
    by_field = {row["id"]: row["count"] for row in figures["by_handlungsfeld"]}
    assert by_field["umwelt"] == 2 and by_field["soziales"] == 1
    assert {row["id"]: row["count"] for row in figures["by_zugang"]} == {
        "offen": 2, "intern": 1, "eingeschraenkt": 0, "personenbezogen": 1}
    assert "oldest_open_decisions" not in figures
    page = app.get("/kennzahlen").body
    assert "Dateninventur" in page and "Einträge je Abteilung" in page
    json_body = app.get("/kennzahlen.json")
    for secret in ("Geheimes Melderegister", "Lärmkarte Entwurf", "Wahlbezirke intern"):
        assert secret not in page and secret not in json_body.get_data(as_text=True)


def test_staff_see_the_oldest_open_decisions(app: Any, world: dict[str, Any]) -> None:
    headers = {"Authorization": factories.APIToken(user=world["staff"]["name"])["token"]}
    figures = app.get("/kennzahlen.json", headers=headers)
    assert "no-store" in figures.headers["Cache-Control"]
    titles = [row["title"] for row in figures.json["inventar"]["oldest_open_decisions"]]
    assert sorted(titles) == ["Geheimes Melderegister", "Lärmkarte Entwurf"]
    page = app.get("/kennzahlen", headers=headers).body
    assert "Älteste offene Datenschutzentscheidungen" in page and "Geheimes Melderegister" in page
