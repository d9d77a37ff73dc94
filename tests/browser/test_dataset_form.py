"""The staff dataset form as steps (issue 18: "a form a city employee finishes in two minutes:
grouped steps"): one section at a time with a step list, the save button on the last step of a
new dataset, a failed save opening the step with the error and keeping what was typed, and
every section visible without JavaScript."""
from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.conftest import check_axe
from tests.browser.test_staff_pages import editor  # noqa: F401 (fixture: an editor of the Stadtplanungsamt)

VISIBLE_SECTIONS = "Array.from(document.querySelectorAll('fieldset.hamm-form-group')).filter(f => f.offsetParent).map(f => f.id)"


def _sections(page: Any) -> list[str]:
    page.locator(".hamm-step-status").wait_for()  # the steps module has run
    return page.evaluate("Array.from(document.querySelectorAll('fieldset.hamm-form-group')).map(f => f.id)")


def test_new_dataset_form_shows_one_step_at_a_time(portal: dict[str, Any], editor: Any) -> None:
    editor.goto(portal["url"] + "/dataset/new")
    sections = _sections(editor)
    assert len(sections) >= 3
    steps = editor.locator("nav[aria-label='Schritte des Formulars'] .hamm-step")
    assert steps.count() == len(sections)
    assert editor.evaluate(VISIBLE_SECTIONS) == sections[:1]
    assert steps.nth(0).get_attribute("aria-current") == "step"
    assert re.search(rf"Schritt 1 von {len(sections)}: Grunddaten", editor.locator(".hamm-step-status").inner_text())
    assert not editor.locator("#dataset-edit .form-actions").is_visible(), "save only on the last step"

    editor.locator(f"#{sections[0]} .hamm-step-buttons button", has_text="Weiter").click()
    assert editor.evaluate(VISIBLE_SECTIONS) == sections[1:2]
    assert steps.nth(1).get_attribute("aria-current") == "step"
    assert editor.evaluate("document.activeElement.tagName") == "LEGEND", "focus moves to the new step"

    editor.locator(f"#{sections[1]} .hamm-step-buttons button", has_text="Zurück").click()
    assert editor.evaluate(VISIBLE_SECTIONS) == sections[:1]

    steps.nth(len(sections) - 1).click()
    assert editor.evaluate(VISIBLE_SECTIONS) == sections[-1:]
    assert editor.locator("#dataset-edit .form-actions").is_visible()


def test_enter_in_a_field_moves_on_instead_of_saving(portal: dict[str, Any], editor: Any) -> None:
    editor.goto(portal["url"] + "/dataset/new")
    sections = _sections(editor)
    editor.locator("#field-title").fill("Hitzeinseln")
    editor.locator("#field-title").press("Enter")
    assert editor.url.endswith("/dataset/new"), "no save from step 1"
    assert editor.evaluate(VISIBLE_SECTIONS) == sections[1:2]


def test_a_failed_save_opens_the_step_with_the_error_and_keeps_the_input(portal: dict[str, Any],
                                                                         editor: Any) -> None:
    editor.goto(portal["url"] + "/dataset/new")
    sections = _sections(editor)
    editor.locator("#field-title").fill("Hitzeinseln im Sommer")
    editor.locator("#field-notes").fill("Messpunkte der Oberflächentemperatur.")
    editor.locator("#field-private").select_option("False", force=True)  # public datasets need a Handlungsfeld
    editor.locator(".hamm-step").nth(len(sections) - 1).click()
    with editor.expect_navigation():
        editor.locator("#dataset-edit .form-actions button[type=submit]").last.click()
    editor.locator(".hamm-step-status").wait_for()
    # a public dataset without a Handlungsfeld: the Hamm section opens with its error, the title is still there
    visible = editor.evaluate(VISIBLE_SECTIONS)
    assert visible == ["hamm-form-group-hamm"], visible
    assert "Handlungsfeld" in editor.locator("#hamm-form-group-hamm").inner_text()
    assert editor.locator("#field-title").input_value() == "Hitzeinseln im Sommer"


def test_the_form_is_axe_clean_in_both_languages(portal: dict[str, Any], editor: Any,
                                                 axe_source: str) -> None:
    for lang, prefix, word in (("de", "", "Schritt 1 von"), ("en", "/en", "Step 1 of")):
        editor.goto(portal["url"] + prefix + "/dataset/new")
        assert word in editor.locator(".hamm-step-status").inner_text()
        check_axe(editor, axe_source, "dataset form", lang)
    editor.goto(portal["url"] + "/dataset/new")  # back to German for the other tests


@pytest.mark.parametrize("width", [390, 320])
def test_steps_fit_a_phone(portal: dict[str, Any], editor: Any, width: int) -> None:
    editor.set_viewport_size({"width": width, "height": 800})
    try:
        editor.goto(portal["url"] + "/dataset/new")
        # "load" can come before the steps module folded the form (on a busy machine it did):
        # measure the page a phone user works with, once the steps are there.
        editor.locator(".hamm-step-status").wait_for()
        assert editor.evaluate("document.documentElement.scrollWidth") <= width
        assert editor.locator(".hamm-step").first.is_visible()
    finally:
        editor.set_viewport_size({"width": 1280, "height": 900})


def test_without_javascript_every_section_shows(portal: dict[str, Any], browser: Any, editor: Any) -> None:
    context = browser.new_context(java_script_enabled=False, storage_state=editor.context.storage_state())
    try:
        page = context.new_page()
        page.goto(portal["url"] + "/dataset/new")
        sections = page.locator("fieldset.hamm-form-group")
        assert sections.count() >= 3
        assert page.locator("fieldset.hamm-form-group:visible").count() == sections.count()
        assert page.locator(".hamm-step").count() == 0
        assert page.locator("#dataset-edit .form-actions").is_visible()
    finally:
        context.close()
