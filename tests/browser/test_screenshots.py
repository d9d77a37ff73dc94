"""Screenshots (de) for the README and docs/portal.md: the home page, a persona page, a dataset page (desktop and
the first phone screen), the table and map previews, the Kennzahlen and the staff's dataset form.

Only with ``HAMM_SCREENSHOTS=1`` (they are written into docs/screenshots/):
``HAMM_SCREENSHOTS=1 pytest tests/browser/test_screenshots.py``.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from tests.browser.test_previews import DATASET, _resource, loaded_csv  # noqa: F401 (fixture)
from tests.browser.test_staff_pages import editor  # noqa: F401 (fixture)

SHOTS = Path(__file__).resolve().parent.parent.parent / "docs" / "screenshots"
PAGES = {"home": "/", "persona": "/persona/klimaaktive-buergerin", "dataset": "/dataset/baumkataster",
         "kennzahlen": "/kennzahlen"}
PREVIEWS = {"preview-table": "csv", "preview-map": "geojson"}

pytestmark = pytest.mark.skipif(os.environ.get("HAMM_SCREENSHOTS") != "1",
                                reason="set HAMM_SCREENSHOTS=1 to refresh docs/screenshots")


@pytest.mark.parametrize("name", list(PAGES))
def test_screenshot(portal: dict[str, Any], page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.goto(portal["url"] + PAGES[name])
    page.screenshot(path=str(SHOTS / f"{name}-de.png"), full_page=True)
    assert (SHOTS / f"{name}-de.png").stat().st_size > 10_000


@pytest.mark.parametrize("name", list(PREVIEWS))
def test_preview_screenshot(portal: dict[str, Any], page: Any, loaded_csv: dict[str, Any], name: str) -> None:
    resource = _resource(portal["url"], PREVIEWS[name])
    page.goto(f"{portal['url']}/dataset/{DATASET}/resource/{resource['id']}")
    view = page.frame_locator("iframe[src*='/view/']")
    view.locator("table.dataTable td, .leaflet-marker-icon").first.wait_for()
    page.screenshot(path=str(SHOTS / f"{name}-de.png"), full_page=True)
    assert (SHOTS / f"{name}-de.png").stat().st_size > 10_000


def test_form_screenshot(portal: dict[str, Any], editor: Any) -> None:
    editor.goto(portal["url"] + "/dataset/new")
    editor.locator(".hamm-step-status").wait_for()
    editor.screenshot(path=str(SHOTS / "form-de.png"), full_page=True)
    assert (SHOTS / "form-de.png").stat().st_size > 10_000


def test_phone_screenshot_of_the_dataset_page(portal: dict[str, Any], browser: Any) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        phone = context.new_page()
        phone.goto(portal["url"] + PAGES["dataset"])
        phone.screenshot(path=str(SHOTS / "dataset-phone-de.png"))  # the first screen
    finally:
        context.close()
    assert (SHOTS / "dataset-phone-de.png").stat().st_size > 10_000
