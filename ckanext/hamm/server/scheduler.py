"""``ckan hamm scheduler``: the portal's clock, one process of the process set.

APScheduler runs each task at its interval; a task that is still running when
its next turn comes is not started twice (``max_instances=1``, missed turns
coalesced). Commands run as child processes so a crash or a memory peak of one
run never takes the scheduler down, and each logs to the scheduler's output.
"""
from __future__ import annotations

import logging
import signal
import subprocess
import sys
from pathlib import Path

import click
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.blocking import BlockingScheduler

from ckanext.hamm import config as hamm_config
from ckanext.hamm.harvesters.constants import RVR_TYPE

log = logging.getLogger(__name__)


def ckan_command(*args: str) -> list[str]:
    binary = Path(sys.executable).with_name("ckan")
    base = [str(binary)] if binary.exists() else [sys.executable, "-m", "ckan.cli.cli"]
    ini = hamm_config.config_file()
    return base + (["-c", ini] if ini else []) + list(args)


def run_command(*args: str) -> int:
    """Run ``ckan ARGS`` and log how it ended (never raises: the next turn comes anyway)."""
    command = ckan_command(*args)
    log.info("running: ckan %s", " ".join(args))
    code = subprocess.call(command)
    (log.info if code == 0 else log.warning)("ckan %s ended with exit code %s", " ".join(args), code)
    return code


def harvester_tick() -> None:
    """Finish stale jobs (in this process: a few queries), then ckanext-harvest's own run."""
    from ckan import model

    from ckanext.hamm.harvesters import jobs

    try:
        finished = jobs.finish_stale()
        if finished:
            log.warning("finished %d stale harvest job(s): %s", len(finished), ", ".join(finished))
    except Exception:
        log.exception("checking for stale harvest jobs failed")
        model.Session.rollback()
    finally:
        model.Session.remove()
    run_command("harvester", "run")


def rvr_sources() -> list[str]:
    """Names of the active hamm_rvr harvest sources (each is synced on its own)."""
    from ckan import model

    from ckanext.harvest.model import HarvestSource

    try:
        rows = (model.Session.query(model.Package.name).join(HarvestSource, HarvestSource.id == model.Package.id)
                .filter(HarvestSource.type == RVR_TYPE, HarvestSource.active.is_(True)).all())
        return sorted(name for (name,) in rows)
    except Exception:
        log.exception("reading the hamm_rvr sources failed")
        model.Session.rollback()
        return []
    finally:
        model.Session.remove()


def rvr_sync_tick() -> None:
    for name in rvr_sources():
        run_command("hamm", "rvr", "sync", "--source", name)


def directory_sync_tick() -> None:
    """Leavers lose roles and API tokens even if they never sign in again (docs/directory.md)."""
    run_command("hamm", "directory", "sync")


def link_check_tick() -> None:
    """Each run checks only the resource URLs not checked within the interval (at most daily)."""
    run_command("hamm", "links", "check")


def build_scheduler() -> BlockingScheduler:
    scheduler = BlockingScheduler(executors={"default": ThreadPoolExecutor(2)},
                                  job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 300})
    harvester_seconds = hamm_config.schedule_harvester_run_seconds()
    sync_seconds = hamm_config.schedule_rvr_sync_seconds()
    if harvester_seconds > 0:
        scheduler.add_job(harvester_tick, "interval", seconds=harvester_seconds, id="harvester-run",
                          next_run_time=_soon())
    if sync_seconds > 0:
        scheduler.add_job(rvr_sync_tick, "interval", seconds=sync_seconds, id="rvr-sync")
    link_seconds = hamm_config.schedule_link_check_seconds()
    if link_seconds > 0:
        scheduler.add_job(link_check_tick, "interval", seconds=link_seconds, id="link-check")
    directory_seconds = hamm_config.schedule_directory_sync_seconds()
    if directory_seconds > 0:
        scheduler.add_job(directory_sync_tick, "interval", seconds=directory_seconds, id="directory-sync")
    return scheduler


def _soon():
    import datetime

    return datetime.datetime.now().astimezone() + datetime.timedelta(seconds=5)


@click.command("scheduler", short_help="Run the periodic tasks (RVR sync, harvester run) until stopped.")
def scheduler_command() -> None:
    """Runs `ckan hamm rvr sync` and `ckan harvester run` at their intervals
    (ckanext.hamm.schedule.*); SIGTERM or Ctrl-C stops it."""
    scheduler = build_scheduler()
    for job in scheduler.get_jobs():
        click.echo(f"scheduler: {job.id} every {int(job.trigger.interval.total_seconds())} s", err=True)

    def stop(signum, frame):
        scheduler.shutdown(wait=False)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    scheduler.start()
