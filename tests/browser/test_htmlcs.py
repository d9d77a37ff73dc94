"""A second accessibility engine: HTML_CodeSniffer (WCAG2AA) finds no error on the main pages,
in German and English (axe-core alone misses some checks, e.g. several of H91/F68)."""
from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import run_htmlcs
from tests.browser.test_accessibility import resource_path
from tests.browser.test_reflow import MAIN_PAGES


@pytest.mark.parametrize("lang", ["de", "en"])
@pytest.mark.parametrize("label", list(MAIN_PAGES))
def test_no_wcag2aa_errors(portal: dict[str, Any], page: Any, htmlcs_source: str, label: str, lang: str) -> None:
    path = MAIN_PAGES[label]
    if path == "RESOURCE":
        path = resource_path(portal["url"], "baumkataster")
    response = page.goto(portal["url"] + ("" if lang == "de" else "/en") + path)
    assert response.status == 200
    errors = run_htmlcs(page, htmlcs_source)
    assert not errors, "\n".join(errors[:10])
