"""The scheduler's clock comes from the options, and the hourly sync covers every RVR source."""
from __future__ import annotations

import pytest

from ckanext.hamm.server import scheduler
from tests.harvesters.conftest import clean_db, make_source, org, sysadmin  # noqa: F401 (fixtures)

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", "hamm_search hamm scheming_datasets dcat harvest hamm_rvr"),
    pytest.mark.usefixtures("with_plugins", "clean_db"),
]


def intervals() -> dict[str, int]:
    return {job.id: int(job.trigger.interval.total_seconds()) for job in scheduler.build_scheduler().get_jobs()}


def test_defaults_sync_hourly_and_run_the_harvester_each_minute():
    assert intervals() == {"harvester-run": 60, "rvr-sync": 3600, "link-check": 3600}


@pytest.mark.ckan_config("ckanext.hamm.schedule.rvr_sync_seconds", "0")
@pytest.mark.ckan_config("ckanext.hamm.schedule.harvester_run_seconds", "300")
@pytest.mark.ckan_config("ckanext.hamm.schedule.link_check_seconds", "0")
def test_zero_turns_a_task_off():
    assert intervals() == {"harvester-run": 300}


def test_the_link_check_runs_as_its_own_command(monkeypatch):
    calls = []
    monkeypatch.setattr(scheduler, "run_command", lambda *args: calls.append(args))
    scheduler.link_check_tick()
    assert calls == [("hamm", "links", "check")]


def test_the_sync_runs_once_per_active_rvr_source(monkeypatch, sysadmin, org):
    make_source("https://opendata.ruhr", org["id"], sysadmin["name"], name="rvr-a")
    make_source("https://www.opendata.ruhr", org["id"], sysadmin["name"], name="rvr-b")
    calls = []
    monkeypatch.setattr(scheduler, "run_command", lambda *args: calls.append(args))
    scheduler.rvr_sync_tick()
    assert calls == [("hamm", "rvr", "sync", "--source", "rvr-a"), ("hamm", "rvr", "sync", "--source", "rvr-b")]
