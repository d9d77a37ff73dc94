"""Reuse in real Chromium: citation, the API box's copy buttons (keyboard, spoken status),
similar datasets, the hit list as CSV and the "Neueste" sort; axe and HTML_CodeSniffer on the
dataset page with every reuse box open."""
from __future__ import annotations

import csv
import io
import json
import re
import urllib.request
from typing import Any

import pytest

from tests.browser.conftest import check_axe, run_htmlcs


@pytest.fixture
def clipboard_page(browser: Any, portal: dict[str, Any]) -> Any:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True,
                                  permissions=["clipboard-read", "clipboard-write"], base_url=portal["url"])
    page = context.new_page()
    page.set_default_timeout(45000)
    try:
        yield page
    finally:
        context.close()


def _api(portal: dict[str, Any], action: str, query: str) -> Any:
    with urllib.request.urlopen(f"{portal['url']}/api/3/action/{action}?{query}") as response:
        return json.load(response)["result"]


def test_citation_names_the_data_and_a_stable_link(portal: dict[str, Any], page: Any) -> None:
    dataset = _api(portal, "package_show", "id=baumkataster")
    page.goto(portal["url"] + "/dataset/baumkataster")
    section = page.locator("section.hamm-citation")
    assert section.get_by_role("heading", name="So zitieren Sie diese Daten").is_visible()
    text = page.locator("#hamm-citation-text").inner_text()
    assert dataset["title"] in text and text.endswith(f"/dataset/{dataset['id']}")
    assert re.search(r"Stand: \d\d\.\d\d\.\d{4}\. Lizenz: ", text)
    assert section.get_by_text("Zeitraum der Daten").count() + section.get_by_text("Stand der Daten").count() >= 1
    assert section.get_by_text("Metadatensatz geändert").is_visible()
    bib = page.request.get(portal["url"] + section.get_by_role("link", name="BibTeX herunterladen").get_attribute("href"))
    assert bib.ok and bib.text().startswith("@misc{hamm_baumkataster,")


def test_api_box_copies_with_the_keyboard_and_says_so(portal: dict[str, Any], clipboard_page: Any) -> None:
    page = clipboard_page
    page.goto("/dataset/baumkataster")
    box = page.locator("section.hamm-api")
    first = box.locator("code").first
    assert "/api/3/action/package_show?id=baumkataster" in first.inner_text()
    assert box.locator("code", has_text="/dataset/baumkataster.ttl").count() == 1
    button = box.get_by_role("button", name="Adresse kopieren").first
    button.focus()
    page.keyboard.press("Enter")
    status = box.locator("[role=status]").first
    status.get_by_text("In die Zwischenablage kopiert.").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == first.inner_text().strip()


def test_similar_datasets_lead_to_other_visible_datasets(portal: dict[str, Any], page: Any) -> None:
    page.goto(portal["url"] + "/dataset/baumkataster")
    links = page.locator("section.hamm-similar a")
    assert 1 <= links.count() <= 4
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert "/dataset/baumkataster" not in hrefs
    links.first.click()
    assert page.url.startswith(portal["url"] + "/dataset/") and not page.url.endswith("/baumkataster")


def test_hit_list_csv_keeps_the_filters(portal: dict[str, Any], clipboard_page: Any) -> None:
    page = clipboard_page
    page.goto("/dataset?vocab_handlungsfeld=umwelt")
    count = _api(portal, "package_search", "fq=vocab_handlungsfeld:umwelt&rows=0")["count"]
    with page.expect_download() as info:
        page.get_by_role("link", name="Trefferliste als CSV").click()
    download = info.value
    assert download.suggested_filename == "trefferliste.csv"
    with open(download.path(), encoding="utf-8-sig") as sheet:
        text = sheet.read()
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:2] == ["Titel", "Adresse"]
    assert len(rows) - 1 == count and any(row[1].endswith("/dataset/baumkataster") for row in rows[1:])


def test_neueste_sorts_by_the_newest_entry(portal: dict[str, Any], page: Any) -> None:
    page.goto(portal["url"] + "/dataset")
    page.locator("select#field-order-by").select_option(label="Neueste")
    page.wait_for_url(re.compile(r"sort=metadata_created(\+|%20)desc"))
    newest = _api(portal, "package_search", "sort=metadata_created%20desc&rows=1")["results"][0]["name"]
    first = page.locator("#search-results .dataset-heading a, .dataset-list .dataset-item a").first
    assert first.get_attribute("href").endswith(f"/dataset/{newest}")
    assert page.locator("select#field-order-by option:checked").inner_text().strip() == "Neueste"


@pytest.mark.parametrize("lang", ["de", "en"])
def test_dataset_page_with_reuse_boxes_open_is_accessible(portal: dict[str, Any], page: Any, axe_source: str,
                                                          htmlcs_source: str, lang: str) -> None:
    page.goto(portal["url"] + ("" if lang == "de" else "/en") + "/dataset/baumkataster")
    page.locator("details.hamm-bibtex summary").click()
    assert page.locator("section.hamm-api button").first.is_visible()
    check_axe(page, axe_source, "dataset reuse", lang)
    errors = run_htmlcs(page, htmlcs_source)
    assert not errors, "\n".join(errors[:10])
