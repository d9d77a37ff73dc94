"""Realistic Hamm datasets, bulk-inserted straight into CKAN's tables.

The benchmark must measure searching, not creating: going through
``package_create`` costs ~50 ms a dataset, so rows are generated in memory and
written with one multi-row INSERT per table and batch. Indexing then goes
through CKAN's own ``search.rebuild`` so the index rows are exactly what the
portal would write.
"""
from __future__ import annotations

import datetime as dt
import json
import random
import uuid
from typing import Any, Iterator

from psycopg2.extras import execute_values

TOPICS = [
    ("Baumkataster", "Standorte und Arten der Stadtbäume", ["Bäume", "Stadtgrün"]),
    ("Verkehrszählungen", "Zählungen des Kraftfahrzeugverkehrs an Knotenpunkten", ["Verkehr", "Mobilität"]),
    ("Radverkehrszählung", "Radfahrende an Dauerzählstellen", ["Radverkehr", "Mobilität"]),
    ("Straßenverzeichnis", "Alle gewidmeten Straßen mit Schlüssel", ["Straßen", "Adressen"]),
    ("Grünflächen", "Parks, Grünanlagen und Spielplätze", ["Stadtgrün", "Freizeit"]),
    ("Luftqualität", "Messwerte von Stickstoffdioxid und Feinstaub", ["Umwelt", "Luft"]),
    ("Ladesäulen", "Öffentliche Ladepunkte für Elektrofahrzeuge", ["Elektromobilität", "Energie"]),
    ("Bevölkerungsstand", "Einwohnerinnen und Einwohner nach Alter und Geschlecht", ["Bevölkerung", "Statistik"]),
    ("Wahlergebnisse", "Stimmen je Wahlbezirk und Partei", ["Wahlen", "Politik"]),
    ("Haushaltsplan", "Erträge und Aufwendungen der Produktbereiche", ["Finanzen", "Haushalt"]),
    ("Kindertageseinrichtungen", "Kitas mit Trägern und Plätzen", ["Kinder", "Bildung"]),
    ("Schulen", "Allgemeinbildende Schulen mit Schülerzahlen", ["Bildung", "Schulen"]),
    ("Hitzeaktionsplan", "Kühle Orte und Trinkbrunnen bei Hitze", ["Hitze", "Klimaanpassung"]),
    ("Bebauungspläne", "Rechtskräftige Bebauungspläne mit Geltungsbereich", ["Bauleitplanung", "Geodaten"]),
    ("Parkhäuser", "Belegung der Parkhäuser in der Innenstadt", ["Parken", "Mobilität"]),
    ("Abfallkalender", "Abfuhrtermine nach Straßen", ["Abfall", "Entsorgung"]),
    ("Lärmkartierung", "Straßenlärm und Schienenlärm nach EU-Umgebungslärmrichtlinie", ["Lärm", "Umwelt"]),
    ("Hochwassergefahrenkarten", "Überschwemmungsgebiete an Lippe und Ahse", ["Wasser", "Klimaanpassung"]),
    ("Sportstätten", "Sporthallen, Sportplätze und Bäder", ["Sport", "Freizeit"]),
    ("Solarpotenzial", "Eignung der Dachflächen für Photovoltaik", ["Energie", "Klimaschutz"]),
]
DISTRICTS = ["Hamm-Mitte", "Uentrop", "Rhynern", "Pelkum", "Herringen", "Bockum-Hövel", "Heessen"]
EXTRA_TAGS = ["Open Data", "Karte", "Zeitreihe", "Echtzeit", "Stadtbezirk", "Jahresbericht", "Geodaten",
              "Tabelle", "Verwaltung", "Bürgerservice", "Klima", "Gesundheit", "Tourismus", "Wirtschaft"]
FORMATS = ["CSV", "JSON", "GeoJSON", "PDF", "XLSX", "WMS", "SHP", "XML"]
LICENSES = ["dl-by-de/2.0", "dl-zero-de/2.0", "cc-by/4.0", "cc-zero", "odbl"]
HANDLUNGSFELDER = ["strategie-und-kommunikation", "digitale-verwaltung", "digitale-bildung", "umwelt",
                   "mobilitaet", "digitale-infrastruktur", "digitale-wirtschaft", "soziales"]
ORGANIZATIONS = [f"amt-{i:02d}" for i in range(20)]
GROUPS = ["umwelt", "verkehr", "bildung", "soziales", "wirtschaft", "verwaltung", "geodaten", "freizeit"]
VOCABULARY = "handlungsfeld"
BATCH = 2000


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _groups(cursor, rng: random.Random) -> tuple[dict[str, str], dict[str, str]]:
    now = dt.datetime(2024, 1, 1)
    orgs = {name: _uuid(rng) for name in ORGANIZATIONS}
    groups = {name: _uuid(rng) for name in GROUPS}
    rows = [(gid, name, f"Amt {name[-2:]}", "", now, "active", "organization", "approved", "", True, "{}")
            for name, gid in orgs.items()]
    rows += [(gid, name, name.title(), "", now, "active", "group", "approved", "", False, "{}")
             for name, gid in groups.items()]
    execute_values(cursor, 'INSERT INTO "group" (id, name, title, description, created, state, type, '
                           "approval_status, image_url, is_organization, extras) VALUES %s", rows)
    return orgs, groups


def _tags(cursor, rng: random.Random) -> tuple[dict[str, str], dict[str, str]]:
    vocab_id = _uuid(rng)
    cursor.execute("INSERT INTO vocabulary (id, name) VALUES (%s, %s)", (vocab_id, VOCABULARY))
    free = sorted({t for _, _, tags in TOPICS for t in tags} | set(EXTRA_TAGS))
    free_ids = {name: _uuid(rng) for name in free}
    vocab_ids = {name: _uuid(rng) for name in HANDLUNGSFELDER}
    rows = [(tid, name, None) for name, tid in free_ids.items()]
    rows += [(tid, name, vocab_id) for name, tid in vocab_ids.items()]
    execute_values(cursor, "INSERT INTO tag (id, name, vocabulary_id) VALUES %s", rows)
    return free_ids, vocab_ids


def _dataset(i: int, rng: random.Random, orgs: dict[str, str]) -> dict[str, Any]:
    title, description, topic_tags = TOPICS[i % len(TOPICS)]
    district = DISTRICTS[rng.randrange(len(DISTRICTS))]
    year = 2010 + rng.randrange(16)
    created = dt.datetime(2020, 1, 1) + dt.timedelta(minutes=rng.randrange(5 * 365 * 24 * 60))
    roll = rng.random()
    return {
        "id": _uuid(rng), "name": f"ds-{i:06d}", "title": f"{title} {district} {year}",
        "notes": f"{description} im Stadtbezirk {district} für das Jahr {year}. "
                 f"Die Daten werden von der Stadt Hamm als Open Data bereitgestellt. " * 3,
        "state": "deleted" if roll < 0.01 else "draft" if roll < 0.03 else "active",
        "private": rng.random() < 0.05,
        "license_id": rng.choice(LICENSES), "owner_org": orgs[rng.choice(ORGANIZATIONS)],
        "created": created, "modified": created + dt.timedelta(days=rng.randrange(400)),
        "tags": sorted(set(topic_tags + rng.sample(EXTRA_TAGS, rng.randrange(1, 4)))),
        "felder": rng.sample(HANDLUNGSFELDER, rng.randrange(1, 3)),
        "groups": rng.sample(GROUPS, rng.randrange(0, 3)),
        "formats": rng.sample(FORMATS, rng.randrange(1, 4)), "title_plain": title, "year": year,
    }


def _rows(data: dict[str, Any], rng: random.Random, tags, vocab, groups) -> Iterator[tuple[str, tuple]]:
    yield "package", (data["id"], data["name"], data["title"], "", "", data["notes"], "Stadt Hamm",
                      "opendata@stadt.hamm.de", "", "", data["state"], data["license_id"], "dataset",
                      data["owner_org"], data["private"], data["modified"], None, data["created"], "{}",
                      json.dumps({"spatial_text": "Hamm"}))
    for position, fmt in enumerate(data["formats"]):
        yield "resource", (_uuid(rng), f"https://www.hamm.de/opendata/{data['name']}-{position}.{fmt.lower()}",
                           fmt, f"{data['title_plain']} {data['year']} als {fmt}", position, "", "active", "{}",
                           f"{data['title_plain']} ({fmt})", None, data["created"], data["id"], data["modified"])
    for name in data["tags"]:
        yield "package_tag", (_uuid(rng), "active", data["id"], tags[name])
    for name in data["felder"]:
        yield "package_tag", (_uuid(rng), "active", data["id"], vocab[name])
    for name in data["groups"]:
        yield "member", (_uuid(rng), groups[name], data["id"], "active", "package", "public")


_INSERTS = {
    "package": "INSERT INTO package (id, name, title, version, url, notes, author, author_email, maintainer, "
               "maintainer_email, state, license_id, type, owner_org, private, metadata_modified, "
               "creator_user_id, metadata_created, plugin_data, extras) VALUES %s",
    "resource": "INSERT INTO resource (id, url, format, description, position, hash, state, extras, name, "
                "resource_type, created, package_id, metadata_modified) VALUES %s",
    "package_tag": "INSERT INTO package_tag (id, state, package_id, tag_id) VALUES %s",
    "member": "INSERT INTO member (id, group_id, table_id, state, table_name, capacity) VALUES %s",
}


def load(connection, count: int, seed: int = 4) -> None:
    """Insert ``count`` datasets (and their orgs, groups, tags, resources) in one transaction."""
    rng = random.Random(seed)
    cursor = connection.cursor()
    orgs, groups = _groups(cursor, rng)
    tags, vocab = _tags(cursor, rng)
    pending: dict[str, list[tuple]] = {name: [] for name in _INSERTS}
    for i in range(count):
        for table, row in _rows(_dataset(i, rng, orgs), rng, tags, vocab, groups):
            pending[table].append(row)
        if (i + 1) % BATCH == 0 or i + 1 == count:
            for table, rows in pending.items():
                if rows:
                    execute_values(cursor, _INSERTS[table], rows, page_size=1000)
                    rows.clear()
    connection.commit()
