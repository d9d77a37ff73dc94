"""Screenshots (de) of the home page, a persona page and a dataset page (desktop and the first
phone screen) for the README.

Only with ``HAMM_SCREENSHOTS=1`` (they are written into docs/screenshots/):
``HAMM_SCREENSHOTS=1 pytest tests/browser/test_screenshots.py``.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

SHOTS = Path(__file__).resolve().parent.parent.parent / "docs" / "screenshots"
PAGES = {"home": "/", "persona": "/persona/klimaaktive-buergerin", "dataset": "/dataset/baumkataster"}

pytestmark = pytest.mark.skipif(os.environ.get("HAMM_SCREENSHOTS") != "1",
                                reason="set HAMM_SCREENSHOTS=1 to refresh docs/screenshots")


@pytest.mark.parametrize("name", list(PAGES))
def test_screenshot(portal: dict[str, Any], page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.goto(portal["url"] + PAGES[name])
    page.screenshot(path=str(SHOTS / f"{name}-de.png"), full_page=True)
    assert (SHOTS / f"{name}-de.png").stat().st_size > 10_000


def test_phone_screenshot_of_the_dataset_page(portal: dict[str, Any], browser: Any) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        phone = context.new_page()
        phone.goto(portal["url"] + PAGES["dataset"])
        phone.screenshot(path=str(SHOTS / "dataset-phone-de.png"))  # the first screen
    finally:
        context.close()
    assert (SHOTS / "dataset-phone-de.png").stat().st_size > 10_000
