"""/kennzahlen in the browser: every chart text lies inside its chart (nothing clipped) and each
share names its base."""
from __future__ import annotations

from typing import Any

import pytest

OUTSIDE = """() => [...document.querySelectorAll('svg.hamm-chart-svg')].flatMap(svg => {
    const box = svg.viewBox.baseVal;
    return [...svg.querySelectorAll('text')].filter(text => {
        const b = text.getBBox();
        return b.x < 0 || b.y < 0 || b.x + b.width > box.width || b.y + b.height > box.height;
    }).map(text => text.textContent);
})"""


@pytest.mark.parametrize("lang", ["de", "en"])
def test_chart_texts_are_not_clipped(portal: dict[str, Any], page: Any, lang: str) -> None:
    page.goto(portal["url"] + ("" if lang == "de" else "/en") + "/kennzahlen")
    assert page.locator("svg.hamm-chart-svg").count() >= 5
    assert page.evaluate(OUTSIDE) == []
    shares = page.locator("#chart-shares-title").locator("xpath=..").inner_text()
    assert (" von " if lang == "de" else " of ") in shares
