"""The dataset page: dimensions as links, licence in plain words, DCAT links, provenance."""
from __future__ import annotations

from typing import Any


def test_harvested_dataset_shows_its_provenance(portal: dict[str, Any], page: Any) -> None:
    page.goto(portal["url"] + f"/dataset/{portal['harvested']}")
    badge = page.locator(".hamm-provenance")
    assert "Übernommen" in badge.inner_text()
    link = badge.get_by_role("link", name="Open Data Ruhr (RVR)")
    assert link.get_attribute("href") == "https://opendata.ruhr/dataset/haltestellen-oepnv"


def test_local_dataset_has_no_provenance_badge(portal: dict[str, Any], page: Any) -> None:
    page.goto(portal["url"] + "/dataset/baumkataster")
    assert page.locator(".hamm-provenance").count() == 0


def test_dimensions_licence_and_dcat_links(portal: dict[str, Any], page: Any) -> None:
    page.goto(portal["url"] + "/dataset/baumkataster")
    dims = page.locator(".hamm-dimensions")
    assert dims.locator("a[href$='/handlungsfeld/umwelt']").count() == 1
    assert dims.locator("a[href$='/zielgruppe/buergerinnen']").count() == 1
    assert dims.locator("a[href$='/persona/klimaaktive-buergerin']").count() == 1
    assert "Quelle nennen" in page.locator(".hamm-license").inner_text()
    assert page.locator("link[rel=alternate][type='text/turtle']").count() == 1
    assert page.locator("a", has_text="Metadaten als Turtle").count() == 1


def test_english_labels_switch_with_the_language(portal: dict[str, Any], page: Any) -> None:
    page.goto(portal["url"] + "/en/dataset/baumkataster")
    assert "name the source" in page.locator(".hamm-license").inner_text()
    assert page.locator(".hamm-dimensions a[href$='/en/persona/klimaaktive-buergerin']").inner_text() \
        == "Klara, climate-active citizen"
