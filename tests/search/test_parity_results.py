"""Parity: free text (dismax), sorting, paging, fl, facets and visibility via package_search.

Expected values follow Solr's rules for what CKAN sends: dismax with
``qf=name^4 title^4 tags^2 groups^2 text`` and ``mm=2<-1 5<80%`` (the
organisation is copied into ``text``), ``sortMissingLast`` and binary order on
``string`` fields, facets counted per dataset by count then binary value,
and CKAN's permission labels (drafts and private datasets carry
``member-<org>``; deleted datasets leave the index).
"""
from __future__ import annotations

import pytest
from ckan.tests import factories, helpers

from .conftest import name_set, names

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", "hamm_search"),
    # Solr has no relevance floor: matching is compared with it off (tests/search/test_precision.py has the floor)
    pytest.mark.ckan_config("ckanext.hamm.search.min_score_ratio", "0"),
    pytest.mark.usefixtures("with_plugins", "portal"),
]
SYSADMIN = {"ignore_auth": True}


def _facets(**params):
    return helpers.call_action("package_search", context={"ignore_auth": False, "user": ""},
                               rows=0, **params)["facets"]


# -- dismax -------------------------------------------------------------------------
def test_title_match_ranks_above_notes_match():
    assert names(q="Baumkataster") == ["baumkataster", "luftqualitaet"]


@pytest.mark.parametrize("q, expected", [
    ("Baumkataster Luftqualität", {"luftqualitaet"}),  # mm: 2 words, both needed
    ("Baumkataster Luftqualität Feinstaub", {"luftqualitaet"}),
    # mm: 2 of 3 (a third word without compound parts in the portal: hamm_search, unlike
    # Solr, lets "Verkehrsamt" meet "amt-umwelt" through its part "Amt")
    ("Baumkataster Luftqualität Verkehrsplanung", {"luftqualitaet"}),
    ("Umwelt -Luft", {"baumkataster", "gruenflaechen"}),  # organisation is copied into text
    ("+Straßen +Hamm", {"strassenverzeichnis"}),
    ('"Art und Pflanzjahr"', {"baumkataster"}),
    ('"Pflanzjahr und Art"', set()),
    ("Pflanzjahr AND Umwelt", {"baumkataster"}),
    ("Bäume OR Verkehr", set()),  # dismax: mm still needs both optional clauses
    ("-Umwelt", set()),  # purely negative dismax matches nothing
    # brackets are literal, not grouping: "baum kataster" as one token, which Solr finds nowhere;
    # hamm_search finds both words as the parts of the compound "Baumkataster"
    ("Baum(kataster)", {"baumkataster", "luftqualitaet"}),
])
def test_dismax_minimum_match_and_operators(q, expected):
    assert name_set(q=q) == expected


def test_organisation_and_tag_matches_in_text():
    result = names(q="Verkehr")
    assert set(result) == {"verkehrszaehlungen", "strassenverzeichnis", "aerzte", "ohne-titel"}
    assert result[0] == "verkehrszaehlungen"  # tag (^2) and title beat the organisation name


# -- sorting and paging -------------------------------------------------------------
ALL_BY_NAME = ["aerzte", "baumkataster", "gruenflaechen", "luftqualitaet", "ohne-titel",
               "strassenverzeichnis", "verkehrszaehlungen"]


@pytest.mark.parametrize("sort, expected", [
    ("name asc", ALL_BY_NAME),
    ("name desc", ALL_BY_NAME[::-1]),
    # binary order: upper case < lower case < "Ä"; an empty title becomes the name
    ("title_string asc", ["baumkataster", "gruenflaechen", "luftqualitaet", "strassenverzeichnis",
                          "verkehrszaehlungen", "ohne-titel", "aerzte"]),
    ("metadata_modified desc", ["luftqualitaet", "verkehrszaehlungen", "baumkataster", "gruenflaechen",
                                "strassenverzeichnis", "aerzte", "ohne-titel"]),
    ("metadata_created asc", ["ohne-titel", "aerzte", "baumkataster", "verkehrszaehlungen",
                              "strassenverzeichnis", "gruenflaechen", "luftqualitaet"]),
    ("organization asc, metadata_created desc", ["luftqualitaet", "gruenflaechen", "baumkataster",
                                                 "strassenverzeichnis", "verkehrszaehlungen", "aerzte",
                                                 "ohne-titel"]),
])
def test_sort_orders(sort, expected):
    assert names(sort=sort, rows=20) == expected


@pytest.mark.parametrize("direction, first_two", [
    ("asc", ["strassenverzeichnis", "baumkataster"]),
    ("desc", ["baumkataster", "strassenverzeichnis"]),  # sortMissingLast in both directions
])
def test_missing_values_sort_last(direction, first_two):
    result = names(sort=f"review_date {direction}, name asc", rows=20)
    assert result[:2] == first_two
    assert result[2:] == [n for n in ALL_BY_NAME if n not in first_two]


def test_score_sort_with_a_second_key():
    assert names(q="Baumkataster", sort="score desc, name asc") == ["baumkataster", "luftqualitaet"]


def test_start_and_rows_page_through_a_stable_order():
    result = helpers.call_action("package_search", sort="name asc", rows=2, start=2)
    assert [d["name"] for d in result["results"]] == ["gruenflaechen", "luftqualitaet"]
    assert result["count"] == 7
    assert names(sort="name asc", rows=5, start=6) == ["verkehrszaehlungen"]
    assert names(sort="name asc", rows=5, start=50) == []


def test_fl_returns_only_stored_fields_asked_for():
    result = helpers.call_action("package_search", fl=["name", "license_id", "title_string"],
                                 fq="name:baumkataster")["results"]
    assert result == [{"name": "baumkataster", "license_id": "cc-by"}]  # title_string is not stored


# -- facets -------------------------------------------------------------------------
def test_facet_counts_order_by_count_then_binary_value():
    facets = _facets(**{"facet.field": '["tags", "res_format", "organization", "groups"]'})
    assert list(facets["res_format"].items()) == [("CSV", 4), ("GeoJSON", 1), ("JSON", 1), ("WMS", 1),
                                                  ("XLSX", 1)]
    assert list(facets["organization"].items()) == [("amt-verkehr", 4), ("amt-umwelt", 3)]
    assert facets["groups"] == {"stadtgruen": 2}
    assert list(facets["tags"].items())[:3] == [("Umwelt", 2), ("Adressen", 1), ("Bäume", 1)]
    assert sum(facets["tags"].values()) == 12


def test_facet_limit_and_mincount():
    assert list(_facets(**{"facet.field": '["tags"]', "facet.limit": 2})["tags"].items()) == [
        ("Umwelt", 2), ("Adressen", 1)]
    assert _facets(**{"facet.field": '["tags"]', "facet.mincount": 2})["tags"] == {"Umwelt": 2}
    assert len(_facets(**{"facet.field": '["tags"]', "facet.limit": -1})["tags"]) == 11


def test_facets_follow_the_query():
    facets = _facets(q="Umwelt", **{"facet.field": '["organization"]'})
    assert facets["organization"] == {"amt-umwelt": 3}


def test_facet_sort_is_not_a_parameter_ckan_passes():
    with pytest.raises(Exception, match="Invalid search parameters"):
        helpers.call_action("package_search", **{"facet.field": '["tags"]', "facet.sort": "index"})


# -- visibility ---------------------------------------------------------------------
def _as(user):
    return {"ignore_auth": False, "user": user["name"] if user else ""}


def test_private_datasets_only_for_members_and_sysadmins(portal):
    assert "interne-planung" not in name_set(context=_as(None), include_private=True)
    assert "interne-planung" not in name_set(context=_as(portal["outsider"]), include_private=True)
    assert "interne-planung" in name_set(context=_as(portal["editor"]), include_private=True)
    assert "interne-planung" in name_set(context=_as(portal["admin"]), include_private=True)
    assert "interne-planung" not in name_set(context=_as(portal["editor"]))  # include_private defaults off


def test_capacity_filter(portal):
    assert name_set(context=_as(portal["admin"]), include_private=True,
                    fq="capacity:private") == {"interne-planung"}
    assert name_set(fq="capacity:private") == set()


def test_drafts_need_include_drafts_and_a_label(portal):
    assert "entwurf-radwege" not in name_set(context=SYSADMIN)
    assert "entwurf-radwege" in name_set(context=SYSADMIN, include_drafts=True)
    assert "entwurf-radwege" not in name_set(context=_as(None), include_drafts=True)
    assert name_set(context=SYSADMIN, fq="+state:draft") == {"entwurf-radwege"}


def test_deleted_datasets_leave_the_index():
    assert "alte-daten" not in name_set(context=SYSADMIN, include_deleted=True, include_drafts=True)


def test_dataset_types_are_filtered_exactly(portal):
    typed = factories.Dataset(owner_org=portal["orgs"]["umwelt"]["id"], name="broschuere-1",
                              type="broschuere", title="Baumkataster Broschüre")
    try:
        assert name_set(fq="+dataset_type:broschuere") == {"broschuere-1"}
        assert "broschuere-1" not in name_set(fq="+dataset_type:dataset", q="Baumkataster")
        assert "broschuere-1" in name_set(q="Baumkataster")
    finally:
        helpers.call_action("package_delete", id=typed["id"])
    assert "broschuere-1" not in name_set(q="Baumkataster")
