"""What the drills share: fresh databases, a portal's ini on them, CKAN processes of their own."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import psycopg2

from ckanext.hamm import devstack
from tests.support.portal import PLUGINS

REPO = Path(__file__).resolve().parents[2]
DRILL_PLUGINS = f"{PLUGINS} datastore"


def _server_url() -> str:
    return devstack.with_database(os.environ["CKAN_SQLALCHEMY_URL"], "postgres")


def fresh_databases(name: str) -> tuple[str, tuple[str, str]]:
    """Empty databases ``name`` and ``name_datastore`` (dropped first if a run left them)."""
    connection = psycopg2.connect(_server_url())
    connection.autocommit = True
    with connection.cursor() as cursor:
        for database in (name, f"{name}_datastore"):
            cursor.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    connection.close()
    database = devstack.ensure_database(_server_url(), name)
    return database, devstack.ensure_datastore(_server_url(), name)


def portal_ini(root: Path, database: str, datastore: tuple[str, str], config: Any,
               plugins: str = DRILL_PLUGINS) -> Path:
    """The demo's configuration with the drill's plugins, on ``database`` and ``root/storage``.

    Site id and URL are the test session's, which wrote the original's index documents (the
    search finds a site's own documents only, and they hold the URLs of uploaded files).
    """
    ini = devstack.write_config(devstack.State(root), database, os.environ["CKAN_REDIS_URL"],
                                config["ckan.site_url"], plugins=plugins, datastore=datastore)
    ini.write_text(ini.read_text().replace("ckan.site_id = hamm\n", f"ckan.site_id = {config['ckan.site_id']}\n", 1))
    return ini


def clean_env() -> dict[str, str]:
    """Without the test session's CKAN_* variables, which would override the ini's databases."""
    return {key: value for key, value in os.environ.items() if not key.startswith("CKAN_")}


def ckan(ini: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*devstack.ckan_command(), "-c", str(ini), *args], env=clean_env(), cwd=REPO,
                          capture_output=True, text=True, timeout=300)


def start_listings(ini: Path, sysadmin: str, *flags: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "tests.drills.listings", str(ini), sysadmin, *flags], env=clean_env(),
                            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def listings(process: subprocess.Popen) -> dict[str, Any]:
    out, err = process.communicate(timeout=300)
    assert process.returncode == 0, err[-3000:]
    return json.loads(out)


def differences(before: Any, after: Any, path: str = "") -> list[str]:
    """The paths where two JSON documents differ, with both values (a readable failure)."""
    if isinstance(before, dict) and isinstance(after, dict):
        return [line for key in sorted(set(before) | set(after))
                for line in differences(before.get(key), after.get(key), f"{path}/{key}")]
    if isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        return [line for i, (b, a) in enumerate(zip(before, after, strict=True)) for line in differences(b, a, f"{path}[{i}]")]
    return [] if before == after else [f"{path}: {before!r} != {after!r}"]
