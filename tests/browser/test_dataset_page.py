"""The dataset page: dimensions as links, licence in plain words, DCAT links, provenance."""
from __future__ import annotations

import re
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


def test_dates_responsible_office_and_licence_at_a_glance(portal: dict[str, Any], page: Any) -> None:
    page.goto(portal["url"] + "/dataset/baumkataster")
    facts = page.locator(".hamm-facts")
    text = facts.inner_text()
    assert re.search(r"Veröffentlicht\s+\d{2}\.\d{2}\.\d{4}", text)
    assert re.search(r"Aktualisiert\s+\d{2}\.\d{2}\.\d{4}", text)
    assert "Zuständige Stelle" in text and "Tiefbau- und Grünflächenamt" in text
    assert facts.locator("a[href^='mailto:']").count() == 1
    assert "Datenlizenz Deutschland" in text


def test_additional_information_has_no_empty_rows_and_no_raw_uris(portal: dict[str, Any], page: Any) -> None:
    page.goto(portal["url"] + "/dataset/baumkataster")
    table = page.locator("section.additional-info table, table.table").last
    cells = table.locator("tbody td").all_inner_texts()
    assert cells and all(cell.strip() for cell in cells)
    assert not [cell for cell in cells if "http://" in cell or "https://" in cell]
    labels = " ".join(table.locator("tbody th").all_inner_texts())
    assert "ADMS" not in labels and "URI" not in labels and "Ansprechpartner" not in labels


def test_sidebar_noise_is_gone_for_citizens(portal: dict[str, Any], page: Any) -> None:
    page.goto(portal["url"] + "/dataset/baumkataster")
    body = page.locator("body").inner_text()
    assert "Follower" not in body
    assert page.locator("a[href*='facebook.com'], a[href*='twitter.com'], a[href*='x.com/']").count() == 0
    assert page.locator("img[src*='placeholder-organization']").count() == 0
    assert page.locator(".nav-tabs a[href$='/groups/baumkataster']").count() == 0  # no empty "Gruppen" tab
    assert page.locator("aside.secondary").count() == 0   # nothing before the data on a phone


def test_english_page_names_the_licence_in_english(portal: dict[str, Any], page: Any) -> None:
    page.goto(portal["url"] + "/en/dataset/baumkataster")
    facts = page.locator(".hamm-facts").inner_text()
    assert "Responsible office" in facts and "Data licence Germany" in facts
    assert "Datenlizenz" not in page.locator(".hamm-license").inner_text()
