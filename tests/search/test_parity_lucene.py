"""Parity: the Lucene subset in ``fq`` and fielded ``q``, through real package_search calls.

Expected sets follow CKAN's schema.xml: ``tags``/``res_format``/``name`` are
``string`` (exact, case-sensitive), ``title``/``notes`` are ``text``
(lower-cased words), ``review_date`` (catch-all ``*_date``) is a date, ranges on
strings compare binary, and boolean clauses follow Lucene's classic parser
under CKAN's ``q.op=AND``. Visible to anonymous: active, public datasets.
"""
from __future__ import annotations

import pytest
from ckan.lib.search.common import make_connection

from .conftest import name_set

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", "hamm_search"),
    pytest.mark.usefixtures("with_plugins", "portal"),
]

PUBLIC = {"baumkataster", "verkehrszaehlungen", "strassenverzeichnis", "gruenflaechen", "aerzte",
          "ohne-titel", "luftqualitaet"}


@pytest.mark.parametrize("fq, expected", [
    ("*:*", PUBLIC),
    ("tags:Umwelt", {"baumkataster", "luftqualitaet"}),
    ("tags:umwelt", set()),  # string field: case matters
    ("res_format:CSV", {"baumkataster", "verkehrszaehlungen", "aerzte", "luftqualitaet"}),
    ("res_format:csv", set()),
    ('tags:"Bäume"', {"baumkataster"}),
    ("tags:(Bäume OR Verkehr)", {"baumkataster", "verkehrszaehlungen"}),
    ("organization:amt-umwelt AND NOT tags:Luft", {"baumkataster", "gruenflaechen"}),
    ("(tags:Verkehr OR tags:Straßen) AND res_format:CSV", {"verkehrszaehlungen"}),
    ("-organization:amt-umwelt", {"verkehrszaehlungen", "strassenverzeichnis", "aerzte", "ohne-titel"}),
    ("+tags:Umwelt -res_format:WMS", {"luftqualitaet"}),
    ("(tags:Umwelt OR tags:Freizeit)", {"baumkataster", "luftqualitaet", "gruenflaechen"}),
    # CKAN sends fq as "+capacity:public <fq> +state:(active)": a top-level OR leaves
    # its clauses optional next to the required ones, so Solr filters nothing.
    ("tags:Umwelt OR tags:Freizeit", PUBLIC),
    ("tags:Umwelt tags:Freizeit", set()),  # q.op=AND: both required
    # classic parser: "a AND b OR c" under q.op=AND is "+a b c"
    ("tags:Umwelt AND tags:Freizeit OR tags:Gesundheit", {"baumkataster", "luftqualitaet"}),
    ("!tags:Umwelt AND license_id:cc-by", {"strassenverzeichnis", "aerzte"}),
    ("groups:*", {"baumkataster", "gruenflaechen"}),
    ("-groups:*", PUBLIC - {"baumkataster", "gruenflaechen"}),
    ("groups:stadtgruen && tags:Freizeit", {"gruenflaechen"}),
    ("(tags:Luft || tags:Gesundheit)", {"luftqualitaet", "aerzte"}),
])
def test_boolean_structure_and_string_fields(fq, expected):
    assert name_set(fq=fq) == expected


@pytest.mark.parametrize("fq, expected", [
    ("title:baumkataster", {"baumkataster"}),
    ("title:BAUMKATASTER", {"baumkataster"}),  # text: lower-cased on both sides
    ('notes:"Art und Pflanzjahr"', {"baumkataster"}),
    ('notes:"Pflanzjahr und Art"', set()),  # a phrase keeps word order
    ("notes:Knotenpunkten", {"verkehrszaehlungen"}),
])
def test_text_fields(fq, expected):
    assert name_set(fq=fq) == expected


@pytest.mark.parametrize("fq, expected", [
    ("name:baum*", {"baumkataster"}),
    ("name:*qualitaet", {"luftqualitaet"}),
    ("name:?aumkataster", {"baumkataster"}),
    ("title:Baum*", {"baumkataster"}),  # wildcards on text are lower-cased
    ("tags:Stadt*", {"gruenflaechen"}),
])
def test_wildcards(fq, expected):
    assert name_set(fq=fq) == expected


@pytest.mark.parametrize("fq, expected", [
    ("name:[baumkataster TO luftqualitaet]", {"baumkataster", "gruenflaechen", "luftqualitaet"}),
    ("name:{baumkataster TO luftqualitaet}", {"gruenflaechen"}),
    ("name:[baumkataster TO luftqualitaet}", {"baumkataster", "gruenflaechen"}),
    ("name:[s TO *]", {"strassenverzeichnis", "verkehrszaehlungen"}),
    ("name:{* TO b]", {"aerzte"}),
    ("title_string:[A TO Z]", {"baumkataster", "verkehrszaehlungen", "strassenverzeichnis",
                               "gruenflaechen", "luftqualitaet"}),  # binary: "Ä…" sorts after "Z"
])
def test_string_ranges_compare_binary(fq, expected):
    assert name_set(fq=fq) == expected


@pytest.mark.parametrize("fq, expected", [
    ("metadata_created:[2021-01-01T00:00:00Z TO 2022-12-31T23:59:59Z]",
     {"verkehrszaehlungen", "strassenverzeichnis"}),
    ("metadata_created:[2021-06-01T00:00:00Z TO *]",
     {"verkehrszaehlungen", "strassenverzeichnis", "gruenflaechen", "luftqualitaet"}),
    ("metadata_created:{2021-06-01T00:00:00Z TO *]", {"strassenverzeichnis", "gruenflaechen", "luftqualitaet"}),
    ("metadata_created:[2023-09-30T00:00:00Z/DAY TO 2023-09-30T00:00:00Z+1DAY}", {"gruenflaechen"}),
    ("metadata_modified:[NOW-1DAY TO *]", {"luftqualitaet"}),
    ("metadata_modified:[* TO NOW-1YEAR]", PUBLIC - {"luftqualitaet"}),
    ("review_date:[2024-01-01T00:00:00Z TO *]", {"baumkataster"}),
    ("review_date:[* TO NOW]", {"baumkataster", "strassenverzeichnis"}),
    ('metadata_modified:"2019-05-06T05:05:05Z"', {"aerzte"}),
])
def test_date_ranges_and_date_math(fq, expected):
    assert name_set(fq=fq) == expected


@pytest.mark.parametrize("fq, expected", [
    (r"res_url:https\://example.org/baumkataster/0", {"baumkataster"}),
    ('res_url:"https://example.org/baumkataster/1"', {"baumkataster"}),
    (r"name:ohne\-titel", {"ohne-titel"}),
    (r"title_string:Baumkataster\ Hamm", {"baumkataster"}),
])
def test_escaping(fq, expected):
    assert name_set(fq=fq) == expected


@pytest.mark.parametrize("q, expected", [
    ("tags:Verkehr", {"verkehrszaehlungen"}),
    ('name:"aerzte" OR name:"gruenflaechen"', {"aerzte", "gruenflaechen"}),
    ("organization:amt-umwelt AND res_format:GeoJSON", {"gruenflaechen"}),
    ("*:*", PUBLIC),
])
def test_fielded_q_is_lucene(q, expected):
    assert name_set(q=q) == expected


def test_documents_of_other_sites_are_never_returned(portal):
    doc = {"index_id": "fremd-1", "id": "fremd-1", "site_id": "eine-andere-seite", "name": "fremd",
           "title": "Baumkataster anderswo", "state": "active", "capacity": "public",
           "entity_type": "package", "dataset_type": "dataset", "permission_labels": ["public"],
           "metadata_created": "2024-01-01T00:00:00Z", "metadata_modified": "2024-01-01T00:00:00Z"}
    make_connection().add([doc])
    assert "fremd" not in name_set(q="Baumkataster")
    assert "fremd" not in name_set(fq="name:fremd")
