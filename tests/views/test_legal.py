"""Impressum, Datenschutz, Kontakt and "Über uns": texts the city edits, linked from every footer."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.support.portal import PLUGINS, clean_db  # noqa: F401 (fixture)

pytestmark = [pytest.mark.ckan_config("ckan.plugins", PLUGINS),
              pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")]


@pytest.mark.parametrize("path,title", [("/impressum", "Impressum"), ("/datenschutz", "Datenschutzerklärung"),
                                        ("/kontakt", "Kontakt"), ("/en/impressum", "Legal notice (Impressum)"),
                                        ("/en/datenschutz", "Privacy policy")])
def test_shipped_templates_answer_in_the_language(app: Any, path: str, title: str) -> None:
    html = app.get(path, status=200).get_data(as_text=True)
    assert f"<h1>{title}</h1>" in html
    assert "Theodor-Heuss-Platz 16" in html or path.endswith("kontakt")


def test_footer_links_the_legal_pages_accessibility_and_figures(app: Any) -> None:
    html = app.get("/", status=200).get_data(as_text=True)
    footer = html[html.index('<footer class="site-footer"'):]
    for href, text in (("/impressum", "Impressum"), ("/datenschutz", "Datenschutz"), ("/kontakt", "Kontakt"),
                       ("/barrierefreiheit", "Erklärung zur Barrierefreiheit"),
                       ("/kennzahlen", "Zahlen zum Portal")):
        assert f'<a href="{href}">{text}</a>' in footer
    assert "CKAN Association" not in footer


def test_about_speaks_of_hamm_not_ckan(app: Any) -> None:
    html = app.get("/about", status=200).get_data(as_text=True)
    assert "Digitales:Hamm" in html and "Über Open Data Hamm" in html
    assert "leading open-source data portal" not in html


@pytest.mark.ckan_config("ckanext.hamm.pages.directory", "")
def test_the_city_edits_its_own_files(app: Any, tmp_path: Path, ckan_config: dict[str, Any],
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "impressum.de.md").write_text("# Impressum der Stadt\n\nAmt für Digitales<script>alert(1)</script>",
                                              encoding="utf-8")
    monkeypatch.setitem(ckan_config, "ckanext.hamm.pages.directory", str(tmp_path))
    html = app.get("/impressum", status=200).get_data(as_text=True)
    assert "<h1>Impressum der Stadt</h1>" in html and "Amt für Digitales" in html
    assert "<script>alert(1)</script>" not in html
    assert app.get("/en/impressum", status=200).get_data(as_text=True).count("Impressum der Stadt") >= 1  # de fallback
    app.get("/datenschutz", status=404)  # no file in the city's folder: not found, not a 500
