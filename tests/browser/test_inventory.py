"""The Dateninventur in the browser: /inventar and an entry's page for staff, the public Kennzahlen (axe clean)."""
from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import check_axe
from tests.browser.test_datarequest import (  # noqa: F401 (fixtures)
    PASSWORD,
    _api,
    _log_in,
    add_user,
    fresh_rate_limits,
    staff,
)


@pytest.mark.parametrize("lang", ["de", "en"])
def test_public_kennzahlen_show_the_inventory_aggregated(portal: dict[str, Any], page: Any, axe_source: str,
                                                        lang: str) -> None:
    prefix = "" if lang == "de" else "/en"
    response = page.goto(portal["url"] + prefix + "/kennzahlen")
    assert response.status == 200
    body = page.content()
    assert ("Einträge je Abteilung" if lang == "de" else "Inventory entries per department") in body
    assert "Melderegister" not in body and "Altlastenkataster" not in body  # no internal titles
    check_axe(page, axe_source, "kennzahlen inventory", lang)


def test_inventar_for_staff(portal: dict[str, Any], page: Any, axe_source: str, staff: dict[str, str]) -> None:
    anonymous = page.goto(portal["url"] + "/inventar")
    assert "/user/login" in page.url or anonymous.status in (401, 403)
    _log_in(page, portal, staff["name"])
    response = page.goto(portal["url"] + "/inventar?zugang=personenbezogen")
    assert response.status == 200
    body = page.content()
    assert "Melderegister" in body and "Bürgeramt" in body  # other departments' entries, too
    for facet in ("Abteilungen", "Zugang", "Status", "Datenschutz"):
        assert facet in body
    check_axe(page, axe_source, "inventar", "de")
    page.goto(portal["url"] + "/dataset/inventar-melderegister")
    body = page.content()
    assert "Dateninventur" in body and "Geprüft – nicht veröffentlichbar" in body
    assert "nur für die zuständige Abteilung zugänglich" in body
    check_axe(page, axe_source, "inventory entry", "de")


def test_an_admin_sends_an_entry_back_with_a_reason(portal: dict[str, Any], page: Any, axe_source: str,
                                                   staff: dict[str, str]) -> None:
    """The step back sits folded under the entry's facts; the browser insists on a reason."""
    admin = f"{staff['name']}-admin"
    add_user(portal, admin)
    _api(portal, "organization_member_create", {"id": "umweltamt", "username": admin, "role": "admin"},
         staff["token"])
    _log_in(page, portal, admin)
    page.goto(portal["url"] + "/dataset/inventar-altlastenkataster")
    assert "Geprüft" in page.locator(".hamm-inventory").inner_text()
    page.locator(".hamm-inventory-back summary", has_text="Zur Überarbeitung zurückgeben").click()
    reason = page.get_by_label("Begründung (steht im Verlauf)")
    assert reason.is_visible()
    check_axe(page, axe_source, "inventory step back", "de")
    form = page.locator(".hamm-inventory-back form")
    form.get_by_role("button", name="Zur Überarbeitung zurückgeben").click()
    assert page.evaluate("document.activeElement.name") == "kommentar"  # required: nothing was sent
    reason.fill("Flächen aus 2025 fehlen")
    with page.expect_navigation():
        form.get_by_role("button", name="Zur Überarbeitung zurückgeben").click()
    box = page.locator(".hamm-inventory").inner_text()
    assert "Neuer Status: Erfasst" in page.content()
    assert "Flächen aus 2025 fehlen" in box and "Datenschutz prüfen" in box
