"""Reflow (WCAG 1.4.10): the main pages need no horizontal scrolling at 320 px, in German and
English; on the dataset page the data come before any sidebar."""
from __future__ import annotations

from typing import Any

import pytest

from tests.browser.test_accessibility import PAGES, resource_path

MAIN_PAGES = dict(PAGES, **{"datenwunsch list": "/datenwunsch", "datenwunsch form": "/datenwunsch/neu",
                            "kennzahlen": "/kennzahlen", "organisations": "/organization",
                            "datenschutz": "/datenschutz", "kontakt": "/kontakt"})


@pytest.fixture(scope="module")
def phone(browser: Any) -> Any:
    context = browser.new_context(viewport={"width": 320, "height": 640})
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["de", "en"])
@pytest.mark.parametrize("label", list(MAIN_PAGES))
def test_no_horizontal_scrolling_at_320_px(portal: dict[str, Any], phone: Any, label: str, lang: str) -> None:
    path = MAIN_PAGES[label]
    if path == "RESOURCE":
        path = resource_path(portal["url"], "baumkataster")
    phone.goto(portal["url"] + ("" if lang == "de" else "/en") + path)
    width = phone.evaluate("document.documentElement.scrollWidth")
    too_wide = phone.evaluate("""() => [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > 320.5 && getComputedStyle(e).position !== 'absolute')
        .map(e => e.tagName + '.' + [...e.classList].join('.')).slice(-5)""")
    assert width <= 320, too_wide


def test_dataset_page_shows_the_data_before_anything_else(portal: dict[str, Any], phone: Any) -> None:
    phone.goto(portal["url"] + "/dataset/baumkataster")
    heading = phone.locator("h1").first.bounding_box()
    download = phone.locator(".hamm-download-button").first.bounding_box()
    assert heading["y"] < 400                 # the title on the first screen, no sidebar above it
    assert download["y"] < 2 * 640            # the first download within two screens


def test_resource_page_shows_its_file_before_the_resource_list(portal: dict[str, Any], phone: Any) -> None:
    """On a phone the resource's title and download come first; the list of the dataset's other
    files and the extra information follow (CKAN stacks its sidebar above them)."""
    phone.goto(portal["url"] + resource_path(portal["url"], "baumkataster"))
    heading = phone.locator("h1.page-heading").first.bounding_box()
    sidebar = phone.locator(".secondary").first.bounding_box()
    assert heading["y"] < 400
    assert phone.locator(".hamm-download-button").first.bounding_box()["y"] < 640  # the download on screen one
    assert sidebar["y"] > heading["y"]
