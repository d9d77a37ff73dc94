"""Ranking rules of the search box (docs/search.md, "Ranking").

Issue 16: "Luftqualität" put the city's own dataset 8th of 8, behind harvested
copies that repeat the word in every resource. Rules: title > tags >
description > resources; whole words > stems > compound parts; made in Hamm >
harvested; recent > stale when all else is equal.
"""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from ckan import model
from ckan.lib import search
from ckan.tests import factories, helpers

from .conftest import names

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", "hamm_search"),
    pytest.mark.usefixtures("with_plugins", "ranking_portal"),
]

HARVESTED = [{"key": "harvest_source_id", "value": "rvr"}]


def _dataset(org, name, title, notes="", tags=(), resources=(), extras=()):
    return factories.Dataset(owner_org=org["id"], name=name, title=title, notes=notes,
                             tags=[{"name": t} for t in tags], extras=list(extras),
                             resources=[{"url": f"https://example.org/{name}/{i}", "name": r}
                                        for i, r in enumerate(resources)])


@pytest.fixture(scope="module")
def ranking_portal():
    helpers.reset_db()
    search.clear_all()
    org = factories.Organization(name="stadt-hamm")
    _dataset(org, "luftqualitaet-messstationen", "Luftqualität an den Messstationen",
             notes="Stündliche Messwerte von Stickstoffdioxid", tags=["Luftqualität"])
    for district in ("mitte", "uentrop", "pelkum", "rhynern", "heessen", "herringen", "bockum"):
        _dataset(org, f"rvr-luftqualitaet-{district}", f"Luftqualität in Hamm-{district.title()}",
                 notes=f"**Luftqualität** im Stadtbezirk {district}", tags=["Luftqualität"],
                 resources=[f"Luftqualität {district} Teil {i}" for i in range(5)], extras=HARVESTED)
    # one word in exactly one place each
    _dataset(org, "in-title", "Feinstaub Messnetz")
    _dataset(org, "in-tags", "Messnetz A", tags=["Feinstaub"])
    _dataset(org, "in-notes", "Messnetz B", notes="Werte für Feinstaub")
    _dataset(org, "in-resources", "Messnetz C", resources=["Feinstaub Tabelle"])
    # one word as typed, as a stem, as a compound part (neutral names: names are indexed too)
    _dataset(org, "weg-2", "Radwege im Norden")
    _dataset(org, "weg-1", "Radweg am Kanal")
    _dataset(org, "weg-3", "Fahrradständer")
    # same title and text, own and harvested, the harvested one newer
    _dataset(org, "baumkataster-hamm", "Baumkataster")
    _dataset(org, "baumkataster-rvr", "Baumkataster", extras=HARVESTED)
    # all equal but the date of the last change
    _dataset(org, "spielplaetze-alt", "Spielplätze")
    _dataset(org, "spielplaetze-neu", "Spielplätze")
    model.Session.execute(sa.text("UPDATE package SET metadata_modified = '2020-01-01' "
                                  "WHERE name IN ('spielplaetze-alt', 'baumkataster-hamm')"))
    model.Session.commit()
    model.Session.remove()
    for name in ("spielplaetze-alt", "baumkataster-hamm"):
        search.rebuild(package_id=name)
    model.Session.commit()


def test_the_citys_own_dataset_ranks_first():
    assert names(q="Luftqualität")[0] == "luftqualitaet-messstationen"
    assert names(q="Luftqualitaet")[0] == "luftqualitaet-messstationen"


def test_title_before_tags_before_description_before_resources():
    # the order of all four with the relevance floor off; with it, the resource-only match is
    # far below the title and goes (issue 33)
    assert names(q="Feinstaub", ext_min_score_ratio="0") == ["in-title", "in-tags", "in-notes", "in-resources"]
    assert names(q="Feinstaub") == ["in-title", "in-tags", "in-notes"]


def test_whole_word_before_stem_before_compound_part():
    # "Radwege" as typed is in weg-2 only; weg-1 has its stem, weg-3 only the part "Rad"
    # (the order with the relevance floor off: it drops weg-3, issue 33)
    assert names(q="Radwege", ext_min_score_ratio="0") == ["weg-2", "weg-1", "weg-3"]
    assert names(q="Radweg", ext_min_score_ratio="0")[2] == "weg-3"
    assert names(q="Radwege") == ["weg-2", "weg-1"]


def test_made_in_hamm_before_a_harvested_copy_of_the_same_title():
    # the harvested copy is newer, so recency alone would put it first
    assert names(q="Baumkataster") == ["baumkataster-hamm", "baumkataster-rvr"]


def test_recent_before_stale_when_all_else_is_equal():
    assert names(q="Spielplätze") == ["spielplaetze-neu", "spielplaetze-alt"]


def test_an_explicit_sort_still_wins():
    assert names(q="Spielplätze", sort="metadata_modified asc") == ["spielplaetze-alt", "spielplaetze-neu"]

