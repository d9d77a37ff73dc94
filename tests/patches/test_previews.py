"""The two xloader/DataStore workarounds of ``previews/__init__.py``: job table and row count."""
from __future__ import annotations

from typing import Any

import pytest

from ckanext.hamm import previews

DB = "postgresql://ckan:pw@localhost/ckan"


@pytest.mark.parametrize("configured", [None, "", previews.XLOADER_DEFAULT_JOBS_DB])
def test_the_job_table_goes_to_ckans_database(configured: Any) -> None:
    config = {"sqlalchemy.url": DB}
    if configured is not None:
        config[previews.XLOADER_JOBS_DB] = configured
    previews.keep_loader_jobs_in_main_database(config)
    assert config[previews.XLOADER_JOBS_DB] == DB


def test_a_job_database_the_ini_names_is_kept() -> None:
    config = {"sqlalchemy.url": DB, previews.XLOADER_JOBS_DB: "postgresql://other/jobs"}
    previews.keep_loader_jobs_in_main_database(config)
    assert config[previews.XLOADER_JOBS_DB] == "postgresql://other/jobs"


def test_the_cached_row_count_is_dropped_after_a_load(monkeypatch: pytest.MonkeyPatch) -> None:
    from ckanext.datastore.backend import DatastoreBackend

    cleared: list[str] = []

    class Backend:
        def clear_table_stats(self, resource_id: str) -> None:
            cleared.append(resource_id)

    monkeypatch.setattr(DatastoreBackend, "get_active_backend", classmethod(lambda cls: Backend()))
    previews.forget_stale_row_count("res-1")
    assert cleared == ["res-1"]
