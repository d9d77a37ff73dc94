"""Autocomplete without Solr.

``package_autocomplete`` asks the search index (``name_ngram``/``title_ngram``:
2–10 character grams, so any such substring of the lower-cased name or title
matches); ``tag_autocomplete`` and ``format_autocomplete`` query CKAN's own
tables in core and need no search backend at all.
"""
from __future__ import annotations

import pytest
from ckan.tests import factories, helpers

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", "hamm_search"),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


@pytest.fixture
def datasets():
    org = factories.Organization()
    factories.Dataset(owner_org=org["id"], name="baumkataster", title="Baumkataster Hamm",
                      tags=[{"name": "Stadtbäume"}], resources=[{"url": "https://x.de/a", "format": "GeoJSON"}])
    factories.Dataset(owner_org=org["id"], name="ladesaeulen", title="Ladesäulen für E-Autos",
                      tags=[{"name": "Elektromobilität"}], resources=[{"url": "https://x.de/b", "format": "GeoTIFF"}])
    factories.Dataset(owner_org=org["id"], name="geheim-kataster", title="Geheimes Kataster", private=True)


def _complete(q, **context):
    return helpers.call_action("package_autocomplete", context={"ignore_auth": False, "user": "", **context}, q=q)


@pytest.mark.parametrize("q, expected", [
    ("baum", ["baumkataster"]),        # start of the name
    ("kataster", ["baumkataster"]),    # inside the title (gram), private one hidden
    ("KATASTER", ["baumkataster"]),    # lower-cased on both sides
    ("säulen", ["ladesaeulen"]),       # title gram with umlaut
    ("e-autos", ["ladesaeulen"]),
    ("x", []),                         # shorter than the smallest gram
    ("baumkataster hamm", ["baumkataster"]),  # no gram phrase, but the title:"…" phrase matches
    ("kataster hamburg", []),
])
def test_package_autocomplete_matches_name_and_title_grams(datasets, q, expected):
    assert [r["name"] for r in _complete(q)] == expected


def test_package_autocomplete_says_which_field_matched(datasets):
    assert _complete("baum")[0]["match_field"] == "name"
    assert _complete("hamm")[0]["match_displayed"] == "Baumkataster Hamm (baumkataster)"


def test_package_autocomplete_shows_private_datasets_to_sysadmins(datasets):
    admin = factories.Sysadmin()
    assert sorted(r["name"] for r in _complete("kataster", user=admin["name"])) == [
        "baumkataster", "geheim-kataster"]


def test_tag_and_format_autocomplete_work_without_solr(datasets):
    assert helpers.call_action("tag_autocomplete", q="bäume") == ["Stadtbäume"]
    assert sorted(helpers.call_action("format_autocomplete", q="geo")) == ["geojson", "geotiff"]
