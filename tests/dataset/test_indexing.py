"""vocab_* facets: labels in the current language, filters, free text and new concepts."""
from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import pytest
from ckan.tests import factories, helpers

from tests.support.vocabularies import extended_vocabularies  # noqa: F401  (fixture)

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", "hamm_search hamm scheming_datasets dcat"),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


@pytest.fixture
def datasets() -> dict[str, dict[str, Any]]:
    org = factories.Organization()
    context = {"ignore_auth": True}

    def create(name: str, **fields: Any) -> dict[str, Any]:
        return helpers.call_action("package_create", context=dict(context), name=name,
                                   title=name.title(), owner_org=org["id"],
                                   **dict({"license_id": "dl-by-de/2.0"}, **fields))
    return {
        "rad": create("radverkehr", handlungsfeld=["mobilitaet"], zielgruppe=["schulen-bildung"],
                      persona=["lehrer-mobilitaetswettbewerb"], theme=["TRAN"]),
        "luft": create("luft", handlungsfeld=["umwelt"], zielgruppe=["buergerinnen"], theme=["ENVI", "HEAL"]),
        "laerm": create("laerm", handlungsfeld=["umwelt", "mobilitaet"], theme=["ENVI"]),
    }


def _page(response: Any) -> str:
    return html.unescape(response.get_data(as_text=True))


def test_search_facets_count_and_are_labelled(datasets: dict[str, Any]) -> None:
    result = helpers.call_action("package_search", **{"facet.field": '["vocab_handlungsfeld", "vocab_theme"]'})
    counts = {i["name"]: (i["count"], i["display_name"]) for i in result["search_facets"]["vocab_handlungsfeld"]["items"]}
    assert counts == {"umwelt": (2, "Umwelt- und Klimaschutz"), "mobilitaet": (2, "Mobilität")}
    themes = {i["name"]: i["count"] for i in result["search_facets"]["vocab_theme"]["items"]}
    assert themes == {"ENVI": 2, "TRAN": 1, "HEAL": 1}


def test_dataset_page_facets_switch_language(app: Any, datasets: dict[str, Any]) -> None:
    german = _page(app.get("/dataset/"))
    for text in ("Handlungsfelder", "Zielgruppen", "Personas", "Themen (EU)", "Mobilität",
                 "Umwelt- und Klimaschutz", "Schulen & Bildung", "Verkehr"):
        assert text in german, text
    english = _page(app.get("/en/dataset/"))
    for text in ("Fields of action", "Target groups", "Themes (EU)", "Mobility",
                 "Environment and climate protection", "Schools & education", "Transport"):
        assert text in english, text
    assert "Umwelt- und Klimaschutz" not in english


def test_facet_filter(app: Any, datasets: dict[str, Any]) -> None:
    page = _page(app.get("/dataset/", query_string={"vocab_handlungsfeld": "umwelt"}))
    assert "/dataset/luft" in page and "/dataset/laerm" in page and "/dataset/radverkehr" not in page
    found = helpers.call_action("package_search", fq="vocab_persona:lehrer-mobilitaetswettbewerb")
    assert [d["name"] for d in found["results"]] == ["radverkehr"]


@pytest.mark.parametrize("query", ["Mobilität", "mobility", "Verkehr"])
def test_labels_reach_the_free_text(datasets: dict[str, Any], query: str) -> None:
    names = {d["name"] for d in helpers.call_action("package_search", q=query)["results"]}
    assert "radverkehr" in names


def test_dataset_page_labels_switch_language(app: Any, datasets: dict[str, Any]) -> None:
    german = _page(app.get("/dataset/luft"))
    assert "Umwelt- und Klimaschutz" in german and "Bürger:innen" in german
    english = _page(app.get("/en/dataset/luft"))
    assert "Environment and climate protection" in english and "Citizens" in english


def test_added_concept_appears_in_facets(app: Any, extended_vocabularies: Path) -> None:
    org = factories.Organization()
    helpers.call_action("package_create", context={"ignore_auth": True}, name="stadtfest",
                        owner_org=org["id"], handlungsfeld=["kultur-und-tourismus"], license_id="dl-by-de/2.0")
    result = helpers.call_action("package_search", **{"facet.field": '["vocab_handlungsfeld"]'})
    (item,) = result["search_facets"]["vocab_handlungsfeld"]["items"]
    assert (item["name"], item["display_name"], item["count"]) == ("kultur-und-tourismus", "Kultur und Tourismus", 1)
    assert "Culture and tourism" in _page(app.get("/en/dataset/"))
