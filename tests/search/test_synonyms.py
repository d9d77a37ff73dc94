"""Synonyms are the city's data: abbreviations, everyday and English words find what the titles say.

Issue 16: "Kita" missed the "Kindertagesstätten …" datasets. The groups live in
``schemas/search_synonyms.yaml`` (re-read when it changes, no re-index); the
labels of the Handlungsfeld/Zielgruppe/Persona concepts count as synonyms too.
"""
from __future__ import annotations

import os
import time

import pytest
from ckan.lib import search
from ckan.tests import factories, helpers

from ckanext.hamm.search import synonyms

from .conftest import name_set

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", "hamm_search"),
    pytest.mark.usefixtures("with_plugins", "synonym_portal"),
]

DATASETS = {
    "kindertagesstaetten-mitte": ("Kindertagesstätten in Hamm-Mitte", "Plätze und Träger"),
    "haltestellen": ("Haltestellen", "Bus und Bahn im Stadtgebiet"),
    "ladesaeulen": ("Ladesäulen", "Öffentliche Ladepunkte für Elektrofahrzeuge"),
    "abfuhr": ("Müllabfuhr-Termine", "Wann die Tonnen geleert werden"),
    "nahverkehrsplan": ("Nahverkehrsplan", "Linien und Takte"),
    "baeume": ("Straßenbäume", "Standorte"),
    "mobil": ("Mobilitätsdaten", "Alles über Mobilität in Hamm"),
}


@pytest.fixture(scope="module")
def synonym_portal():
    helpers.reset_db()
    search.clear_all()
    org = factories.Organization(name="stadt-hamm")
    for name, (title, notes) in DATASETS.items():
        factories.Dataset(owner_org=org["id"], name=name, title=title, notes=notes)


@pytest.mark.parametrize("query, expected", [
    ("Kita", {"kindertagesstaetten-mitte"}),
    ("KiTa", {"kindertagesstaetten-mitte"}),
    ("Kitas", {"kindertagesstaetten-mitte"}),
    ("U3", {"kindertagesstaetten-mitte"}),
    ("day care", {"kindertagesstaetten-mitte"}),
    ("ÖPNV", {"haltestellen", "nahverkehrsplan"}),
    ("OePNV", {"haltestellen", "nahverkehrsplan"}),
    ("Bus", {"haltestellen", "nahverkehrsplan"}),
    ("E-Auto", {"ladesaeulen"}),
    ("Elektromobilität", {"ladesaeulen"}),
    ("Abfall", {"abfuhr"}),
    ("trees", {"baeume"}),
    ("mobility", {"mobil"}),  # the English label of the Handlungsfeld "Mobilität"
])
def test_synonyms_find_what_the_catalogue_calls_otherwise(query, expected):
    assert expected <= name_set(q=query)


def test_a_synonym_phrase_counts_as_one_word_for_minimum_match():
    # two clauses ("day care" = Kita, "Kindertagesstätten"), both met; as three words
    # ("day", "care", …) two of three would be needed and nothing would match
    assert name_set(q="day care Kindertagesstätten") == {"kindertagesstaetten-mitte"}
    assert {"haltestellen"} <= name_set(q="bus stops")


def test_synonyms_do_not_widen_field_queries():
    assert name_set(q="title:Kita") == set()


def test_the_file_is_read_again_when_it_changes(tmp_path, monkeypatch):
    custom = tmp_path / "synonyms.yaml"
    custom.write_text("groups:\n  - [Wertstoff, Müllabfuhr]\n", encoding="utf-8")
    monkeypatch.setattr(synonyms, "synonyms_file", lambda: custom)
    assert name_set(q="Wertstoff") == {"abfuhr"}
    assert name_set(q="Kita") == set()  # groups come from the configured file only
    custom.write_text("groups:\n  - [Kita, Kindertagesstätte]\n", encoding="utf-8")
    later = time.time() + 5
    os.utime(custom, (later, later))
    assert name_set(q="Kita") == {"kindertagesstaetten-mitte"}
    assert name_set(q="Wertstoff") == set()


def test_a_broken_file_leaves_search_working(tmp_path, monkeypatch):
    broken = tmp_path / "synonyms.yaml"
    broken.write_text("groups: [unclosed\n", encoding="utf-8")
    monkeypatch.setattr(synonyms, "synonyms_file", lambda: broken)
    assert name_set(q="Haltestellen") == {"haltestellen"}


def test_concept_labels_of_all_three_vocabularies_are_groups():
    groups = synonyms.current()
    assert "Mobility" in groups["mobilitaet"]  # Handlungsfeld (folded key)
    assert "Senior citizens" in groups["senior innen"]  # Zielgruppe "Senior:innen"
    assert "Klara" in groups["klara klimaaktive buergerin"]  # Persona: label and name
