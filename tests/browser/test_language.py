"""German pages speak German: a walk through the main pages fails on known English UI words
(visible text and accessible names), on the informal "du" and on English decimals ("87.3 %")."""
from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.test_accessibility import resource_path
from tests.browser.test_reflow import MAIN_PAGES

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
