"""A search that finds nothing: "Meinten Sie …?", the way to ask for the data, no empty facet boxes.

Issue 16: a zero-hit page showed seven empty facet boxes, no suggestion and no
way to ask for the data.
"""
from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
from ckan.tests import factories

from ckanext.hamm.helpers.search import hamm_get_search_suggestion
from ckanext.hamm.search import suggest
from tests.support.portal import PLUGINS, clean_db, hamm_dataset  # noqa: F401 (fixtures)

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


@pytest.fixture
def catalogue():
    org = factories.Organization(name="statistik")
    hamm_dataset(owner_org=org["id"], name="bevoelkerung", title="Bevölkerung nach Stadtbezirken",
                 tags=[{"name": "Statistik"}])
    hamm_dataset(owner_org=org["id"], name="luft", title="Luftqualität an den Messstationen")
    hamm_dataset(owner_org=org["id"], name="geheim", title="Geheimprojekt Sonnenuhr", private=True)


@pytest.mark.parametrize("typed, meant", [
    ("Bevölkrung", "Bevölkerung"),
    ("Bevoelkrung", "Bevölkerung"),
    ("Luftqualtät", "Luftqualität"),
    ("Luftqualtaet Messtationen", "Luftqualität Messstationen"),
])
def test_did_you_mean_comes_from_the_catalogues_words(catalogue, app: Any, typed: str, meant: str) -> None:
    html = app.get("/dataset/", query_string={"q": typed}).get_data(as_text=True)
    assert "Meinten Sie" in html
    assert f"<strong>{meant}</strong>" in html
    assert "Ergebnisse für „" + meant in html  # the datasets it finds are shown right away


def test_the_query_is_kept_in_the_data_request_link(catalogue, app: Any) -> None:
    html = app.get("/dataset/", query_string={"q": "Hundekotbeutel"}).get_data(as_text=True)
    assert "Meinten Sie" not in html  # nothing close enough in the catalogue
    assert "Bitte versuchen Sie es mit anderen Suchbegriffen." in html  # Sie-form, not core's "versuch es"
    assert f'href="/datenwunsch/neu?title={quote("Hundekotbeutel")}"' in html
    form = app.get("/datenwunsch/neu", query_string={"title": "Hundekotbeutel"}).get_data(as_text=True)
    assert 'value="Hundekotbeutel"' in form


def test_no_empty_facet_boxes_on_a_zero_hit_page(catalogue, app: Any) -> None:
    html = app.get("/dataset/", query_string={"q": "Hundekotbeutel"}).get_data(as_text=True)
    assert 'class="module module-narrow module-shallow"' not in html  # CKAN's facet box
    full = app.get("/dataset/", query_string={"q": "Bevölkerung"}).get_data(as_text=True)
    assert 'class="module module-narrow module-shallow"' in full


def test_few_hits_also_offer_the_data_request(catalogue, app: Any) -> None:
    html = app.get("/dataset/", query_string={"q": "Bevölkerung"}).get_data(as_text=True)
    assert "Bevölkerung nach Stadtbezirken" in html
    assert "/datenwunsch/neu?title=" in html


def test_english_page(catalogue, app: Any) -> None:
    html = app.get("/en/dataset/", query_string={"q": "Bevölkrung"}).get_data(as_text=True)
    assert "Did you mean" in html and "Request data" in html


def test_private_titles_are_never_suggested(catalogue) -> None:
    assert "sonnenuhr" not in suggest.catalogue_words()
    assert suggest.corrected("Sonnenuh") is None


def test_field_queries_get_no_guess(catalogue) -> None:
    assert hamm_get_search_suggestion("title:Bevölkrung") is None


def test_the_suggestion_is_escaped(catalogue, app: Any) -> None:
    html = app.get("/dataset/", query_string={"q": "<script>alert(1)</script>"}).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
