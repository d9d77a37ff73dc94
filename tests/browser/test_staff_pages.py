"""The staff screens in a real browser, logged in as an editor of the Stadtplanungsamt (owner of
the RVR harvest source): German only (the English-words walk covers the harvest pages, the
dashboard and the problem reports), a red error badge only for errors, local German times,
and no serious or critical axe-core violation."""
from __future__ import annotations

import re
import uuid
from typing import Any

import pytest

from tests.browser.conftest import check_axe
from tests.browser.test_datarequest import _api, _log_in, add_user
from tests.browser.test_language import ENGLISH, INFORMAL, TEXT_AND_NAMES

# Words ckanext-harvest shows in English unless translated (checked on the staff pages only).
HARVEST_ENGLISH = re.compile(r"\b(Clear|Harvest Jobs?|Harvest Sources?|Last Harvest Job|View full job report|"
                             r"errors|not modified|added|Finished|Job Report|Error Summary|No errors|"
                             r"Back to job list|View harvest source|Jobs)\b")


@pytest.fixture(scope="module")
def editor(portal: dict[str, Any], browser: Any) -> Any:
    name = f"planung-{uuid.uuid4().hex[:6]}"
    add_user(portal, name)
    _api(portal, "organization_member_create", {"id": "stadtplanungsamt", "username": name, "role": "editor"},
         portal["admin_token"])
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(45000)
    _log_in(page, portal, name)
    try:
        yield page
    finally:
        context.close()


def _pages(portal: dict[str, Any]) -> dict[str, str]:
    return {"dashboard": "/dashboard/datasets", "organisation": "/organization/stadtplanungsamt",
            "problem reports": "/organization/stadtplanungsamt/meldungen",
            "link report": "/organization/stadtplanungsamt/links",
            "harvest admin": "/harvest/admin/rvr", "harvest jobs": "/harvest/rvr/job",
            "harvest job": f"/harvest/rvr/job/{portal['harvest_job']}", "harvest source": "/harvest/rvr",
            "harvest about": "/harvest/about/rvr", "harvest sources": "/harvest"}


LABELS = ["dashboard", "organisation", "problem reports", "link report", "harvest admin", "harvest jobs", "harvest job",
          "harvest source", "harvest about", "harvest sources"]


@pytest.mark.parametrize("label", LABELS)
def test_staff_pages_have_no_english_ui_words(portal: dict[str, Any], editor: Any, label: str) -> None:
    path = _pages(portal)[label]
    editor.goto(portal["url"] + path)
    assert editor.get_attribute("html", "lang") == "de"
    assert editor.locator("#field-password").count() == 0, "not logged in"
    text = editor.evaluate(TEXT_AND_NAMES)
    assert not sorted({m.group(0) for m in ENGLISH.finditer(text)}), path
    assert not sorted({m.group(0) for m in HARVEST_ENGLISH.finditer(text)}), path
    assert not sorted({m.group(0) for m in INFORMAL.finditer(text)}), path


def test_harvest_sources_are_reached_from_the_dashboard(portal: dict[str, Any], editor: Any) -> None:
    editor.goto(portal["url"] + "/dashboard/datasets")
    editor.get_by_role("link", name="Open Data Portal Metropole Ruhr").click()
    editor.get_by_role("link", name="Neu ernten").wait_for()
    badge = editor.locator("[data-diff=error]").first
    assert badge.inner_text().strip() == "0 Fehler"
    red, green, blue = (int(x) for x in re.findall(r"\d+", badge.evaluate("e => getComputedStyle(e).backgroundColor"))[:3])
    assert not (red > 150 and green < 110 and blue < 110), "a job without errors is shown in red"
    assert "01.12.2026, 00:30 Uhr" in editor.inner_text("body")  # finished 23:30 UTC on 30 November


@pytest.mark.parametrize("label", ["dashboard", "organisation", "problem reports", "link report", "harvest admin",
                                   "harvest jobs"])
def test_staff_pages_have_no_serious_violations(portal: dict[str, Any], editor: Any, axe_source: str,
                                                label: str) -> None:
    editor.goto(portal["url"] + _pages(portal)[label])
    check_axe(editor, axe_source, f"staff {label}", "de")
