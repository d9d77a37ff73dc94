"""Upgrade drill (issue 30): a database of release 0.1.0 upgrades to today's schema with nothing lost.

Release 0.1.0 (CHANGELOG, 2026-12-04) is commit 0b2d315, the last before its section was
written; it ran the same CKAN 2.12.0 and left the plugins' migrations at the revisions below.
A fresh database is made at those revisions with our own migrations, filled with the rows a
0.1.0 portal held (datasets without the later inventory fields, data requests, votes, reports
open and closed), upgraded to head, and then read through today's API after a rebuild.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import psycopg2
import pytest
from alembic import command
from alembic.config import Config

from tests.drills.support import REPO, clean_env, fresh_databases, listings, portal_ini, start_listings
from tests.support.portal import PLUGINS

RELEASE_0_1_0 = {"hamm": "b4d82f61c9a0", "hamm_search": "7c3e91a4d5f2"}
MIGRATIONS = REPO / "ckanext" / "hamm" / "migration"
SYSADMIN = "stadt-admin"
WHEN = dt.datetime(2026, 12, 1, 9, 30)
ORG = "00000000-0000-4000-8000-00000000000a"
USER = "00000000-0000-4000-8000-00000000000b"
EXTRAS = {"handlungsfeld": '["mobilitaet"]', "zielgruppe": '["buergerinnen"]', "persona": "[]", "theme": "[]",
          "contact": '[{"name": "Tiefbauamt", "email": "tiefbau@hamm.example"}]',
          "publisher": '[{"name": "Stadt Hamm", "url": "https://www.hamm.de/"}]'}
DATASETS = [  # id, name, title, private, state
    ("00000000-0000-4000-8000-000000000001", "radverkehrszaehlung", "Radverkehrszählung", False, "active"),
    ("00000000-0000-4000-8000-000000000002", "baustellenplanung", "Baustellenplanung (intern)", True, "active"),
    ("00000000-0000-4000-8000-000000000003", "altes-verzeichnis", "Altes Verzeichnis", False, "deleted"),
]
REQUESTS = [  # id, title, status, dataset
    ("00000000-0000-4000-8000-0000000000d1", "Parkhausbelegung", "neu", None),
    ("00000000-0000-4000-8000-0000000000d2", "Radzählstellen", "veroeffentlicht", DATASETS[0][0]),
]
REPORTS = [("00000000-0000-4000-8000-0000000000e1", "open"), ("00000000-0000-4000-8000-0000000000e2", "closed")]


def migrate(url: str, plugin: str, revision: str) -> None:
    """Our plugin's own migrations, as `ckan db upgrade -p <plugin>` runs them."""
    config = Config(str(MIGRATIONS / plugin / "alembic.ini"))
    config.set_main_option("script_location", str(MIGRATIONS / plugin))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    command.upgrade(config, revision)


def core_schema(url: str) -> None:
    """CKAN's own tables at head, in a process of its own (CKAN's env.py re-binds the model)."""
    code = ("import sys, ckan.migration as m, os; from alembic import command; from alembic.config import Config; "
            "d = os.path.dirname(m.__file__); c = Config(os.path.join(d, 'alembic.ini')); "
            "c.set_main_option('script_location', d); c.set_main_option('sqlalchemy.url', sys.argv[1].replace('%', '%%')); "
            "command.upgrade(c, 'head')")
    done = subprocess.run([sys.executable, "-c", code, url], env=clean_env(), capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]


def seed_0_1_0(cursor: Any) -> None:
    """What a 0.1.0 portal wrote: CKAN's rows and the 0.1.0 columns of the plugin tables."""
    cursor.execute('INSERT INTO "user" (id, name, email, sysadmin, state, created) VALUES (%s, %s, %s, true, '
                   "'active', %s)", (USER, SYSADMIN, "admin@hamm.example", WHEN))
    cursor.execute('INSERT INTO "group" (id, name, title, type, is_organization, state, approval_status, created) '
                   "VALUES (%s, 'tiefbauamt', 'Tiefbauamt', 'organization', true, 'active', 'approved', %s)",
                   (ORG, WHEN))
    cursor.execute("INSERT INTO member (id, table_id, group_id, table_name, capacity, state) "
                   "VALUES ('m1', %s, %s, 'user', 'admin', 'active')", (USER, ORG))
    for number, (pid, name, title, private, state) in enumerate(DATASETS):
        cursor.execute("INSERT INTO package (id, name, title, notes, state, license_id, type, owner_org, private, "
                       "metadata_created, metadata_modified, creator_user_id, extras) "
                       "VALUES (%s, %s, %s, %s, %s, 'dl-by-de/2.0', 'dataset', %s, %s, %s, %s, %s, %s)",
                       (pid, name, title, f"Beschreibung von {title}", state, ORG, private, WHEN, WHEN, USER,
                        json.dumps(EXTRAS)))
        cursor.execute("INSERT INTO resource (id, package_id, url, format, name, position, state, created) "
                       "VALUES (%s, %s, %s, 'CSV', 'Daten', 0, 'active', %s)",
                       (f"r{number}", pid, f"https://www.hamm.de/daten/{name}.csv", WHEN))
    for rid, title, status, dataset in REQUESTS:
        cursor.execute("INSERT INTO hamm_datarequest (id, title, description, handlungsfeld, zielgruppe, status, "
                       "dataset_id, owner_org, email, vote_count, created, modified) "
                       "VALUES (%s, %s, 'Bitte veröffentlichen', 'mobilitaet', 'buergerinnen', %s, %s, %s, "
                       "'anna@example.org', 1, %s, %s)", (rid, title, status, dataset, ORG, WHEN, WHEN))
        cursor.execute("INSERT INTO hamm_datarequest_vote (id, datarequest_id, voter, client, created) "
                       "VALUES (%s, %s, 'v', 'c', %s)", (f"vote-{rid}", rid, WHEN))
    for report_id, state in REPORTS:
        cursor.execute("INSERT INTO hamm_report (id, package_id, owner_org, category, message, email, state, created) "
                       "VALUES (%s, %s, %s, 'link', 'Der Download liefert einen Fehler 404.', 'leser@example.org', "
                       "%s, %s)", (report_id, DATASETS[0][0], ORG, state, WHEN))


KEPT = ("user", "group", "member", "package", "resource", "hamm_datarequest", "hamm_datarequest_vote", "hamm_report")


def snapshot(cursor: Any) -> dict[str, dict[str, dict[str, Any]]]:
    """Every row of the tables 0.1.0 wrote, by id."""
    rows = {}
    for table in KEPT:
        cursor.execute(f'SELECT * FROM "{table}"')
        names = [column.name for column in cursor.description]
        rows[table] = {row[names.index("id")]: dict(zip(names, row, strict=True)) for row in cursor.fetchall()}
    return rows


@pytest.fixture(scope="module")
def upgraded(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    test_db = urlsplit(os.environ["CKAN_SQLALCHEMY_URL"]).path.lstrip("/")
    database, datastore = fresh_databases(f"{test_db}_upgrade")
    core_schema(database)
    for plugin, revision in RELEASE_0_1_0.items():
        migrate(database, plugin, revision)
    with psycopg2.connect(database) as connection, connection.cursor() as cursor:
        seed_0_1_0(cursor)
    with psycopg2.connect(database) as connection, connection.cursor() as cursor:
        before = snapshot(cursor)
    for plugin in RELEASE_0_1_0:
        migrate(database, plugin, "head")
    with psycopg2.connect(database) as connection, connection.cursor() as cursor:
        after = snapshot(cursor)
    config = {"ckan.site_url": "http://test.ckan.net", "ckan.site_id": "test.ckan.net"}
    ini = portal_ini(Path(tmp_path_factory.mktemp("upgrade")), database, datastore, config, plugins=PLUGINS)
    return {"before": before, "after": after, "api": listings(start_listings(ini, SYSADMIN, "--rebuild"))}


def test_every_row_of_0_1_0_is_kept(upgraded: dict[str, Any]) -> None:
    before, after = upgraded["before"], upgraded["after"]
    for table in KEPT:
        assert sorted(after[table]) == sorted(before[table]), table
        for key, row in before[table].items():
            kept = {column: value for column, value in row.items() if column in after[table][key]}
            if table == "hamm_report":  # open/closed became the triage's neu/erledigt (migration d8b3f1a6e2c7)
                assert after[table][key]["status"] == {"open": "neu", "closed": "erledigt"}[row["state"]]
                assert after[table][key]["modified"] == row["created"]
                kept.pop("state", None)
            assert {c: after[table][key][c] for c in kept} == kept, f"{table} {key}"


def test_datasets_read_the_same_through_todays_api(upgraded: dict[str, Any]) -> None:
    api = upgraded["api"]
    visible = {d["name"]: d for d in api["package_search/sysadmin"]["results"]}
    assert sorted(visible) == ["baustellenplanung", "radverkehrszaehlung"]
    assert [d["name"] for d in api["package_search/anonymous"]["results"]] == ["radverkehrszaehlung"]
    for pid, name, title, private, _state in DATASETS[:2]:
        shown = api[f"package_show/sysadmin/{name}"]
        assert (shown["id"], shown["title"], shown["private"]) == (pid, title, private)
        assert shown["notes"] == f"Beschreibung von {title}" and shown["organization"]["name"] == "tiefbauamt"
        assert shown["handlungsfeld"] == ["mobilitaet"] and shown["zielgruppe"] == ["buergerinnen"]
        assert shown["contact"][0]["email"] == "tiefbau@hamm.example"
        assert [r["url"] for r in shown["resources"]] == [f"https://www.hamm.de/daten/{name}.csv"]
        assert shown["metadata_modified"].startswith("2026-12-01T09:30")
    public = api["package_show/anonymous/radverkehrszaehlung"]
    assert [r["url"] for r in public["resources"]] == ["https://www.hamm.de/daten/radverkehrszaehlung.csv"]


def test_inventory_entries_after_the_upgrade(upgraded: dict[str, Any]) -> None:
    """0.1.0 had no Dateninventur: its datasets are entries now, with an empty history."""
    api = upgraded["api"]
    for _pid, name, *_ in DATASETS[:2]:
        assert api[f"hamm_inventar_history/sysadmin/{name}"] == []
        assert api[f"package_show/sysadmin/{name}"]["name"] == name


def test_data_requests_and_reports_read_the_same(upgraded: dict[str, Any]) -> None:
    api = upgraded["api"]
    requests = {r["id"]: r for r in api["hamm_datarequest_list/anonymous"]["results"]}
    assert {rid: (requests[rid]["title"], requests[rid]["status"], requests[rid]["vote_count"])
            for rid, *_ in REQUESTS} == {rid: (title, status, 1) for rid, title, status, _ in REQUESTS}
    assert api[f"hamm_datarequest_show/anonymous/{REQUESTS[1][0]}"]["dataset"]["id"] == DATASETS[0][0]
    reports = {r["id"]: r["status"] for r in api["hamm_report_list/sysadmin/tiefbauamt"]["results"]}
    assert reports == {REPORTS[0][0]: "neu", REPORTS[1][0]: "erledigt"}
