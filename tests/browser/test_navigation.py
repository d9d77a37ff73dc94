"""Names, states and contrast a screen-reader or low-vision user relies on: the current section,
facet links named by their visible text, the header language switch, readable error pills."""
from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import run_axe


def test_persona_pages_belong_to_data_for_me_not_fields_of_action(portal: dict[str, Any], page: Any) -> None:
    page.goto(portal["url"] + "/persona/klimaaktive-buergerin")
    nav = page.locator(".masthead .navbar-nav")
    assert nav.get_by_role("link", name="Daten für mich").get_attribute("aria-current") == "true"
    fields = nav.get_by_role("link", name="Handlungsfelder")
    assert fields.get_attribute("aria-current") is None
    assert "active" not in (fields.locator("xpath=..").get_attribute("class") or "")
    page.goto(portal["url"] + "/zielgruppe")
    assert nav.get_by_role("link", name="Daten für mich").get_attribute("aria-current") == "true"
    page.goto(portal["url"] + "/dataset")
    assert nav.get_by_role("link", name="Datensätze").get_attribute("aria-current") == "page"


def test_facet_links_are_named_by_their_visible_label_and_count(portal: dict[str, Any], page: Any) -> None:
    page.goto(portal["url"] + "/dataset")
    links = page.locator(".nav-facet a")
    assert links.count() > 5
    assert page.locator(".nav-facet a[aria-label]").count() == 0
    link = page.locator(".nav-facet a", has_text="Umwelt- und Klimaschutz").first
    name = link.evaluate("a => a.innerText.replace(/\\s+/g, ' ').trim()")
    assert name.startswith("Umwelt- und Klimaschutz") and "Datensätze" in name
    assert "vocab_" not in page.locator(".secondary").inner_text()
    headings = page.locator(".secondary h2").all_inner_texts()
    assert not [h for h in headings if h.strip() == "Gruppen"]  # the portal uses Handlungsfelder


@pytest.mark.parametrize("start,link,lang", [("/dataset/baumkataster", "English", "en"),
                                             ("/en/dataset/baumkataster", "Deutsch", "de")])
def test_language_switch_in_the_header_keeps_the_page(portal: dict[str, Any], page: Any,
                                                      start: str, link: str, lang: str) -> None:
    page.goto(portal["url"] + start)
    switch = page.locator(".masthead").get_by_role("link", name=link, exact=True)
    assert switch.get_attribute("hreflang") == lang
    switch.click()
    page.wait_for_load_state()
    assert page.get_attribute("html", "lang") == lang and page.url.endswith("/dataset/baumkataster")


def test_language_switch_is_in_the_phone_menu(portal: dict[str, Any], browser: Any) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 800})
    try:
        phone = context.new_page()
        phone.goto(portal["url"] + "/")
        phone.locator(".navbar-toggler").click()
        english = phone.locator(".masthead").get_by_role("link", name="English", exact=True)
        english.wait_for(state="visible")
    finally:
        context.close()


def test_form_errors_and_required_marks_have_enough_contrast(portal: dict[str, Any], page: Any,
                                                              axe_source: str) -> None:
    page.goto(portal["url"] + "/datenwunsch/neu")
    page.get_by_role("button", name="Datenwunsch absenden").click()
    page.wait_for_load_state()
    contrast = [v for v in run_axe(page, axe_source) if v["id"] == "color-contrast"]
    assert not contrast, [n["target"] for v in contrast for n in v["nodes"]]


def test_status_badges_have_enough_contrast(portal: dict[str, Any], page: Any, axe_source: str) -> None:
    page.goto(portal["url"] + "/datenwunsch")
    badges = page.locator(".hamm-status")
    if badges.count():
        colours = badges.first.evaluate("b => [getComputedStyle(b).color, getComputedStyle(b).backgroundColor]")
        assert colours[1] not in ("rgba(0, 0, 0, 0)", "transparent")
    contrast = [v for v in run_axe(page, axe_source) if v["id"] == "color-contrast"]
    assert not contrast, [n["target"] for v in contrast for n in v["nodes"]]
