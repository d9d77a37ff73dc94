"""German pages speak German: a walk through the main pages fails on known English UI words
(visible text and accessible names), on the informal "du" and on English decimals ("87.3 %")."""
from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.test_accessibility import resource_path
from tests.browser.test_reflow import MAIN_PAGES
from tests.browser.test_tables import views  # noqa: F401 (fixture: the bike counts' table and chart)

# English UI phrases that CKAN or we might leave untranslated; words that are also German
# ("Download", "Format", "Register", "Filter") are deliberately not listed.
ENGLISH = re.compile(r"\b(Search datasets|Filter by|Navigate to|Current resource|Resource URL|Open details page|"
                     r"Remove applied filter|Explore|Go to resource|More information|Show More|Show Only|"
                     r"Powered by|Toggle navigation|Log in|Sign up|Additional Info|Data and Resources|Followers?|"
                     r"Activity Stream|Sort by|Last Modified|There is no|There are no|No description|Reharvest|"
                     r"Skip to|Submit|Page not found|Read more|Learn more|datasets found|Edit resource|"
                     r"Published|Updated|Responsible office|Licence|License:|Previous page|Next page)\b")
INFORMAL = re.compile(r"\b(du|Du|dein\w*|Dein\w*|dich|dir)\b")
ENGLISH_DECIMAL = re.compile(r"\b\d+\.\d+\s?%")

TEXT_AND_NAMES = """() => document.body.innerText + '\\n' + [...document.querySelectorAll(
    '[aria-label],[title],[alt],[placeholder]')].map(e => ['aria-label', 'title', 'alt', 'placeholder']
    .map(a => e.getAttribute(a)).filter(Boolean).join(' | ')).join('\\n')"""


@pytest.mark.parametrize("label", list(MAIN_PAGES) + ["search without hits", "organisation"])
def test_german_pages_have_no_english_ui_words(portal: dict[str, Any], page: Any, label: str) -> None:
    path = {"search without hits": "/dataset?q=zzqqxx", "organisation": "/organization/umweltamt"}.get(
        label) or MAIN_PAGES[label]
    if path == "RESOURCE":
        path = resource_path(portal["url"], "baumkataster")
    page.goto(portal["url"] + path)
    assert page.get_attribute("html", "lang") == "de"
    text = page.evaluate(TEXT_AND_NAMES)
    assert not sorted({m.group(0) for m in ENGLISH.finditer(text)}), path
    assert not sorted({m.group(0) for m in INFORMAL.finditer(text)}), path
    assert not ENGLISH_DECIMAL.findall(text), path


# Words of CKAN's table view that stayed English or raw on the German page (issue 32).
TABLE_ENGLISH = re.compile(r"(\b(numeric|timestamp|yyyy-mm-dd|_id|Show more|Add Filter|Copy to clipboard|Print|"
                           r"entries|Showing|Search)\b|\b1,000\b)")


def test_table_page_has_no_english_ui_words(portal: dict[str, Any], page: Any, views: dict[str, str]) -> None:
    """The DataStore table of the bike counts: toolbar, headers, filters, tooltips."""
    page.goto(portal["url"] + views["table"])
    page.locator("table.dataTable tbody td", has_text="Kanalpromenade").first.wait_for()
    text = page.evaluate(TEXT_AND_NAMES)
    found = {m.group(0) for m in ENGLISH.finditer(text)} | {m.group(0) for m in TABLE_ENGLISH.finditer(text)}
    assert not sorted(found)
    assert not ENGLISH_DECIMAL.findall(text)
