"""Unsupported or broken query syntax: a clear search error, never a 500, never a wrong answer."""
from __future__ import annotations

import pytest
from ckan.tests import factories

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", "hamm_search"),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


@pytest.mark.parametrize("params, message", [
    ({"q": "title:(baum"}, "closing parenthesis"),
    ({"fq": "title:/ba.m/"}, "Regular expression"),
    ({"fq": "name:baum~2"}, "Fuzzy"),
    ({"fq": "metadata_modified:[NOW-1FORTNIGHT TO *]"}, "date unit"),
    ({"fq": 'tags:"offen'}, "quotation mark"),
    ({"sort": "name sideways"}, "sort"),
])
def test_api_answers_unsupported_syntax_with_a_client_error(app, params, message):
    response = app.get("/api/3/action/package_search", query_string=params)
    assert response.status_code in (400, 409)
    assert message in str(response.json["error"])


@pytest.mark.parametrize("q", ["AND baum", "baum -", "\"baum", "baum~", "(baum", "baum*", "baum OR"])
def test_search_box_never_fails_on_stray_syntax(app, q):
    org = factories.Organization()
    factories.Dataset(owner_org=org["id"], title="Baum und Strauch")
    response = app.get("/api/3/action/package_search", query_string={"q": q})
    assert response.status_code == 200
    assert response.json["result"]["count"] == 1


def test_dataset_page_shows_a_german_message_not_a_500(app):
    response = app.get("/dataset/", query_string={"q": "title:(baum"})
    assert response.status_code == 400
    assert "Suchanfrage wurde nicht verstanden" in response.body


def test_dataset_page_search_box_text_is_fine(app):
    response = app.get("/dataset/", query_string={"q": "AND Bäume"})
    assert response.status_code == 200
