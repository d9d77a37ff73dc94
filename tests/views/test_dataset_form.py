"""The staff form: sections, persona help texts, vocabulary choices and kept input after an error."""
from __future__ import annotations

import html
import re
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


def test_form_sidebar_speaks_for_the_city_not_for_ckan(app: Any, editor: dict[str, Any]) -> None:
    page = _page(app.get("/dataset/new", headers=editor["headers"]))
    assert "Ein CKAN Datensatz" not in page and "CKAN Dataset" not in page
    assert "Einen Datensatz veröffentlichen" in page
    assert "braucht eine Lizenz und ein Handlungsfeld" in page


def test_form_in_english(app: Any, editor: dict[str, Any]) -> None:
    page = _page(app.get("/en/dataset/new", headers=editor["headers"]))
    assert "Place in Digitales:Hamm" in page and "Field of action" in page and "Mobility" in page


def test_added_concept_is_a_form_choice(app: Any, editor: dict[str, Any],
                                        extended_vocabularies: Path) -> None:
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
    assert "Handlungsfeld: Pflichtangabe für öffentliche Datensätze" in _summary(page), _summary(page)
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


def _summary(page: str) -> str:
    """The form's error summary as text (what the staff member reads first)."""
    start = page.find("error-explanation")
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page[start:start + 2000])) if start >= 0 else ""


def _new_dataset_form(editor: dict[str, Any], **fields: Any) -> dict[str, Any]:
    form = {"_ckan_phase": "dataset_new_1", "save": "continue", "title": "Kühle Orte", "name": "",
            "owner_org": editor["org"]["id"], "license_id": "dl-by-de/2.0", "handlungsfeld": "umwelt"}
    form.update(fields)
    return form


def test_empty_title_is_named_as_the_title(app: Any, editor: dict[str, Any]) -> None:
    page = _page(app.post("/dataset/new", data=_new_dataset_form(editor, title=""), headers=editor["headers"]))
    assert "Titel: Angabe fehlt" in _summary(page), _summary(page)
    assert "URL: Angabe fehlt" not in page


def test_public_dataset_needs_a_licence_in_plain_german(app: Any, editor: dict[str, Any]) -> None:
    page = _page(app.post("/dataset/new", data=_new_dataset_form(editor, name="ohne-lizenz", license_id=""),
                          headers=editor["headers"]))
    assert "Lizenz: Pflichtangabe für öffentliche Datensätze" in _summary(page), _summary(page)
    assert "required before" not in page and "Lizenz: Lizenz" not in page


def test_private_or_harvested_dataset_may_lack_a_licence(editor: dict[str, Any]) -> None:
    from ckan.tests import helpers

    org = editor["org"]["id"]
    private = helpers.call_action("package_create", name="entwurf-ohne-lizenz", owner_org=org, private=True)
    assert not private.get("license_id")
    harvested = helpers.call_action("package_create", name="rvr-ohne-lizenz", owner_org=org,
                                    handlungsfeld=["umwelt"], hamm_remote_id="rvr-1")
    assert not harvested.get("license_id")
    with pytest.raises(Exception) as error:  # the API explains in both languages
        helpers.call_action("package_create", name="api-ohne-lizenz", owner_org=org, handlungsfeld=["umwelt"])
    assert "Pflichtangabe" in str(error.value) and "required" in str(error.value)


def test_quality_hints_are_german_for_editors(app: Any, editor: dict[str, Any]) -> None:
    from ckan.tests import helpers

    helpers.call_action("package_create", name="duenn", title="Dünn", owner_org=editor["org"]["id"],
                        handlungsfeld=["umwelt"], license_id="dl-by-de/2.0")
    page = _page(app.get("/dataset/duenn", headers=editor["headers"]))
    assert "Schlagwörter ergänzen." in page and "Add keywords" not in page


def _advanced(page: str) -> str:
    """The folded part of the form: from its <details> to the end of it."""
    start = page.index('<details class="hamm-form-advanced')
    return page[start:page.index("</details>", start)]


def test_advanced_dcat_fields_are_folded(app: Any, editor: dict[str, Any]) -> None:
    """A two-minute form: publisher, political geocoding and identifier wait behind "Weitere Angaben"."""
    page = _page(app.get("/dataset/new", headers=editor["headers"]))
    folded = _advanced(page)
    assert "<summary" in folded and "Weitere Angaben (DCAT)" in folded
    assert "<details" in folded.split(">")[0] and " open" not in folded.split(">")[0]
    for name in ("publisher-0-name", "publisher-0-type", "spatial_coverage-0-uri", "identifier"):
        assert f'name="{name}"' in folded, name
    for name in ("contact-0-email", "frequency", "temporal_coverage-0-start", "title", "handlungsfeld"):
        assert f'name="{name}"' not in folded, name
        assert f'name="{name}"' in page, name


def test_a_new_form_starts_with_the_defaults(app: Any, editor: dict[str, Any]) -> None:
    page = _page(app.get("/dataset/new", headers=editor["headers"]))
    assert '<option value="dl-by-de/2.0" selected' in page.replace('selected="selected"', "selected")
    folded = _advanced(page)
    assert re.search(r'name="spatial_coverage-0-text"[^>]*value="Hamm"', folded)
    assert re.search(r'name="spatial_coverage-0-uri"[^>]*value="http://dcat-ap\.de/def/politicalGeocoding/'
                     r'municipalityKey/05915000"', folded)
    assert "Stadt Hamm" in folded  # what an empty publisher becomes


def test_a_rejected_form_keeps_the_folded_values(app: Any, editor: dict[str, Any]) -> None:
    page = _page(app.post("/dataset/new", data=_new_dataset_form(editor, name="ohne-feld", handlungsfeld="", **{
        "identifier": "urn:hamm:ohne-feld", "publisher-0-name": "Umweltamt Hamm"}), headers=editor["headers"]))
    assert "Handlungsfeld" in _summary(page), _summary(page)
    folded = _advanced(page)
    assert 'value="urn:hamm:ohne-feld"' in folded and 'value="Umweltamt Hamm"' in folded


def test_typed_contact_publisher_and_coverage_are_stored_not_replaced_by_defaults(app: Any,
                                                                                  editor: dict[str, Any]) -> None:
    """The form sends ``contact-0-name``; the defaults once saw no contact and overwrote what was typed."""
    from ckan.tests import helpers

    app.post("/dataset/new", data=_new_dataset_form(editor, name="getippt", **{
        "contact-0-name": "Hitzetelefon", "contact-0-email": "hitze@stadt.hamm.de",
        "publisher-0-name": "Umweltamt Hamm", "spatial_coverage-0-text": "Hamm-Mitte"}), headers=editor["headers"])
    stored = helpers.call_action("package_show", id="getippt")
    assert [(c.get("name"), c.get("email")) for c in stored["contact"]] == [("Hitzetelefon", "hitze@stadt.hamm.de")]
    assert [p.get("name") for p in stored["publisher"]] == ["Umweltamt Hamm"]
    assert [s.get("text") for s in stored["spatial_coverage"]] == ["Hamm-Mitte"]


def test_an_empty_contact_in_the_form_still_gets_the_organisation(app: Any, editor: dict[str, Any]) -> None:
    from ckan.tests import helpers

    app.post("/dataset/new", data=_new_dataset_form(editor, name="leer", **{
        "contact-0-name": "", "contact-0-email": ""}), headers=editor["headers"])
    assert helpers.call_action("package_show", id="leer")["contact"][0]["name"] == editor["org"]["title"]
