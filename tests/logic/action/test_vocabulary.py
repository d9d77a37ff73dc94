"""Public actions hamm_vocabulary_list / hamm_vocabulary_show."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import helpers

from tests.support.vocabularies import extended_vocabularies  # noqa: F401  (fixture)

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", "hamm_search hamm scheming_datasets dcat"),
    pytest.mark.usefixtures("with_plugins"),
]


def test_list_returns_the_three_vocabularies_in_the_requested_language() -> None:
    result = helpers.call_action("hamm_vocabulary_list", lang="en")
    by_id = {v["id"]: v for v in result}
    assert set(by_id) == {"handlungsfeld", "zielgruppe", "persona"}
    assert by_id["handlungsfeld"]["label"] == "Field of action"
    mobility = next(c for c in by_id["handlungsfeld"]["concepts"] if c["id"] == "mobilitaet")
    assert mobility["label"] == "Mobility"
    assert mobility["labels"] == {"de": "Mobilität", "en": "Mobility"}


def test_show_in_german_with_uris() -> None:
    result = helpers.call_action("hamm_vocabulary_show", id="handlungsfeld", lang="de")
    assert result["uri"] == "http://test.ckan.net/vocab/handlungsfeld"
    umwelt = next(c for c in result["concepts"] if c["id"] == "umwelt")
    assert umwelt["label"] == "Umwelt- und Klimaschutz"
    assert umwelt["uri"] == "http://test.ckan.net/vocab/handlungsfeld/umwelt"


def test_show_persona_has_the_card_localised() -> None:
    result = helpers.call_action("hamm_vocabulary_show", id="persona", lang="en")
    persona = result["concepts"][0]
    for key in ("name", "story", "interests", "challenges", "data_needs", "handlungsfelder", "zielgruppen"):
        assert persona[key], key
    assert isinstance(persona["story"], str) and isinstance(persona["interests"], list)


def test_unknown_vocabulary_and_language() -> None:
    with pytest.raises(tk.ObjectNotFound):
        helpers.call_action("hamm_vocabulary_show", id="nope")
    with pytest.raises(tk.ValidationError):
        helpers.call_action("hamm_vocabulary_show", id="persona", lang="fr")


def test_anonymous_may_read_over_the_api(app: Any) -> None:
    response = app.get("/api/3/action/hamm_vocabulary_show", query_string={"id": "zielgruppe", "lang": "en"})
    assert response.json["success"] and response.json["result"]["id"] == "zielgruppe"
    response = app.get("/api/3/action/hamm_vocabulary_list")
    assert len(response.json["result"]) == 3


def test_added_concept_appears_without_code_change(extended_vocabularies: Path) -> None:
    result = helpers.call_action("hamm_vocabulary_show", id="handlungsfeld", lang="de")
    assert result["concepts"][-1]["id"] == "kultur-und-tourismus"
    assert result["concepts"][-1]["label"] == "Kultur und Tourismus"
