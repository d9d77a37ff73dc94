"""Hit counts a citizen can trust (issue 33): a compound query finds what it is about, not
every dataset that shares one of its parts ("Zählstelle" is no "Baustelle").

The catalogue is the demo's texts: the city's own datasets (``demo/content.yaml``) and the
first two records of every fake-RVR topic (``demo/fake_rvr.py``), as ``make demo`` harvests
them. The expected sets are read off those titles and topics: ``must`` are the datasets about
the query, ``may`` those a citizen would not mind (they mention the thing itself).
"""
from __future__ import annotations

import re

import pytest
from ckan.lib import search
from ckan.tests import factories, helpers

from ckanext.hamm import demo
from ckanext.hamm.demo.fake_rvr import TOPIC_TABLE, make_dataset, topic_of
from ckanext.hamm.search import dismax

from .conftest import name_set

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", "hamm_search"),
    pytest.mark.usefixtures("with_plugins", "demo_portal"),
]

PER_TOPIC = 2
_TAG_RE = re.compile(r"^[\w .\-]+$")


def _tags(names) -> list[dict]:
    return [{"name": t} for t in names if _TAG_RE.match(t)]


def _resources(resources) -> list[dict]:
    return [{"url": r.get("url") or f"https://example.org/{r.get('upload', 'x')}", "name": r.get("name", ""),
             "format": r.get("format", ""), "description": r.get("description", "")} for r in resources]


@pytest.fixture(scope="module")
def demo_portal():
    helpers.reset_db()
    search.clear_all()
    org = factories.Organization(name="stadt-hamm", title="Stadt Hamm")
    for own in demo.load_content()["datasets"]:
        factories.Dataset(owner_org=org["id"], name=own["name"], title=own["title"], notes=own.get("notes", ""),
                          tags=_tags(own.get("tags", [])), resources=_resources(own.get("resources", [])))
    for index in range(len(TOPIC_TABLE) * PER_TOPIC):
        record = make_dataset(index)
        factories.Dataset(owner_org=org["id"], name=record["name"], title=record["title"], notes=record["notes"],
                          tags=_tags(t["name"] for t in record["tags"]), resources=_resources(record["resources"]))


def topic(name: str) -> set[str]:
    """The harvested datasets of one fake-RVR topic."""
    return {make_dataset(i)["name"] for i in range(len(TOPIC_TABLE) * PER_TOPIC) if topic_of(i).name == name}


# query -> (must, may)
CASES = {
    "Lärmkarte": ({"laermkartierung"} | topic("Lärmkarte"), set()),
    "Zählstelle": ({"radverkehrszaehlung"}, set()),
    "Radzählung": ({"radverkehrszaehlung"}, set()),
    "Bushaltestelle": (topic("Haltestellen"), set()),
    "Spielplatz": (topic("Spielplätze"), {"gruenflaechen"}),
    "Wahlergebnis": ({"wahlergebnisse-kommunalwahl-2025"} | topic("Wahlergebnisse"), set()),
    "Baustelle": (topic("Baustellen"), set()),
    "Sportstätte": (topic("Sportstätten"), set()),
}


@pytest.mark.parametrize("query", list(CASES))
def test_the_hit_count_holds_only_datasets_about_the_compound(query):
    must, may = CASES[query]
    result = helpers.call_action("package_search", q=query, rows=200)
    found = {d["name"] for d in result["results"]}
    assert must <= found, f"missing: {sorted(must - found)}"
    assert found <= must | may, f"not about {query!r}: {sorted(found - must - may)}"
    assert result["count"] == len(found)


@pytest.mark.parametrize("query", ["Lärmkarte", "Zählstelle", "Baustelle"])
def test_facets_count_only_the_hits(query):
    must, may = CASES[query]
    wanted = helpers.call_action("package_search", fq="name:(" + " OR ".join(sorted(must | may)) + ")",
                                 rows=0, **{"facet.field": ["tags"], "facet.limit": -1})
    result = helpers.call_action("package_search", q=query, rows=0, **{"facet.field": ["tags"], "facet.limit": -1})
    assert set(result["facets"]["tags"]) <= set(wanted["facets"]["tags"])
    assert all(count <= wanted["facets"]["tags"][tag] for tag, count in result["facets"]["tags"].items())


def test_the_floor_drops_far_weaker_hits_and_can_be_switched_off():
    # "Radzählung": only the counting stations have both parts in one word; the bicycle racks
    # ("Fahrradständer … Zahl der Stellplätze") match through parts in different words
    floored = helpers.call_action("package_search", q="Radzählung", rows=100)
    everything = helpers.call_action("package_search", q="Radzählung", rows=100, ext_min_score_ratio="0")
    assert floored["count"] == 1
    assert everything["count"] > floored["count"]
    assert everything["results"][0]["name"] == floored["results"][0]["name"] == "radverkehrszaehlung"


def test_a_floor_that_is_no_share_is_refused():
    with pytest.raises(search.SearchQueryError):
        search.make_connection().search(q="Radzählung", defType="dismax", min_score_ratio="2")


def test_field_queries_have_no_floor():
    # a fielded query is not the search box: every match counts
    assert "hamm-fahrradabstellanlagen-im-stadtbezirk-mitte-4" in name_set(q="text:Radzählung OR tags:Radverkehr")


@pytest.mark.parametrize("count, mm, needed", [
    (2, None, 2), (4, None, 3), (7, None, 5),  # CKAN's 2<-1 5<80%
    (3, "1", 1), (3, "-1", 2), (4, "50%", 2), (4, "-25%", 3), (4, "100%", 4),
    (5, "3<90%", 4), (3, "3<90%", 3), (4, "0", 1), (2, "5", 2),
])
def test_mm_follows_solr(count, mm, needed):
    assert dismax.minimum_match(count, mm) == needed


def test_mm_of_the_request_decides_how_many_words_must_match():
    both = name_set(q="Lärmkarte Bushaltestelle")
    either = name_set(q="Lärmkarte Bushaltestelle", mm="1")
    assert both == set()
    assert either == CASES["Lärmkarte"][0] | CASES["Bushaltestelle"][0]


def test_an_mm_solr_would_refuse_is_a_query_error():
    with pytest.raises(search.SearchQueryError):
        helpers.call_action("package_search", q="Lärmkarte Bushaltestelle", mm="viele")
