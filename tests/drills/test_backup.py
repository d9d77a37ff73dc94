"""Backup and restore drill (issue 30): a restored portal answers every listing as the original did.

The original is the test database with seeded content (public and private datasets, a
DataStore table, an uploaded file, a data request, a report, an inventory step); the archive
of ``ckan hamm backup`` is restored with ``ckan hamm restore`` into databases of a fresh name
and a fresh storage folder. Both portals are then asked the same listings, each in a CKAN
process of its own (``listings.py``), so both answer through the same code and configuration.
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import tarfile
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import psycopg2
import pytest
from ckan.tests import factories, helpers
from click.testing import CliRunner

from ckanext.hamm import devstack
from ckanext.hamm.server import backup
from ckanext.hamm.server.backup_cli import backup_command
from tests.drills.support import DRILL_PLUGINS, ckan, differences, fresh_databases, listings, portal_ini, start_listings
from tests.support.portal import clean_db, hamm_dataset  # noqa: F401 (fixtures)

CSV = "stadtteil;einwohner\nBockum-Hövel;35000\nHeessen;22000\n".encode()

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", DRILL_PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


def _as(user: dict[str, Any] | None) -> dict[str, Any]:
    return {"user": user["name"] if user else "", "ignore_auth": False}


def seed(storage: Path) -> dict[str, Any]:
    """A little of everything a city keeps: what a restore must give back."""
    sysadmin = factories.Sysadmin()
    editor = factories.User()
    org = factories.Organization(users=[{"name": editor["name"], "capacity": "admin"}])
    public = hamm_dataset(owner_org=org["id"], title="Einwohner nach Stadtteil")
    hamm_dataset(owner_org=org["id"], private=True, title="Interne Planung")
    helpers.call_action("package_create", context=_as(editor), name="schuleingang", title="Schuleingang",
                        owner_org=org["id"], handlungsfeld=["soziales"], license_id="dl-by-de/2.0",
                        zugang="personenbezogen", rechtsgrundlage="§ 54 SchulG NRW")
    helpers.call_action("hamm_inventar_transition", context=_as(editor), id="schuleingang", to="geprueft",
                        entscheidung="nicht-veroeffentlichbar", kommentar="Gesundheitsdaten")
    upload = helpers.call_action("resource_create", package_id=public["id"], name="Tabelle",
                                 url="einwohner.csv", url_type="upload", format="CSV")
    folder = storage / "resources" / upload["id"][:3] / upload["id"][3:6]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / upload["id"][6:]).write_bytes(CSV)  # where CKAN's ResourceUpload keeps it
    helpers.call_action("datastore_create", resource_id=upload["id"], force=True,
                        fields=[{"id": "stadtteil", "type": "text"}, {"id": "einwohner", "type": "int"}],
                        records=[{"stadtteil": "Bockum-Hövel", "einwohner": 35000},
                                 {"stadtteil": "Heessen", "einwohner": 22000}])
    helpers.call_action("hamm_datarequest_create", context=_as(None), title="Parkplatzbelegung",
                        description="Freie Plätze in den Parkhäusern", handlungsfeld="mobilitaet",
                        zielgruppe="buergerinnen", owner_org=org["name"])
    helpers.call_action("hamm_report_create", context=_as(None), package_id=public["name"], category="link",
                        message="Der Download liefert einen Fehler 404.", email="leser@example.org")
    return {"sysadmin": sysadmin, "upload": upload}


def _datastore_pair() -> tuple[str, str]:
    return os.environ["CKAN_DATASTORE_WRITE_URL"], os.environ["CKAN_DATASTORE_READ_URL"]


def test_restore_into_a_fresh_portal_answers_every_listing_the_same(tmp_path, ckan_config, monkeypatch):
    original = devstack.State(tmp_path / "original")
    monkeypatch.setitem(ckan_config, "ckan.storage_path", str(original.storage))
    seeded = seed(original.storage)
    made = CliRunner().invoke(backup_command, ["--dir", str(tmp_path / "backups")], catch_exceptions=False)
    assert made.exit_code == 0, made.output
    archive = Path(made.stdout.strip().splitlines()[-1])
    manifest = backup.verify(archive)
    assert manifest["counts"]["ckan"]["hamm_datarequest"] == 1
    assert manifest["counts"]["ckan"]["hamm_report"] == 1 and manifest["counts"]["storage"]["files"] == 1
    text = json.dumps(manifest)
    assert "secret" not in text.lower() and "postgresql://" not in text and "password" not in text.lower()

    before_ini = portal_ini(original.root, os.environ["CKAN_SQLALCHEMY_URL"], _datastore_pair(), ckan_config)
    database, datastore = fresh_databases(f"{urlsplit(os.environ['CKAN_SQLALCHEMY_URL']).path[1:]}_drill")
    restored = devstack.State(tmp_path / "restored")
    after_ini = portal_ini(restored.root, database, datastore, ckan_config)
    sysadmin = seeded["sysadmin"]["name"]
    asking_original = start_listings(before_ini, sysadmin)  # meanwhile: the restore
    done = ckan(after_ini, "hamm", "restore", str(archive))
    assert done.returncode == 0, done.stderr[-3000:]
    assert "counts as in the manifest" in done.stderr and "differs" not in done.stderr
    before, after = listings(asking_original), listings(start_listings(after_ini, sysadmin))
    assert before["package_search/anonymous"]["count"] == 1
    assert before["package_search/sysadmin"]["count"] == 3
    assert len(before["hamm_datarequest_list/anonymous"]["results"]) == 1
    upload = seeded["upload"]["id"]
    assert [r["einwohner"] for r in before[f"datastore_search/anonymous/{upload}"]["records"]] == [35000, 22000]
    assert sorted(before) == sorted(after)
    assert differences(before, after) == []
    stored = Path(restored.storage, "resources", upload[:3], upload[3:6], upload[6:])
    assert stored.read_bytes() == CSV


def test_damaged_archive_is_refused_and_changes_nothing(tmp_path, ckan_config, monkeypatch):
    storage = tmp_path / "storage"
    monkeypatch.setitem(ckan_config, "ckan.storage_path", str(storage))
    seed(storage)
    archive = backup.create(tmp_path / "backups", os.environ["CKAN_SQLALCHEMY_URL"],
                            os.environ["CKAN_DATASTORE_WRITE_URL"], storage)
    damaged = tmp_path / "damaged.tar"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w") as target:
        for member in source:
            data = source.extractfile(member).read()  # type: ignore[union-attr]
            if member.name == backup.CKAN_DUMP:
                data = data[:-100] + bytes(100)  # the tail of the dump overwritten, its size the same
            target.addfile(member, io.BytesIO(data))
    database, datastore = fresh_databases(f"{urlsplit(os.environ['CKAN_SQLALCHEMY_URL']).path[1:]}_damaged")
    with psycopg2.connect(database) as connection, connection.cursor() as cursor:
        cursor.execute("CREATE TABLE kept (note text); INSERT INTO kept VALUES ('vorher')")
    target_storage = tmp_path / "target-storage"
    (target_storage / "vorher.txt").parent.mkdir()
    (target_storage / "vorher.txt").write_text("vorher")

    with pytest.raises(backup.BackupError, match="target not empty: database, storage folder"):
        backup.restore(archive, database, datastore[0], target_storage)
    with pytest.raises(backup.BackupError, match="checksum mismatch: ckan.dump"):
        backup.restore(damaged, database, datastore[0], target_storage, force=True)
    with psycopg2.connect(database) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        assert cursor.fetchall() == [("kept",)]
    assert [p.name for p in target_storage.iterdir()] == ["vorher.txt"]
    digest = hashlib.sha256(damaged.read_bytes()).hexdigest()
    with pytest.raises(backup.BackupError, match="damaged or unreadable"):
        truncated = tmp_path / "truncated.tar"
        truncated.write_bytes(damaged.read_bytes()[:5000])
        backup.restore(truncated, database, datastore[0], target_storage, force=True)
    assert hashlib.sha256(damaged.read_bytes()).hexdigest() == digest
