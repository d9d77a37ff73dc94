"""The Dateninventur in the browser: /inventar and an entry's page for staff, the public Kennzahlen (axe clean)."""
from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import check_axe
from tests.browser.test_datarequest import _log_in, fresh_rate_limits, staff  # noqa: F401 (fixtures)


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
