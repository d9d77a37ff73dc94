"""A clear "Herunterladen" per file, with format and date, on the dataset and resource pages:
no split button to open first, no new tab opened unannounced."""
from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.test_accessibility import resource_path

DATE = re.compile(r"\d{2}\.\d{2}\.\d{4}")


@pytest.mark.parametrize("lang,word", [("de", "Herunterladen"), ("en", "Download")])
def test_dataset_page_has_a_download_button_per_file(portal: dict[str, Any], page: Any,
                                                     lang: str, word: str) -> None:
    prefix = "" if lang == "de" else "/en"
    page.goto(portal["url"] + prefix + "/dataset/baumkataster")
    items = page.locator("#dataset-resources .resource-item")
    assert items.count() == 2
    for index in range(items.count()):
        item = items.nth(index)
        button = item.locator(".hamm-download-button")
        assert button.is_visible()
        assert button.inner_text().strip().startswith(word)
        assert button.get_attribute("target") is None          # same tab
        assert button.get_attribute("href").startswith("http")
        assert item.locator("[data-bs-toggle=dropdown]").count() == 0  # no split button
    name = items.first.locator(".heading").inner_text().split("\n")[0].strip()
    named = re.compile(rf"^{word}\s*:\s*{re.escape(name)}$")
    assert page.get_by_role("link", name=named).count() == 1  # the button names its file
    meta = items.first.locator(".hamm-download-meta").inner_text()
    assert "CSV" in meta
    if lang == "de":
        assert "Stand:" in meta and DATE.search(meta)


def test_resource_page_has_the_same_download(portal: dict[str, Any], page: Any) -> None:
    page.goto(portal["url"] + resource_path(portal["url"], "baumkataster"))
    button = page.locator(".hamm-download-button")
    assert button.count() == 1 and button.is_visible()
    assert "Herunterladen" in button.inner_text()
    assert button.get_attribute("target") is None
    assert DATE.search(page.locator(".hamm-download-meta").inner_text())
    assert page.locator("a[href*='facebook.com'], a[href*='twitter.com']").count() == 0
    levels = page.evaluate("[...document.querySelectorAll('main h1, main h2, main h3, [role=main] h1, "
                           "[role=main] h2, [role=main] h3')].map(h => +h.tagName[1])")
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), levels  # no h1 -> h3 jump


def test_download_is_reachable_on_a_phone(portal: dict[str, Any], browser: Any) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 800})
    try:
        phone = context.new_page()
        phone.goto(portal["url"] + "/dataset/baumkataster")
        button = phone.locator(".hamm-download-button").first
        box = button.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390
    finally:
        context.close()
