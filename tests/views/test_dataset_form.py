"""The staff form: sections, persona help texts, vocabulary choices and kept input after an error."""
from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import pytest

from ckan.tests import factories

from tests.support.vocabularies import extended_vocabularies  # noqa: F401  (fixture)

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", "hamm_search hamm scheming_datasets dcat"),
    pytest.mark.ckan_config("WTF_CSRF_ENABLED", False),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]
THEME = "http://publications.europa.eu/resource/authority/data-theme/"


@pytest.fixture
def editor() -> dict[str, Any]:
    user = factories.UserWithToken()
    org = factories.Organization(users=[{"name": user["name"], "capacity": "editor"}])
    return {"headers": {"Authorization": user["token"]}, "org": org}


def _page(response: Any) -> str:
    return html.unescape(response.get_data(as_text=True))


def test_form_has_the_three_sections_and_persona_help(app: Any, editor: dict[str, Any]) -> None:
    page = _page(app.get("/dataset/new", headers=editor["headers"]))
    for legend in ("Grunddaten", "Einordnung in Digitales:Hamm", "Angaben für Datenkataloge (DCAT-AP.de)"):
        assert legend in page
    hamm = page.split('id="hamm-form-group-hamm"')[1].split('id="hamm-form-group-dcat"')[0]
    assert 'name="handlungsfeld"' in hamm and 'name="persona"' in hamm
    # persona descriptions are the help text of each choice
    assert "Recherchiert für die Lokalzeitung und prüft Aussagen der Politik mit Daten." in page
    assert page.index('id="hamm-form-group-basic"') < page.index('id="hamm-form-group-hamm"') \
        < page.index('id="hamm-form-group-dcat"')


def test_form_in_english(app: Any, editor: dict[str, Any]) -> None:
    page = _page(app.get("/en/dataset/new", headers=editor["headers"]))
    assert "Place in Digitales:Hamm" in page and "Field of action" in page and "Mobility" in page


def test_added_concept_is_a_form_choice(app: Any, editor: dict[str, Any],
                                        extended_vocabularies: Path) -> None:  # noqa: F811
    page = _page(app.get("/dataset/new", headers=editor["headers"]))
    assert 'value="kultur-und-tourismus"' in page and "Kultur und Tourismus" in page


def test_rejected_form_keeps_every_typed_value(app: Any, editor: dict[str, Any]) -> None:
    form = {
        "_ckan_phase": "dataset_new_1", "save": "continue",
        "title": "Kühle Orte", "name": "kuehle-orte-form", "notes": "Schattige Orte im Sommer.",
        "tag_string": "Hitze,Klima", "owner_org": editor["org"]["id"], "license_id": "dl-zero-de/2.0",
        "zielgruppe": ["seniorinnen", "buergerinnen"], "persona": "planerin-hitzeaktionsplan",
        "theme": [THEME + "HEAL"],
        "frequency": "http://publications.europa.eu/resource/authority/frequency/ANNUAL",
        "contact-0-name": "Hitzetelefon", "contact-0-email": "hitze@stadt.hamm.de",
        "temporal_coverage-0-start": "2025-06-01",
        "identifier": "urn:hamm:kuehle-orte", "url": "https://www.hamm.de/hitze",
        # no Handlungsfeld although the dataset would be public
    }
    response = app.post("/dataset/new", data=form, headers=editor["headers"])
    page = _page(response)
    assert "Handlungsfeld: Pflichtangabe für öffentliche Datensätze" in page
    for text in ('value="Kühle Orte"', "Schattige Orte im Sommer.", 'value="Hitze,Klima"',
                 'value="hitze@stadt.hamm.de"', 'value="Hitzetelefon"', 'value="2025-06-01"',
                 'value="urn:hamm:kuehle-orte"', 'value="https://www.hamm.de/hitze"'):
        assert text in page, text
    for name, value in (("zielgruppe", "seniorinnen"), ("zielgruppe", "buergerinnen"),
                        ("persona", "planerin-hitzeaktionsplan")):
        tag = page.split(f'id="field-{name}-{value}"')[1].split(">")[0]
        assert "checked" in tag, (name, value)
    option = page.split(f'id="field-theme-{THEME}HEAL"')[1].split(">")[0]
    assert "selected" in option
    assert '<option value="dl-zero-de/2.0" selected' in page.replace('selected="selected"', "selected")
