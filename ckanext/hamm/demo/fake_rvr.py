"""A local fake of opendata.ruhr: real HTTP on 127.0.0.1 serving generated RVR-shaped data.

CKAN action API (``package_search``, ``package_show``, and the writes a city makes with its
token: ``package_create/update/delete``) and a paged DCAT
``/catalog.rdf``. ``server.fault = "<name>"`` switches a fault mode
(see FAULTS) so tests can replay the rows of harvest-faults.md.
Used by the tests, the benchmark and `ckan hamm rvr demo-harvest`; it ships in the demo
package so the installed CLI never reaches into the tests folder. It binds to loopback only.

The records read like Hamm's catalogue at opendata.ruhr (``TOPIC_TABLE``): 20 topics, each
published as a series by Stadtbezirk, year or edition, with the DCAT-AP theme (RVR group) that
fits the topic, so the Handlungsfeld the harvester suggests from it is plausible too. Texts carry
umlauts and ß as real German does; licences, formats and resource counts rotate by index so the
odd shapes (an unknown licence, lowercase "csv", WMS, no mimetype) always occur.
"""
from __future__ import annotations

import csv
import datetime
import gzip
import json
import re
import threading
import time
import uuid
from dataclasses import dataclass
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Optional
from urllib.parse import parse_qs, urlsplit

FAULTS = {
    "xxe": "RDF/XML with an external entity (row 1)",
    "billion_laughs": "RDF/XML with nested entities (row 2)",
    "redirect_private": "every request redirects to a private address (row 3)",
    "redirect_metadata": "every request redirects to the cloud metadata address (row 3)",
    "redirect_foreign": "every request redirects to a host not on the allow-list (row 3)",
    "next_foreign": "hydra:next points to another host (row 5)",
    "jsonld_remote_context": "JSON-LD catalogue with a remote @context (row 6)",
    "stall": "answers after `stall_seconds` (row 7)",
    "trickle": "sends the body one byte at a time (row 7)",
    "huge": "a 3 MB search answer (row 8)",
    "gzip_bomb": "a small gzip body that expands to 60 MB (row 8)",
    "latin1": "search answers in ISO-8859-1, declared (row 9)",
    "latin1_undeclared": "ISO-8859-1 bytes without a charset (row 9)",
    "page_cycle": "every page is the first page (row 10)",
    "endless": "new datasets on every page, forever (row 10)",
    "empty": "a valid but empty catalogue (row 12)",
    "truncated": "only the first 40 % of the datasets (row 12)",
    "error_page2": "HTTP 500 from the second page on (row 18)",
    "bad_dates": "dates like 31.12.2020, 2018-05, R/P1D (row 20)",
    "many_resources": "one dataset with 3,000 resources and a 300,000-character description (row 21)",
    "html200": "an HTML maintenance page with status 200 (row 23)",
    "malformed_json": "truncated JSON (row 23)",
    "malformed_rdf": "broken RDF/XML (row 23)",
    "status_429_once": "the first request gets 429 with Retry-After: 0",
    "status_503": "every request gets 503",
    "status_401": "every request gets 401 from a proxy in front of CKAN (publishing)",
    "validation_409": "package_create/update answer 409 with per-field errors (publishing)",
    "retry_after_garbage": "the first request gets 429 with an unreadable Retry-After header",
    "deep_json": "a search answer nested 100,000 levels deep",
}

DISTRICTS = ["Mitte", "Uentrop", "Rhynern", "Pelkum", "Herringen", "Bockum-Hövel", "Heessen"]
GROUPS = [("envi", "Umwelt"), ("tran", "Verkehr"), ("educ", "Bildung, Kultur und Sport"),
          ("soci", "Bevölkerung und Gesellschaft"), ("econ", "Wirtschaft und Finanzen"),
          ("gove", "Regierung und öffentlicher Sektor"), ("tech", "Wissenschaft und Technologie"),
          ("regi", "Regionen und Städte"), ("heal", "Gesundheit")]
LICENCES = ["dl-by-de/2.0", "dl-zero-de/2.0", "CC0-1.0", "cc-by/4.0", "dl-de-by-2.0", "odc-odbl",
            "Stadt-Hamm-Sonderlizenz"]
FORMATS = [("csv", "text/csv"), ("CSV", None), ("JSON", "application/json"), ("GeoJSON", None),
           ("PDF", "application/pdf"), ("xlsx", None), ("WMS", None)]
# what a resource of each format is, as the city names its files at RVR
RESOURCE_LABELS = {"csv": "Datentabelle", "CSV": "Merkmalsbeschreibung", "JSON": "Daten für Anwendungen",
                   "GeoJSON": "Geodaten", "PDF": "Erläuterungen", "xlsx": "Tabelle",
                   "WMS": "Kartendienst"}
FORMAT_NAMES = {"GeoJSON": "GeoJSON", "xlsx": "Excel"}
ORG_ID = "6f1d2c3b-0000-4000-8000-00000000a001"
BASE_TIME = datetime.datetime(2024, 3, 1, 8, 0, 0)
FIRST_YEAR = 2023  # the newest complete year when the fake's records were last changed (March 2024)

Variant = tuple[str, str]  # (title, scope: where or when, as it reads inside a sentence)


def by_district(title: str, scope: str = "im Stadtbezirk {district}") -> list[Variant]:
    return [(title.format(district=d), scope.format(district=d)) for d in DISTRICTS]


def by_year(title: str, scope: str, count: int = 20) -> list[Variant]:
    years = range(FIRST_YEAR, FIRST_YEAR - count, -1)
    return [(title.format(year=y, next=str(y + 1)[2:]), scope.format(year=y, next=str(y + 1)[2:])) for y in years]


def by_quarter(title: str, scope: str, count: int = 20) -> list[Variant]:
    months = ["Januar bis März", "April bis Juni", "Juli bis September", "Oktober bis Dezember"]
    quarters = [(2024 - (n + 3) // 4, (-n) % 4) for n in range(count)]  # newest first: Q1 2024, Q4 2023 …
    return [(title.format(months=months[q], year=y), scope.format(months=months[q], year=y)) for y, q in quarters]


@dataclass(frozen=True)
class Topic:
    """How one kind of data is published: its DCAT-AP theme (the RVR group) and text."""

    name: str  # the topic, as the relevance benchmark judges searches by it
    group: str
    variants: list[Variant]  # the series, newest or first first
    contains: str  # what the data holds; "{scope}" is the variant's place or time
    updated: str  # how often it changes
    maintainer: str  # the office that keeps the data
    keeper: str  # the same with its article, as in "die Daten pflegt das Umweltamt" (names maintainer)
    tags: tuple[str, ...]


TOPIC_TABLE = [
    Topic("Öffentliche Toiletten", "regi",
          [("Öffentliche Toiletten im Stadtgebiet", "im Stadtgebiet"),
           ("Öffentliche Toiletten in der Innenstadt", "in der Innenstadt")]
          + by_year("Öffentliche Toiletten – Bestand {year}", "zum Jahresende {year}"),
          "Der Datensatz listet die öffentlichen Toiletten {scope} mit Adresse, Koordinaten, Öffnungszeiten und "
          "der Angabe, ob sie barrierefrei sind oder einen Euroschlüssel benötigen.",
          "Änderungen werden laufend eingepflegt, der Bestand wird einmal im Jahr vollständig überprüft.",
          "Immobilienmanagement", "das Immobilienmanagement",
          ("Öffentliche Toiletten", "WC", "Barrierefreiheit")),
    Topic("Straßenbäume", "envi",
          by_district("Straßenbäume im Stadtbezirk {district}")
          + by_year("Straßenbaumkataster {year}", "im gesamten Stadtgebiet zum Stand Dezember {year}"),
          "Das Straßenbaumkataster verzeichnet die Bäume an Straßen und Wegen {scope} mit Baumart, Pflanzjahr, "
          "Stammumfang, Kronendurchmesser und Lage.",
          "Die Daten werden nach jeder Baumkontrolle aktualisiert, mindestens zweimal im Jahr.",
          "Tiefbau- und Grünflächenamt", "das Tiefbau- und Grünflächenamt",
          ("Baumkataster", "Straßenbäume", "Stadtgrün", "Klimaanpassung")),
    Topic("Grünflächen", "envi",
          by_district("Öffentliche Grünflächen im Stadtbezirk {district}")
          + by_year("Grünflächenkataster {year}", "im gesamten Stadtgebiet zum Stand Dezember {year}"),
          "Enthalten sind Parkanlagen, Wiesen, Grünzüge und Straßenbegleitgrün {scope} als Flächen mit "
          "Nutzungsart, Größe in Quadratmetern und zuständigem Pflegebezirk.",
          "Das Kataster wird jährlich fortgeschrieben.",
          "Tiefbau- und Grünflächenamt", "das Tiefbau- und Grünflächenamt",
          ("Grünflächen", "Stadtgrün", "Freizeit & Erholung")),
    Topic("Parkplätze", "tran",
          [("Parkhäuser und Tiefgaragen in der Innenstadt", "in der Innenstadt"),
           ("Behindertenparkplätze im Stadtgebiet", "im Stadtgebiet")]
          + by_district("Öffentliche Parkplätze im Stadtbezirk {district}")
          + by_year("Parkplätze und Parkscheinautomaten – Stand {year}", "im Stadtgebiet zum Jahresende {year}"),
          "Erfasst sind öffentliche Parkplätze, Parkhäuser und Parkscheinautomaten {scope} mit Lage, Zahl der "
          "Stellplätze, Gebühren und Höchstparkdauer.",
          "Die Angaben werden vierteljährlich aktualisiert.",
          "Straßenverkehrsbehörde", "die Straßenverkehrsbehörde",
          ("Parken", "Parkplätze", "Verkehr")),
    Topic("Fahrradständer", "tran",
          by_district("Fahrradabstellanlagen im Stadtbezirk {district}")
          + by_year("Fahrradabstellanlagen – Bestand {year}", "im Stadtgebiet zum Jahresende {year}"),
          "Verzeichnet sind Fahrradständer, Fahrradboxen und überdachte Abstellanlagen {scope} mit Standort, "
          "Zahl der Stellplätze und Art der Anlage.",
          "Neue Anlagen werden monatlich nachgetragen.",
          "Stadtplanungsamt", "das Stadtplanungsamt mit der Radverkehrsplanung",
          ("Radverkehr", "Fahrradparken", "Mobilität")),
    Topic("Schulen", "educ",
          [("Standorte der Grundschulen", "in Hamm"),
           ("Standorte der weiterführenden Schulen", "in Hamm"),
           ("Förderschulen und Berufskollegs", "in Hamm")]
          + by_year("Schülerzahlen nach Schulform – Schuljahr {year}/{next}", "im Schuljahr {year}/{next}"),
          "Der Datensatz enthält die öffentlichen Schulen {scope} mit Schulform, Trägerschaft, Adresse und der "
          "Zahl der Schülerinnen und Schüler.",
          "Die Daten werden zu Beginn jedes Schuljahres aktualisiert.",
          "Schulverwaltungsamt", "das Schulverwaltungsamt",
          ("Schulen", "Bildung", "Schulentwicklungsplanung")),
    Topic("Kindertagesstätten", "educ",
          by_district("Kindertageseinrichtungen im Stadtbezirk {district}")
          + by_year("Betreuungsplätze in Kindertageseinrichtungen {year}/{next}", "im Kindergartenjahr {year}/{next}"),
          "Aufgeführt sind die Kindertageseinrichtungen {scope} mit Träger, Adresse, Öffnungszeiten und der Zahl "
          "der Plätze für Kinder unter und über drei Jahren.",
          "Die Übersicht wird zu Beginn jedes Kindergartenjahres im August aktualisiert.",
          "Jugendamt", "das Jugendamt",
          ("Kita", "Kindertagesstätten", "Kinderbetreuung", "U3")),
    Topic("Wahlergebnisse", "gove",
          [(f"{election}: {what}", "") for election, what in (
              ("Kommunalwahl 2020", "Ergebnisse der Ratswahl nach Stimmbezirken"),
              ("Kommunalwahl 2020", "Oberbürgermeisterwahl nach Stimmbezirken"),
              ("Kommunalwahl 2020", "Wahlen der Bezirksvertretungen"),
              ("Bundestagswahl 2021", "Erststimmen nach Wahlbezirken"),
              ("Bundestagswahl 2021", "Zweitstimmen nach Wahlbezirken"),
              ("Landtagswahl 2022", "Erststimmen nach Wahlbezirken"),
              ("Landtagswahl 2022", "Zweitstimmen nach Wahlbezirken"),
              ("Europawahl 2019", "Ergebnisse nach Wahlbezirken"),
              ("Bundestagswahl 2017", "Zweitstimmen nach Wahlbezirken"),
              ("Landtagswahl 2017", "Zweitstimmen nach Wahlbezirken"),
              ("Kommunalwahl 2014", "Ergebnisse der Ratswahl nach Stimmbezirken"))],
          "Die Wahlergebnisse nennen für jeden Wahl- und Stimmbezirk die Wahlberechtigten, die Wählerinnen und "
          "Wähler, die ungültigen Stimmen und die Stimmen für jede Partei oder Bewerbung.",
          "Die Daten werden nach der Feststellung des amtlichen Endergebnisses einmal veröffentlicht und danach "
          "nicht mehr geändert.",
          "Wahlamt", "das Wahlamt",
          ("Wahlen", "Wahlergebnisse", "Politik")),
    Topic("Bevölkerung nach Stadtbezirken", "soci",
          by_year("Bevölkerung nach Stadtbezirken {year}", "zum Stichtag 31.12.{year}"),
          "Die Tabelle zeigt die Einwohnerinnen und Einwohner mit Hauptwohnsitz je Stadtbezirk {scope}, "
          "gegliedert nach Geschlecht, Altersgruppen und Staatsangehörigkeit.",
          "Die Statistik wird jährlich im Frühjahr für den Stichtag des Vorjahres veröffentlicht.",
          "Statistikstelle", "die Statistikstelle",
          ("Bevölkerung", "Einwohner", "Statistik", "Stadtbezirke")),
    Topic("Haltestellen", "tran",
          by_district("Bushaltestellen im Stadtbezirk {district}")
          + by_year("Fahrplandaten des Busverkehrs (GTFS) {year}", "im Fahrplanjahr {year}"),
          "Enthalten sind die Haltestellen des Busverkehrs {scope} mit Name, Haltestellennummer, Lage, den "
          "Linien, die dort halten, und der Ausstattung wie Wetterschutz oder barrierefreiem Einstieg über Hochbord.",
          "Die Daten werden zu jedem Fahrplanwechsel aktualisiert.",
          "Stadtwerke Hamm GmbH", "die Stadtwerke Hamm GmbH",
          ("ÖPNV", "Bus", "Haltestellen", "Bus & Bahn")),
    Topic("Luftqualität", "envi",
          [("Luftqualität: Messstellen im Stadtgebiet", "im Stadtgebiet")]
          + by_year("Luftqualität: Stickstoffdioxid und Feinstaub {year}", "im Jahr {year}"),
          "Der Datensatz enthält Monats- und Jahresmittelwerte für Stickstoffdioxid und Feinstaub (PM10) an den "
          "Messstellen {scope}.",
          "Die Werte werden monatlich ergänzt und nach Abschluss des Jahres geprüft.",
          "Umweltamt", "das Umweltamt",
          ("Luftqualität", "Stickstoffdioxid", "Feinstaub", "Umwelt")),
    Topic("Lärmkarte", "envi",
          [(f"Lärmkarte {source} {year}", f"durch {article} {source} in der Kartierungsrunde {year}")
           for year in (2022, 2017, 2012)
           for source, article in (("Straßenverkehr", "den"), ("Schienenverkehr", "den"),
                                   ("Industrieanlagen", "die"))],
          "Die Lärmkarte zeigt die Lärmbelastung {scope} als Flächen gleicher Pegel für den ganzen Tag (LDEN) "
          "und für die Nacht (LNight), berechnet nach der EU-Umgebungslärmrichtlinie.",
          "Die Kartierung wird alle fünf Jahre wiederholt.",
          "Umweltamt", "das Umweltamt",
          ("Lärm", "Lärmkartierung", "Umgebungslärm")),
    Topic("Smarte Bänke", "tech",
          [("Smarte Bänke: Standorte", "an allen Standorten")]
          + by_year("Smarte Bänke: Sensordaten {year}", "im Jahr {year}", count=6),
          "Die solarbetriebenen Sitzbänke messen Temperatur, Luftfeuchte und die Nutzung ihrer Ladeanschlüsse; "
          "der Datensatz enthält Standorte und Messwerte {scope}.",
          "Die Messwerte werden stündlich übertragen und täglich als Datei bereitgestellt.",
          "Stabsstelle Digitalisierung", "die Stabsstelle Digitalisierung",
          ("Smarte Bänke", "Smart City", "Sensoren", "Internet der Dinge")),
    Topic("Gewerbeflächen", "econ",
          [("Gewerbegebiete im Stadtgebiet", "in allen Gewerbegebieten")]
          + by_year("Verfügbare Gewerbeflächen {year}", "zum Jahresende {year}"),
          "Aufgeführt sind gewerblich nutzbare Grundstücke {scope} mit Größe, Lage, planungsrechtlicher "
          "Einordnung und Ansprechperson für Unternehmen.",
          "Die Übersicht wird quartalsweise aktualisiert.",
          "Wirtschaftsförderung Hamm", "die Wirtschaftsförderung Hamm",
          ("Gewerbeflächen", "Wirtschaft", "Standortmarketing")),
    Topic("Sportstätten", "educ",
          by_district("Sportstätten im Stadtbezirk {district}")
          + by_year("Belegung der Sporthallen – Saison {year}/{next}", "in der Saison {year}/{next}"),
          "Erfasst sind Sporthallen, Sportplätze, Bäder und Bezirkssportanlagen {scope} mit Adresse, "
          "Ausstattung, Größe und Belegung durch Schulen und Vereine.",
          "Die Daten werden jährlich zur neuen Hallensaison überprüft.",
          "Sportamt", "das Sportamt",
          ("Sport", "Sportstätten", "Sporthallen", "Vereinssport")),
    Topic("Bibliotheken", "educ",
          [("Standorte und Öffnungszeiten der Stadtbüchereien", "an allen Standorten")]
          + by_year("Ausleihstatistik der Stadtbüchereien {year}", "im Jahr {year}"),
          "Der Datensatz beschreibt die Zentralbibliothek und die Stadtteilbüchereien mit Adressen und "
          "Öffnungszeiten sowie Medienbestand und Ausleihen nach Medienart {scope}.",
          "Die Statistik wird jährlich nach Abschluss des ersten Quartals veröffentlicht.",
          "Stadtbüchereien Hamm", "die Verwaltung der Stadtbüchereien Hamm",
          ("Bibliotheken", "Stadtbücherei", "Medien", "Lesen")),
    Topic("Friedhöfe", "regi",
          by_district("Friedhöfe im Stadtbezirk {district}")
          + by_year("Friedhofsflächen und Grabfelder {year}", "im Stadtgebiet zum Jahresende {year}"),
          "Verzeichnet sind die städtischen und kirchlichen Friedhöfe {scope} mit Lage, Fläche, Öffnungszeiten "
          "und den angebotenen Bestattungsarten.",
          "Die Angaben werden jährlich überprüft.",
          "Friedhofsverwaltung", "die Friedhofsverwaltung",
          ("Friedhöfe", "Bestattung", "Friedhofswesen")),
    Topic("Spielplätze", "soci",
          by_district("Spielplätze im Stadtbezirk {district}")
          + by_year("Spielplätze und Bolzplätze – Bestand {year}", "im Stadtgebiet zum Jahresende {year}"),
          "Der Datensatz enthält die öffentlichen Spielplätze, Bolzplätze und Skateanlagen {scope} mit Lage, "
          "Altersgruppe, Größe und Spielgeräten.",
          "Die Daten werden nach den regelmäßigen Sicherheitskontrollen vierteljährlich aktualisiert.",
          "Tiefbau- und Grünflächenamt", "das Tiefbau- und Grünflächenamt",
          ("Spielplätze", "Kinder & Jugend", "Freizeit")),
    Topic("Baustellen", "tran",
          by_quarter("Baustellen im Stadtgebiet, {months} {year}", "von {months} {year}"),
          "Aufgeführt sind die Straßenbaustellen {scope} mit Ort, Zeitraum, Art der Arbeiten, Sperrungen und "
          "ausgeschilderten Umleitungen.",
          "Die Liste wird werktäglich aktualisiert.",
          "Tiefbau- und Grünflächenamt", "das Tiefbau- und Grünflächenamt",
          ("Baustellen", "Verkehr", "Straßensperrungen")),
    Topic("Müllabfuhr-Termine", "envi",
          [(f"Müllabfuhr-Termine {year}: Stadtbezirk {d}", f"im Stadtbezirk {d} für das Jahr {year}")
           for year in range(FIRST_YEAR + 1, FIRST_YEAR - 2, -1) for d in DISTRICTS],
          "Der Abfuhrkalender nennt für jede Straße {scope} die Termine für Restmüll, Bioabfall, Altpapier und "
          "die Gelbe Tonne.",
          "Die Termine werden jährlich für das folgende Kalenderjahr veröffentlicht, Verschiebungen an "
          "Feiertagen sind eingearbeitet.",
          "Abfallwirtschaft und Stadtreinigung Hamm", "die Abfallwirtschaft und Stadtreinigung Hamm (ASH)",
          ("Abfall", "Müllabfuhr", "Abfuhrkalender", "Entsorgung")),
]
TOPICS = [t.name for t in TOPIC_TABLE]


def topic_of(index: int) -> Topic:
    return TOPIC_TABLE[index % len(TOPIC_TABLE)]


def title_and_scope(index: int) -> Variant:
    """The index-th record's place in its topic's series; past the end, numbered editions (any count)."""
    variants = topic_of(index).variants
    step = index // len(TOPIC_TABLE)
    title, scope = variants[step % len(variants)]
    if step >= len(variants):
        title = f"{title}, Ausgabe {step // len(variants) + 1}"
    return title, scope


def slugify(text: str) -> str:
    for umlaut, ascii_ in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.lower().replace(umlaut, ascii_)
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def make_dataset(index: int, org: str = "hamm") -> dict[str, Any]:
    """One RVR-shaped record of Hamm's catalogue at opendata.ruhr (the same for the same index)."""
    topic = topic_of(index)
    title, scope = title_and_scope(index)
    group = next(g for g in GROUPS if g[0] == topic.group)
    ident = str(uuid.uuid5(uuid.NAMESPACE_URL, f"https://opendata.ruhr/{org}/{index}"))
    slug = f"{slugify(title)[:80].strip('-')}-{index}"
    notes = " ".join([" ".join(topic.contains.format(scope=scope).split()), topic.updated,
                      f"Herausgeberin ist die Stadt Hamm, die Daten pflegt {topic.keeper}."])
    created = BASE_TIME + datetime.timedelta(hours=index)
    resources = []
    for r in range(1 + index % 6):
        fmt, mime = FORMATS[(index + r) % len(FORMATS)]
        label = RESOURCE_LABELS[fmt]
        resources.append({"id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{ident}/{r}")),
                          "name": f"{label} ({FORMAT_NAMES.get(fmt, fmt.upper())})", "format": fmt, "mimetype": mime,
                          "description": f"{label} zum Datensatz „{title}“.",
                          "url": f"https://opendata.ruhr/dataset/{ident}/resource/{r}/download/daten-{r}.{fmt.lower()}",
                          "url_type": None, "size": 1000 + r})
    return {
        "id": ident, "name": f"{org}-{slug}"[:100], "title": title, "notes": notes,
        "license_id": LICENCES[index % len(LICENCES)], "private": False, "state": "active", "type": "dataset",
        "author": "Stadt Hamm", "author_email": "opendata@stadt.hamm.de",
        "maintainer": topic.maintainer, "maintainer_email": "opendata@stadt.hamm.de",
        "url": f"https://www.hamm.de/daten/{slug}",
        "metadata_created": created.isoformat(), "metadata_modified": created.isoformat(),
        "owner_org": ORG_ID, "organization": {"id": ORG_ID, "name": org, "title": "Stadt Hamm"},
        "tags": [{"name": t, "display_name": t, "id": str(uuid.uuid5(uuid.NAMESPACE_URL, t)), "state": "active",
                  "vocabulary_id": None} for t in topic.tags],
        "groups": [{"name": group[0], "title": group[1], "display_name": group[1], "description": "",
                    "id": str(uuid.uuid5(uuid.NAMESPACE_URL, group[0])), "image_display_url": ""}],
        "resources": resources, "num_resources": len(resources), "extras": [],
    }


class FakeRVR:
    """Start with ``with FakeRVR(150) as rvr:``; ``rvr.url`` is the catalogue's base URL."""

    def __init__(self, count: int = 150, org: str = "hamm", rdf_page_size: int = 50, port: int = 0,
                 files: bool = False) -> None:
        self.org = org
        self.datasets: dict[str, dict[str, Any]] = {}
        self.server = ThreadingHTTPServer(("127.0.0.1", port), _handler(self))
        for index in range(count):
            dataset = make_dataset(index, org)
            if files:  # the demo: files served here, so previews work without internet
                for resource in dataset["resources"]:
                    resource["url"] = resource["url"].replace(PUBLIC_BASE, self.url, 1)
            self.datasets[dataset["id"]] = dataset
        self._fault: Optional[str] = None
        self.stall_seconds = 3.0
        self.rdf_page_size = rdf_page_size
        self.requests: list[str] = []
        self._429_sent = False
        # the write API for the publisher: only this token may write into organisation `org`
        self.token = "fake-rvr-token"
        self.writes: list[tuple[str, dict[str, Any]]] = []
        self.headers_seen: list[str] = []
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def fault(self) -> Optional[str]:
        return self._fault

    @fault.setter
    def fault(self, name: Optional[str]) -> None:
        if name is not None and name not in FAULTS:
            raise ValueError(f"unknown fault mode {name!r}; known: {', '.join(FAULTS)}")
        if name == "gzip_bomb":
            gzip_bomb()  # compress now, not while a client waits
        self._fault = name

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> "FakeRVR":
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.shutdown()
        self.server.server_close()

    # -- editing the remote catalogue ---------------------------------------------
    def ids(self) -> list[str]:
        return sorted(self.datasets)

    def edit(self, dataset_id: str, **changes: Any) -> None:
        dataset = self.datasets[dataset_id]
        dataset.update(changes)
        dataset["metadata_modified"] = datetime.datetime.utcnow().isoformat()

    def delete(self, dataset_id: str) -> None:
        del self.datasets[dataset_id]

    def add(self, dataset: dict[str, Any]) -> None:
        self.datasets[dataset["id"]] = dataset

    # -- the write API (package_create/update/delete), as a city's token sees it -------
    def write(self, action: str, payload: dict[str, Any], token: str) -> tuple[int, Optional[dict[str, Any]]]:
        if token != self.token:
            return 403, {"__type": "Authorization Error", "message": "Access denied"}
        if self.fault == "validation_409":
            return 409, {"__type": "Validation Error", "license_id": ["Lizenz unbekannt"],
                         "tags": [{"name": ["Tag zu lang"]}]}
        self.writes.append((action, payload))
        now = datetime.datetime.utcnow().isoformat()
        if action == "package_create":
            if any(d["name"] == payload.get("name") for d in self.datasets.values()):
                return 409, {"__type": "Validation Error", "name": ["That URL is already in use."]}
            dataset = dict(payload, id=str(uuid.uuid4()), state="active", metadata_created=now,
                           metadata_modified=now, organization={"id": ORG_ID, "name": self.org})
            self.datasets[dataset["id"]] = dataset
            return 200, dataset
        existing = self.datasets.get(payload.get("id", ""))
        if existing is None:
            return 404, {"__type": "Not Found Error", "message": "Not found"}
        if action == "package_delete":
            existing.update(state="deleted", metadata_modified=now)
            return 200, None
        existing.update(payload, metadata_modified=now)
        return 200, existing

    # -- answers ------------------------------------------------------------------
    def visible(self) -> list[dict[str, Any]]:
        items = [self.datasets[i] for i in sorted(self.datasets)]
        if self.fault == "truncated":
            items = items[: int(len(items) * 0.4)]
        if self.fault == "empty":
            items = []
        if self.fault == "bad_dates":
            dates = ["31.12.2020", "2018-05", "R/P1D", "gestern"]
            items = [dict(d, metadata_created=dates[n % 4]) for n, d in enumerate(items)]
        if self.fault == "many_resources" and items:
            first = dict(items[0], notes="Lorem ipsum äöü " * 20_000)
            first["resources"] = [dict(first["resources"][0], id=f"r{n}", url=f"https://opendata.ruhr/r/{n}.csv")
                                  for n in range(3000)]
            items[0] = first
        return items

    def search(self, query: dict[str, list[str]]) -> dict[str, Any]:
        fq = query.get("fq", [""])[0]
        rows = min(int(query.get("rows", ["10"])[0]), 1000)
        start = int(query.get("start", ["0"])[0])
        items = self.visible()
        orgs = re.search(r"organization:\(?([^)\s]+(?:\s+OR\s+[^)\s]+)*)\)?", fq)
        if orgs:
            wanted = set(orgs.group(1).split(" OR "))
            items = [d for d in items if d["organization"]["name"] in wanted]
        since = re.search(r"metadata_modified:\[(\S+) TO \*\]", fq)
        if since:
            limit = since.group(1).rstrip("Z")
            items = [d for d in items if d["metadata_modified"] >= limit]
        if self.fault == "page_cycle":
            start = 0
        if self.fault == "endless":
            page = [make_dataset(100_000 + start + n, self.org) for n in range(rows)]
            return {"count": 10**9, "results": page}
        return {"count": len(items), "results": items[start:start + rows]}

    def catalog_rdf(self, page: int) -> str:
        items = self.visible()
        size = self.rdf_page_size
        chunk = items[(page - 1) * size: page * size]
        last = max(1, -(-len(items) // size))
        next_url = f"{self.url}/catalog.rdf?page={page + 1}" if page < last else ""
        if self.fault == "next_foreign":
            next_url = "http://evil.example.org/catalog.rdf?page=2"
        return rdf_document(chunk, page, next_url, self.url)


def rdf_document(datasets: list[dict[str, Any]], page: int, next_url: str, base: str) -> str:
    parts = ['<?xml version="1.0" encoding="utf-8"?>',
             '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
             'xmlns:dcat="http://www.w3.org/ns/dcat#" xmlns:dct="http://purl.org/dc/terms/" '
             'xmlns:hydra="http://www.w3.org/ns/hydra/core#">',
             f'<hydra:PagedCollection rdf:about="{escape(base)}/catalog.rdf?page={page}">']
    if next_url:
        parts.append(f'<hydra:next>{escape(next_url)}</hydra:next>')
    parts.append('</hydra:PagedCollection><dcat:Catalog rdf:about="https://opendata.ruhr/">')
    for d in datasets:
        uri = f"https://opendata.ruhr/dataset/{d['id']}"
        theme = d["groups"][0]["name"].upper() if d["groups"] else "GOVE"
        parts.append(f'<dcat:dataset><dcat:Dataset rdf:about="{escape(uri)}">'
                     f'<dct:title>{escape(d["title"])}</dct:title>'
                     f'<dct:description>{escape(d["notes"])}</dct:description>'
                     f'<dct:identifier>{escape(d["id"])}</dct:identifier>'
                     f'<dct:modified>{escape(d["metadata_modified"])}</dct:modified>'
                     f'<dcat:theme rdf:resource="http://publications.europa.eu/resource/authority/data-theme/{theme}"/>')
        for tag in d["tags"]:
            parts.append(f'<dcat:keyword>{escape(tag["name"])}</dcat:keyword>')
        for r in d["resources"][:3]:
            parts.append(f'<dcat:distribution><dcat:Distribution><dct:title>{escape(r["name"])}</dct:title>'
                         f'<dcat:accessURL rdf:resource="{escape(r["url"])}"/>'
                         f'<dct:format>{escape(r["format"])}</dct:format>'
                         f'<dct:license rdf:resource="http://dcat-ap.de/def/licenses/dl-by-de/2.0"/>'
                         f'</dcat:Distribution></dcat:distribution>')
        parts.append('</dcat:Dataset></dcat:dataset>')
    parts.append('</dcat:Catalog></rdf:RDF>')
    return "".join(parts)


XXE = ('<?xml version="1.0"?><!DOCTYPE rdf:RDF [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
       '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:dct="http://purl.org/dc/terms/">'
       '<rdf:Description rdf:about="urn:x"><dct:title>&xxe;</dct:title></rdf:Description></rdf:RDF>')
LAUGHS = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
          + "".join(f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">' for n in range(1, 10))
          + ']><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">&lol9;</rdf:RDF>')
GZIP_BOMB: list[bytes] = []  # compressed once: 60 MB of spaces in ~60 KB


def gzip_bomb() -> bytes:
    if not GZIP_BOMB:
        GZIP_BOMB.append(gzip.compress(b" " * 60_000_000, 9))
    return GZIP_BOMB[0]


PUBLIC_BASE = "https://opendata.ruhr"
FILE_PATH = re.compile(r"^/dataset/(?P<dataset>[0-9a-f-]{36})/resource/(?P<number>\d+)/download/daten-\d+\.\w+$")
# Where the Stadtbezirke are (their centres, roughly), for the records' tables and maps.
CENTRES = {"Mitte": (7.8160, 51.6806), "Uentrop": (7.9000, 51.6650), "Rhynern": (7.8500, 51.6300),
           "Pelkum": (7.7300, 51.6450), "Herringen": (7.7400, 51.6700), "Bockum-Hövel": (7.7400, 51.6950),
           "Heessen": (7.8500, 51.7100)}


def district_rows(dataset: dict[str, Any]) -> list[dict[str, Any]]:
    """A small table per record: one row per Stadtbezirk, figures derived from its id."""
    seed = int(dataset["id"].replace("-", "")[:8], 16)
    return [{"stadtbezirk": name, "anzahl": 20 + (seed >> (n * 3)) % 180,
             "anteil_prozent": round(((seed >> n) % 400) / 10, 1), "stand": "2023-12-31"}
            for n, name in enumerate(DISTRICTS)]


def resource_file(dataset: dict[str, Any], number: int) -> Optional[tuple[bytes, str]]:
    """(body, content type) of a record's file in its format, or None."""
    if number >= len(dataset["resources"]):
        return None
    fmt = dataset["resources"][number]["format"].lower()
    rows = district_rows(dataset)
    if fmt == "csv":
        lines = [",".join(rows[0])] + [",".join(str(v) for v in row.values()) for row in rows]
        return ("\n".join(lines) + "\n").encode("utf-8"), "text/csv; charset=utf-8"
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False).encode("utf-8"), "application/json"
    if fmt == "geojson":
        features = [{"type": "Feature", "properties": row,
                     "geometry": {"type": "Point", "coordinates": list(CENTRES[row["stadtbezirk"]])}}
                    for row in rows]
        return (json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False).encode("utf-8"),
                "application/geo+json")
    if fmt == "xlsx":
        return xlsx(rows), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return None


# The city's own files of the demo datasets (content.yaml links them at www.hamm.de).
CITY_FILES = Path(__file__).with_name("files") / "stadt"
CITY_TYPES = {".csv": "text/csv; charset=utf-8", ".geojson": "application/geo+json",
              ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def city_file(name: str) -> Optional[tuple[bytes, str]]:
    """(body, content type) of a file of ``files/stadt``; an .xlsx is made from its .csv."""
    stem, dot, suffix = name.rpartition(".")
    if not dot or f".{suffix}" not in CITY_TYPES or not re.fullmatch(r"[a-z0-9-]+", stem):
        return None
    source = CITY_FILES / (f"{stem}.csv" if suffix == "xlsx" else name)
    if not source.is_file():
        return None
    if suffix == "xlsx":
        with source.open(encoding="utf-8", newline="") as stream:
            table = [{key: number(value) for key, value in row.items()} for row in csv.DictReader(stream)]
        return xlsx(table), CITY_TYPES[".xlsx"]
    return source.read_bytes(), CITY_TYPES[f".{suffix}"]


def number(text: str) -> Any:
    """A spreadsheet cell holds numbers as numbers."""
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def xlsx(rows: list[dict[str, Any]]) -> bytes:
    import io

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(list(rows[0]))
    for row in rows:
        sheet.append(list(row.values()))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


HTML_PAGE = "<!DOCTYPE html><html><head><title>Wartung</title></head><body>Wartungsarbeiten</body></html>"


def _handler(rvr: FakeRVR) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:
            pass

        def send(self, status: int, body: bytes, content_type: str, headers: Optional[dict] = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            if rvr.fault == "trickle":
                self.send_header("Connection", "close")
                self.end_headers()
                for byte in body[:200]:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    time.sleep(0.05)
                return
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            rvr.requests.append(self.path)
            parts = urlsplit(self.path)
            query = parse_qs(parts.query)
            if self.fault_answer(parts.path):
                return
            if parts.path == "/api/3/action/package_search":
                self.send_json({"help": "", "success": True, "result": rvr.search(query)})
            elif parts.path == "/api/3/action/package_show":
                dataset = rvr.datasets.get(query.get("id", [""])[0])
                self.send_json({"success": bool(dataset), "result": dataset}, 200 if dataset else 404)
            elif parts.path == "/api/3/action/organization_show":
                self.send_json({"success": True, "result": {"id": ORG_ID, "name": rvr.org}})
            elif parts.path == "/api/3/action/organization_list_for_user":
                allowed = self.headers.get("Authorization") == rvr.token
                self.send_json({"success": True, "result": [{"id": ORG_ID, "name": rvr.org}] if allowed else []})
            elif parts.path == "/api/3/action/group_list_authz":
                self.send_json({"success": True, "result": [{"name": name} for name, _ in GROUPS]})
            elif parts.path == "/catalog.rdf":
                page = int(query.get("page", ["1"])[0])
                self.send(200, rvr.catalog_rdf(page).encode("utf-8"), "application/rdf+xml; charset=utf-8")
            elif FILE_PATH.match(parts.path):
                self.send_file(parts.path)
            elif parts.path.startswith("/stadt/"):
                made = city_file(parts.path.rsplit("/", 1)[-1])
                if made:
                    self.send(200, *made)
                else:
                    self.send(404, b"not found", "text/plain")
            else:
                self.send(404, b"not found", "text/plain")

        def do_POST(self) -> None:
            rvr.requests.append(self.path)
            rvr.headers_seen.append(str(self.headers))
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            path = urlsplit(self.path).path
            if self.fault_answer(path):
                return
            action = path.rsplit("/", 1)[-1]
            if action not in ("package_create", "package_update", "package_delete"):
                self.send(404, b"not found", "text/plain")
                return
            status, result = rvr.write(action, json.loads(body or b"{}"), self.headers.get("Authorization", ""))
            ok = status == 200
            self.send_json({"success": ok, **({"result": result} if ok else {"error": result})}, status)

        def send_file(self, path: str) -> None:
            """A resource's file, the same for the same path (demo previews)."""
            match = FILE_PATH.match(path)
            assert match is not None
            dataset = rvr.datasets.get(match["dataset"])
            made = resource_file(dataset, int(match["number"])) if dataset else None
            if made is None:
                self.send(404, b"not found", "text/plain")
            else:
                self.send(200, *made)

        def send_json(self, payload: Any, status: int = 200) -> None:
            text = json.dumps(payload, ensure_ascii=False)
            if rvr.fault == "latin1":
                self.send(status, text.encode("iso-8859-1", "replace"), "application/json; charset=ISO-8859-1")
            elif rvr.fault == "latin1_undeclared":
                self.send(status, text.encode("iso-8859-1", "replace"), "application/json")
            else:
                self.send(status, text.encode("utf-8"), "application/json; charset=utf-8")

        def fault_answer(self, path: str) -> bool:
            fault = rvr.fault
            redirects = {"redirect_private": "http://10.1.2.3/api/3/action/package_search",
                         "redirect_metadata": "http://169.254.169.254/latest/meta-data/",
                         "redirect_foreign": "https://evil.example.com/api/3/action/package_search"}
            if fault in redirects:
                self.send(302, b"", "text/plain", {"Location": redirects[fault]})
            elif fault == "stall":
                time.sleep(rvr.stall_seconds)
                return False
            elif fault == "status_401":
                self.send(401, b"<html><body>401 Authorization Required</body></html>", "text/html")
            elif fault == "status_503":
                self.send(503, b"busy", "text/plain", {"Retry-After": "0"})
            elif fault in ("status_429_once", "retry_after_garbage") and not rvr._429_sent:
                rvr._429_sent = True
                wait = "0" if fault == "status_429_once" else "bald, vielleicht"
                self.send(429, b"slow down", "text/plain", {"Retry-After": wait})
            elif fault == "deep_json" and path.startswith("/api/"):
                self.send(200, b'{"success": true, "result": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
                          "application/json")
            elif fault == "html200":
                self.send(200, HTML_PAGE.encode(), "text/html; charset=utf-8")
            elif fault == "malformed_json" and path.startswith("/api/"):
                self.send(200, b'{"success": true, "result": {"count": 3, "resu', "application/json")
            elif fault == "malformed_rdf" and path == "/catalog.rdf":
                self.send(200, b'<?xml version="1.0"?><rdf:RDF xmlns:rdf="x"><unclosed>', "application/rdf+xml")
            elif fault == "xxe" and path == "/catalog.rdf":
                self.send(200, XXE.encode(), "application/rdf+xml")
            elif fault == "billion_laughs" and path == "/catalog.rdf":
                self.send(200, LAUGHS.encode(), "application/rdf+xml")
            elif fault == "jsonld_remote_context" and path == "/catalog.rdf":
                doc = {"@context": "http://evil.example.org/context.jsonld", "@id": "urn:x", "title": "x"}
                self.send(200, json.dumps(doc).encode(), "application/ld+json")
            elif fault == "huge" and path.startswith("/api/"):
                self.send(200, b'{"success": true, "result": {"results": [], "pad": "' + b"x" * 3_000_000 + b'"}}',
                          "application/json")
            elif fault == "gzip_bomb" and path.startswith("/api/"):
                self.send(200, gzip_bomb(), "application/json", {"Content-Encoding": "gzip"})
            elif fault == "error_page2" and "start=0" not in self.path and path.startswith("/api/"):
                self.send(500, b"Internal Server Error", "text/plain")
            else:
                return False
            return True

    return Handler


def main(argv: Optional[list[str]] = None) -> None:
    """``python -m ckanext.hamm.demo.fake_rvr [--port N]``: serve until Ctrl-C or SIGTERM.

    The demo's process set runs it on a fixed port, so "Neu ernten" of the demo source works
    after seeding; the records are the same as those the seed harvested (generated by index).
    """
    import argparse
    import signal

    parser = argparse.ArgumentParser(prog="python -m ckanext.hamm.demo.fake_rvr")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--count", type=int, default=150)
    args = parser.parse_args(argv)

    def stop(signum: int, frame: Any) -> None:  # honcho and `make stop` end it with SIGTERM
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    with FakeRVR(args.count, port=args.port, files=True) as fake:
        print(f"fake RVR on {fake.url} ({len(fake.datasets)} datasets)", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
