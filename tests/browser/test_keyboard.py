"""Keyboard only: home → persona → dataset → resource → download link, with visible focus."""
from __future__ import annotations

from typing import Any

FOCUS_STATE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  return {href: el.getAttribute('href') || '', text: (el.innerText || '').trim(),
          outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0,
          shadow: style.boxShadow !== 'none', visible: box.width > 0 && box.height > 0};
}"""


def tab_to(page: Any, wanted: Any, limit: int = 150) -> dict[str, Any]:
    """Press Tab until the focused element satisfies ``wanted``; fail if it never does."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        state = page.evaluate(FOCUS_STATE)
        if state:
            seen.append(state["href"] or state["text"][:30])
            if wanted(state):
                assert state["visible"], f"focused element is not visible: {state}"
                assert state["outline"] or state["shadow"], f"no visible focus indicator: {state}"
                return state
    raise AssertionError(f"never reached the target by Tab; focus went through {seen[-25:]}")


def follow(page: Any) -> None:
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_keyboard_path_to_a_download(portal: dict[str, Any], page: Any) -> None:
    page.goto(portal["url"] + "/")
    skip = tab_to(page, lambda s: s["href"] == "#content", limit=3)
    assert skip["text"] == "Zum Hauptinhalt springen"

    tab_to(page, lambda s: s["href"].endswith("/persona") and "Persona" in s["text"])
    follow(page)
    assert page.url.endswith("/persona")

    tab_to(page, lambda s: s["href"].endswith("/persona/klimaaktive-buergerin"))
    follow(page)
    assert page.locator("h1").inner_text().startswith("Klara")

    tab_to(page, lambda s: s["href"].endswith("/dataset/baumkataster"))
    follow(page)
    assert "/dataset/baumkataster" in page.url

    tab_to(page, lambda s: "/dataset/baumkataster/resource/" in s["href"])
    follow(page)
    assert "/resource/" in page.url

    download = tab_to(page, lambda s: s["href"].startswith("https://www.hamm.de/opendata/baumkataster"))
    assert download["href"] == "https://www.hamm.de/opendata/baumkataster.csv"
