"""The city's vocabulary files: content rules of issue 3 and the loader."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from ckanext.hamm.vocabularies import store as vocabulary
from tests.support.vocabularies import extended_vocabularies  # noqa: F401  (fixture)

CONFIRMED = ["strategie-und-kommunikation", "digitale-verwaltung", "digitale-bildung", "umwelt",
             "mobilitaet", "digitale-infrastruktur", "digitale-wirtschaft", "soziales"]
pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", "hamm_search hamm scheming_datasets dcat"),
    pytest.mark.usefixtures("with_plugins"),
]
FILES = sorted((vocabulary.SCHEMAS / "vocabularies").glob("*.yaml"))


def test_three_vocabularies_ship() -> None:
    assert set(vocabulary.vocabularies()) == {"handlungsfeld", "zielgruppe", "persona"}


def test_confirmed_handlungsfelder_in_city_order() -> None:
    assert vocabulary.concept_ids("handlungsfeld")[:8] == CONFIRMED


@pytest.mark.parametrize("vocab_id, minimum", [("handlungsfeld", 8), ("zielgruppe", 8), ("persona", 6)])
def test_minimum_sizes(vocab_id: str, minimum: int) -> None:
    assert len(vocabulary.concept_ids(vocab_id)) >= minimum


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_every_concept_is_complete_and_unique(path: Path) -> None:
    vocab = vocabulary.get_vocabulary(path.stem)
    assert len(set(vocab.ids())) == len(vocab.ids())
    for concept in vocab.concepts:
        assert concept.label.get("de") and concept.label.get("en"), concept.id
        assert concept.description.get("de") and concept.description.get("en"), concept.id
        assert concept.uri == f"{vocab.uri}/{concept.id}"
    assert vocab.label.get("de") and vocab.label.get("en")


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_header_says_the_city_owns_the_file(path: Path) -> None:
    header = path.read_text(encoding="utf-8").split("\nid:")[0]
    assert "gehört der Stadt Hamm" in header and "Owned and edited by the City of Hamm" in header


def test_uris_live_under_the_portal_base_uri() -> None:
    vocab = vocabulary.get_vocabulary("handlungsfeld")
    assert vocab.uri == "http://test.ckan.net/vocab/handlungsfeld"
    assert vocab.get("umwelt").uri == "http://test.ckan.net/vocab/handlungsfeld/umwelt"


def test_personas_have_the_workshop_card() -> None:
    handlungsfelder = set(vocabulary.concept_ids("handlungsfeld"))
    zielgruppen = set(vocabulary.concept_ids("zielgruppe"))
    for persona in vocabulary.get_vocabulary("persona").concepts:
        extra = persona.extra
        assert extra["name"], persona.id
        for key in ("story", "interests", "challenges", "data_needs"):
            assert extra[key]["de"] and extra[key]["en"], (persona.id, key)
        assert extra["handlungsfelder"] and set(extra["handlungsfelder"]) <= handlungsfelder
        assert extra["zielgruppen"] and set(extra["zielgruppen"]) <= zielgruppen


def test_labels_in_both_languages() -> None:
    assert vocabulary.concept_label("handlungsfeld", "mobilitaet", "de") == "Mobilität"
    assert vocabulary.concept_label("handlungsfeld", "mobilitaet", "en") == "Mobility"
    assert vocabulary.concept_label("handlungsfeld", "unbekannt", "en") == "unbekannt"


def test_a_concept_added_to_the_yaml_is_loaded(extended_vocabularies: Path) -> None:
    assert "kultur-und-tourismus" in vocabulary.concept_ids("handlungsfeld")
    assert vocabulary.concept_label("handlungsfeld", "kultur-und-tourismus", "en") == "Culture and tourism"


def test_an_edited_file_is_re_read(extended_vocabularies: Path) -> None:
    path = extended_vocabularies / "zielgruppe.yaml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    raw["concepts"][0]["label"]["en"] = "Residents"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    import os
    os.utime(path, (path.stat().st_atime, path.stat().st_mtime + 5))
    assert vocabulary.concept_label("zielgruppe", "buergerinnen", "en") == "Residents"


def test_eu_lists() -> None:
    assert len(vocabulary.eu_uris("data-theme")) == 13
    uri = vocabulary.theme_uri("ENVI")
    assert vocabulary.eu_code(uri) == "ENVI"
    assert vocabulary.eu_label("data-theme", uri, "de") == "Umwelt"
    assert vocabulary.eu_label("frequency", vocabulary.eu_uris("frequency")[3], "en") == "daily"
