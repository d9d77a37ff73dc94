"""Helpers for tests that run ``ckan search-index …`` and read the index table."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import sqlalchemy as sa
from ckan import model

from ckanext.hamm.search import table

REPO = Path(__file__).resolve().parents[2]


def indexed_names() -> set[str]:
    """Names of the datasets in the index table (after committing the test's session)."""
    model.Session.commit()
    return {r[0] for r in model.Session.execute(sa.text(f"SELECT name FROM {table.TABLE}"))}


def run_ckan(tmp_path: Path, *args: str, settings: str = "") -> subprocess.CompletedProcess:
    """The ``ckan`` command on the test database, as a real process (it may fork workers)."""
    ini = tmp_path / "ckan.ini"
    ini.write_text(f"[app:main]\nuse = config:{REPO / 'test.ini'}\nckan.plugins = hamm_search\n{settings}\n")
    ckan = str(Path(sys.executable).with_name("ckan"))
    return subprocess.run([ckan, "-c", str(ini), *args], capture_output=True, text=True, timeout=300)
