"""German-aware free text: what citizens type finds what the city published.

Each pair is a search-box query and the dataset that must be among the first
three results: plural/singular (german stemming), umlauts and ß typed as
ae/oe/ue/ss or without dots (folded variants), and words that start a compound
("Bäume" → "Baumkataster", stem prefix).
"""
from __future__ import annotations

import pytest
from ckan.lib import search
from ckan.tests import factories, helpers

from .conftest import names

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", "hamm_search"),
    pytest.mark.usefixtures("with_plugins", "german_portal"),
]

DATASETS = {
    "baumkataster": ("Baumkataster", "Standorte aller Stadtbäume", "Bäume"),
    "verkehrszaehlungen": ("Verkehrszählungen", "Zählungen des Kfz-Verkehrs an Knotenpunkten", "Verkehr"),
    "strassenverzeichnis": ("Straßenverzeichnis", "Alle Straßen und Wege", "Straßen"),
    "gruenflaechen": ("Grünflächen", "Parks und Grünanlagen", "Stadtgrün"),
    "luftqualitaet": ("Luftqualität", "Messwerte für Stickstoffdioxid und Feinstaub", "Luft"),
    "ladesaeulen": ("Ladesäulen für Elektrofahrzeuge", "Öffentliche Ladepunkte", "Elektromobilität"),
    "kitas": ("Kindertageseinrichtungen", "Kitas mit Plätzen und Trägern", "Kinderbetreuung"),
    "schulen": ("Schulen in Hamm", "Grundschulen und weiterführende Schulen", "Bildung"),
    "wahlergebnisse": ("Wahlergebnisse der Kommunalwahl", "Stimmen nach Wahlbezirken", "Wahlen"),
    "haushalt": ("Haushaltsplan", "Erträge und Aufwendungen", "Finanzen"),
    "kuehle-orte": ("Kühle Orte bei Hitze", "Schattige Plätze und Trinkbrunnen", "Hitzeschutz"),
    "parkhaeuser": ("Parkhäuser", "Freie Stellplätze in der Innenstadt", "Parken"),
    "abfallkalender": ("Abfallkalender", "Abfuhrtermine für Restmüll und Biotonne", "Müll"),
    "laermkartierung": ("Lärmkartierung", "Straßenlärm und Schienenlärm", "Lärm"),
    "hochwasser": ("Hochwassergefahrenkarten", "Überschwemmungsgebiete an der Lippe", "Hochwasser"),
    "sportstaetten": ("Sportstätten", "Sporthallen und Bäder", "Sport"),
    "solarpotenzial": ("Solarpotenzial der Dächer", "Eignung für Photovoltaik", "Energie"),
    "bevoelkerung": ("Bevölkerungsstand", "Einwohnerinnen und Einwohner nach Alter", "Bevölkerung"),
    "radwege": ("Radwegenetz", "Fahrradstraßen und Radwege", "Radverkehr"),
    "friedhoefe": ("Friedhöfe", "Grabfelder und Öffnungszeiten", "Friedhof"),
}

PAIRS = [
    ("Bäume", "baumkataster"),
    ("Baeume", "baumkataster"),
    ("Verkehrszählung", "verkehrszaehlungen"),
    ("Verkehrszaehlungen", "verkehrszaehlungen"),
    ("Strassen", "strassenverzeichnis"),
    ("Gruenflaechen", "gruenflaechen"),
    ("Grunflachen", "gruenflaechen"),
    ("Luftqualitaet", "luftqualitaet"),
    ("Feinstaub", "luftqualitaet"),
    ("Ladesäule", "ladesaeulen"),
    ("Ladesaeulen", "ladesaeulen"),
    ("Elektrofahrzeug", "ladesaeulen"),
    ("Kita", "kitas"),
    ("Kindertageseinrichtung", "kitas"),
    ("Schule", "schulen"),
    ("Grundschule", "schulen"),
    ("Wahl", "wahlergebnisse"),
    ("Kommunalwahlen", "wahlergebnisse"),
    ("Haushalt", "haushalt"),
    ("kühl", "kuehle-orte"),
    ("Kuehle Orte", "kuehle-orte"),
    ("Trinkbrunnen", "kuehle-orte"),
    ("Parkhaus", "parkhaeuser"),
    ("Stellplatz", "parkhaeuser"),
    ("Abfall", "abfallkalender"),
    ("Müll", "abfallkalender"),
    ("Muell", "abfallkalender"),
    ("Lärm", "laermkartierung"),
    ("Laerm", "laermkartierung"),
    ("Überschwemmung", "hochwasser"),
    ("Sporthalle", "sportstaetten"),
    ("Photovoltaik", "solarpotenzial"),
    ("Dach", "solarpotenzial"),
    ("Einwohner", "bevoelkerung"),
    ("Bevoelkerung", "bevoelkerung"),
    ("Radweg", "radwege"),
    ("Fahrradstrasse", "radwege"),
    ("Friedhof", "friedhoefe"),
]


@pytest.fixture(scope="module")
def german_portal():
    helpers.reset_db()
    search.clear_all()
    org = factories.Organization(name="stadt-hamm")
    for name, (title, notes, tag) in DATASETS.items():
        factories.Dataset(owner_org=org["id"], name=name, title=title, notes=notes, tags=[{"name": tag}])


def test_there_are_enough_pairs():
    assert len(PAIRS) >= 25


@pytest.mark.parametrize("query, expected", PAIRS)
def test_german_query_finds_dataset_in_top_three(query, expected):
    assert expected in names(q=query, rows=3)


@pytest.mark.parametrize("query, exact", [("Baumkataster", "baumkataster"), ("Straßen", "strassenverzeichnis")])
def test_exact_title_word_ranks_first(query, exact):
    assert names(q=query)[0] == exact


def test_stem_prefix_needs_four_letters():
    # "Ab" must not match every word starting with "ab" (Abfall, Abfuhr, ...)
    assert names(q="Ab") == []
