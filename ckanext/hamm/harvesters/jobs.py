"""Harvest jobs always end: one sync per source at a time, and stale jobs are finished.

A job is stale when nothing happened to it for longer than the job deadline
(no gather step, no object fetched or imported), or when it was started by
``ckan hamm rvr sync`` and that process is gone. Such a job would otherwise stay
"Running" for ever, and ckanext-harvest refuses every new job of its source
(``HarvestJobExists``). A sync holds a PostgreSQL advisory lock on its source
for its whole run; the lock ends with the process or its database connection,
so a second sync learns at once that another one runs, and a finished lock
means the process that started a job is gone.
"""
from __future__ import annotations

import contextlib
import datetime
import logging
import os
import socket
from collections.abc import Iterator
from typing import Optional

import sqlalchemy as sa
from ckan import model

from ckanext.hamm import config as hamm_config
from ckanext.harvest.model import HarvestGatherError, HarvestJob, HarvestObject

log = logging.getLogger(__name__)

LOCK_CLASS = 0x4A4D  # first key of our advisory locks ("HM")
_TRY_LOCK = sa.text("SELECT pg_try_advisory_lock(:cls, hashtext(:source))")
_MARK = "hamm:harvest:sync-job:{}"

STALE_DEADLINE = ("Abgebrochen: {minutes} Minuten lang kein Fortschritt (Frist "
                  "ckanext.hamm.harvest.job_deadline); der Prozess ist vermutlich beendet. "
                  "Der nächste Lauf beginnt normal. / Stopped: no progress for {minutes} minutes "
                  "(job deadline); its process has probably ended. The next run starts normally.")
STALE_PROCESS = ("Abgebrochen: der Übernahmeprozess endete unerwartet (z. B. Datenbank oder Prozess "
                 "beendet). Der nächste Lauf beginnt normal. / Stopped: the sync process ended "
                 "unexpectedly (e.g. the database or the process was stopped). The next run starts normally.")


@contextlib.contextmanager
def source_lock(source_id: str) -> Iterator[bool]:
    """Hold the sync lock of a source on a connection of its own; yields False if taken."""
    connection = model.meta.engine.connect()
    try:
        held = bool(connection.execute(_TRY_LOCK, {"cls": LOCK_CLASS, "source": source_id}).scalar())
        connection.commit()
        yield held
    finally:
        with contextlib.suppress(Exception):  # a dead database released the lock already
            connection.close()


def _lock_free(source_id: str) -> bool:
    with source_lock(source_id) as held:
        return held


def _redis():
    from ckan.lib.redis import connect_to_redis

    return connect_to_redis()


def mark_started_by_sync(job_id: str) -> None:
    """Remember that a sync process runs this job (so its death can be told apart)."""
    try:
        ttl = max(hamm_config.harvest_job_deadline() * 4, 3600)
        _redis().set(_MARK.format(job_id), f"{socket.gethostname()}:{os.getpid()}", ex=ttl)
    except Exception:  # without Redis the deadline rule still ends the job
        log.warning("could not mark harvest job %s in Redis", job_id)


def clear_mark(job_id: str) -> None:
    with contextlib.suppress(Exception):
        _redis().delete(_MARK.format(job_id))


def _started_by_sync(job_id: str) -> bool:
    try:
        return bool(_redis().exists(_MARK.format(job_id)))
    except Exception:
        return False


def last_progress(job: HarvestJob) -> datetime.datetime:
    """The latest moment anything happened to the job or one of its objects."""
    columns = [HarvestObject.gathered, HarvestObject.fetch_started, HarvestObject.fetch_finished,
               HarvestObject.import_started, HarvestObject.import_finished]
    latest = model.Session.query(*[sa.func.max(column) for column in columns]).filter(
        HarvestObject.harvest_job_id == job.id).one()
    moments = [m for m in (job.created, job.gather_started, job.gather_finished, *latest) if m]
    return max(moments)


def finish_stale(source_id: Optional[str] = None, lock_held: bool = False,
                 now: Optional[datetime.datetime] = None) -> list[str]:
    """Finish every stale New/Running job (of one source, or all); return their ids.

    ``lock_held``: the caller holds the source's sync lock, so any job a sync
    started for this source belongs to a process that is gone.
    """
    now = now or datetime.datetime.utcnow()
    deadline = datetime.timedelta(seconds=hamm_config.harvest_job_deadline())
    query = model.Session.query(HarvestJob).filter(HarvestJob.status.in_(["New", "Running"]))
    if source_id:
        query = query.filter(HarvestJob.source_id == source_id)
    finished = []
    for job in query.all():
        if _started_by_sync(job.id) and (lock_held or _lock_free(job.source_id)):
            message = STALE_PROCESS
        elif now - last_progress(job) > deadline:
            message = STALE_DEADLINE.format(minutes=int(deadline.total_seconds() // 60))
        else:
            continue
        _finish_with_error(job, message, now)
        finished.append(job.id)
    return finished


def _finish_with_error(job: HarvestJob, message: str, now: datetime.datetime) -> None:
    log.warning("finishing stale harvest job %s: %s", job.id, message)
    HarvestGatherError.create(message, job)
    model.Session.query(HarvestObject).filter(
        HarvestObject.harvest_job_id == job.id, HarvestObject.state.in_(["WAITING", "FETCH", "IMPORT"])
    ).update({"state": "ERROR", "report_status": "errored"}, synchronize_session=False)
    job.gather_finished = job.gather_finished or now
    job.status, job.finished = "Finished", now
    job.save()
    clear_mark(job.id)
