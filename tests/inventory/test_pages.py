"""/inventar for staff and the dataset page's inventory box with the workflow button."""
from __future__ import annotations

import re
from typing import Any

import pytest
from ckan.tests import factories, helpers

from tests.support.portal import PLUGINS, clean_db  # noqa: F401 (fixture)

PASSWORD = "Richtig-Pferd-42"
pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.ckan_config("ckan.locale_default", "de"),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


@pytest.fixture
def world() -> dict[str, Any]:
    users = {role: factories.User(password=PASSWORD) for role in ("citizen", "other", "editor", "admin")}
    org = factories.Organization(name="umweltamt", title="Umweltamt",
                                 users=[{"name": users["editor"]["name"], "capacity": "editor"},
                                        {"name": users["admin"]["name"], "capacity": "admin"}])
    factories.Organization(name="tiefbauamt", title="Tiefbauamt",
                           users=[{"name": users["other"]["name"], "capacity": "member"}])
    common = {"owner_org": org["id"], "handlungsfeld": ["umwelt"], "license_id": "dl-by-de/2.0"}
    helpers.call_action("package_create", name="luftmessung", title="Luftmessstationen", **common)
    helpers.call_action("package_create", name="altlasten", title="Altlastenkataster", zugang="eingeschraenkt",
                        rechtsgrundlage="§ 11 LBodSchG", quellsystem="ArcGIS", **common)
    return {"users": users, "org": org}


def _auth(world: dict[str, Any], role: str) -> dict[str, str]:
    return {"Authorization": factories.APIToken(user=world["users"][role]["name"])["token"]}


def test_inventar_lists_every_entry_with_inventory_facets_for_staff(app: Any, world: dict[str, Any]) -> None:
    body = app.get("/inventar", headers=_auth(world, "other")).body
    assert "Altlastenkataster" in body and "Luftmessstationen" in body
    for facet in ("Abteilungen", "Zugang", "Status", "Datenschutz", "Handlungsfelder"):
        assert facet in body, facet
    assert "Eingeschränkt" in body and "Veröffentlicht" in body  # facet items with their labels
    filtered = app.get("/inventar", query_string={"zugang": "eingeschraenkt"}, headers=_auth(world, "other")).body
    assert "Altlastenkataster" in filtered and "Luftmessstationen" not in filtered
    searched = app.get("/inventar", query_string={"q": "Altlasten"}, headers=_auth(world, "other")).body
    assert "Altlastenkataster" in searched and "Luftmessstationen" not in searched


def test_inventar_is_for_staff_only(app: Any, world: dict[str, Any]) -> None:
    anonymous = app.get("/inventar", follow_redirects=False)
    assert anonymous.status_code == 302 and "/user/login" in anonymous.headers["Location"]
    assert app.get("/inventar", headers=_auth(world, "citizen"), expect_errors=True).status_code == 403


def test_bad_search_input_is_no_500(app: Any, world: dict[str, Any]) -> None:
    response = app.get("/inventar", query_string={"q": "title:(", "page": "x", "sort": "drop table"},
                       headers=_auth(world, "other"), expect_errors=True)
    assert response.status_code in (200, 400)


def test_dataset_page_shows_state_and_the_next_step_to_its_role(app: Any, world: dict[str, Any]) -> None:
    other = app.get("/dataset/altlasten", headers=_auth(world, "other")).body
    assert "Dateninventur" in other and "Erfasst" in other and "ArcGIS" in other
    assert "nur für die zuständige Abteilung zugänglich" in other
    assert "inventar-schritt" not in other and "Nächster Schritt: Geprüft" in other
    editor = app.get("/dataset/altlasten", headers=_auth(world, "editor")).body
    assert "nur für die zuständige Abteilung zugänglich" not in editor
    assert "Zur Prüfung übergeben" in editor and "Datenschutz prüfen" not in editor  # issue 26: the hand-over
    admin = app.get("/dataset/altlasten", headers=_auth(world, "admin")).body
    assert "inventar-schritt" in admin and "Datenschutz prüfen" in admin
    assert "Zur Prüfung übergeben" not in admin
    assert 'name="_csrf_token"' in admin
    public = app.get("/dataset/luftmessung").body
    assert "Dateninventur" not in public


def test_the_step_button_takes_the_step_in_a_browser_session_with_its_token(app: Any, world: dict[str, Any]) -> None:
    login = app.get("/user/login")
    token = re.search(r'name="_csrf_token" value="([^"]+)"', login.body).group(1)
    app.post("/user/login", data={"login": world["users"]["admin"]["name"], "password": PASSWORD,
                                  "_csrf_token": token})
    page = app.get("/dataset/altlasten").body
    token = re.search(r'name="_csrf_token" value="([^"]+)"', page).group(1)
    data = {"to": "geprueft", "entscheidung": "veroeffentlichbar"}
    forged = app.post("/dataset/altlasten/inventar-schritt", data=data, expect_errors=True, follow_redirects=False)
    assert forged.status_code in (400, 403)
    assert helpers.call_action("package_show", id="altlasten")["inventar_status"] == "erfasst"
    done = app.post("/dataset/altlasten/inventar-schritt", data=dict(data, _csrf_token=token))
    assert "Neuer Status: Geprüft" in done.body
    assert helpers.call_action("package_show", id="altlasten")["inventar_status"] == "geprueft"


def test_the_page_offers_the_step_back_with_a_required_reason_to_its_role(app: Any, world: dict[str, Any]) -> None:
    helpers.call_action("hamm_inventar_transition", context={"user": world["users"]["admin"]["name"]},
                        id="altlasten", to="geprueft", entscheidung="veroeffentlichbar")
    admin = app.get("/dataset/altlasten", headers=_auth(world, "admin")).body
    back = admin.split('class="hamm-inventory-back"')[1].split("</details>")[0]
    assert "Zur Überarbeitung zurückgeben" in back and 'name="to" value="erfasst"' in back
    assert re.search(r'<textarea[^>]*name="kommentar"[^>]*required', back)
    assert "Zur Veröffentlichung freigeben" in admin  # the way forward stays offered
    assert re.search(r"veröffentlichbar \([^)]*, \d{2}\.\d{2}\.\d{4}\)", admin)  # the decision's date in German
    editor = app.get("/dataset/altlasten", headers=_auth(world, "editor")).body
    assert "Zur Überarbeitung zurückgeben" not in editor
