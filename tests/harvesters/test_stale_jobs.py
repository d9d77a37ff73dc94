"""Stale harvest jobs are finished with a readable error; live ones are left alone."""
from __future__ import annotations

import datetime

from ckanext.hamm.harvesters import jobs
from ckanext.harvest.model import HarvestGatherError, HarvestJob

from .conftest import job_marks

pytestmark = job_marks()

HOUR = datetime.timedelta(hours=1)


def running_job(source, created: datetime.datetime) -> HarvestJob:
    job = HarvestJob(source=source, status="Running", created=created, gather_started=created)
    job.save()
    return job


def test_job_without_progress_beyond_the_deadline_is_finished_with_a_readable_error(source):
    now = datetime.datetime.utcnow()
    job = running_job(source, now - 2 * HOUR)  # job_deadline defaults to one hour

    assert jobs.finish_stale(now=now) == [job.id]

    job = HarvestJob.get(job.id)
    assert (job.status, job.finished) == ("Finished", now)
    (error,) = HarvestGatherError.filter(harvest_job_id=job.id).all()
    assert error.message.startswith("Abgebrochen: 60 Minuten lang kein Fortschritt")
    assert "Stopped: no progress for 60 minutes" in error.message


def test_job_with_recent_progress_keeps_running(source):
    now = datetime.datetime.utcnow()
    job = running_job(source, now - 10 * datetime.timedelta(minutes=1))

    assert jobs.finish_stale(now=now) == []
    assert HarvestJob.get(job.id).status == "Running"


def test_job_of_a_sync_process_that_is_gone_is_finished_at_once(source):
    now = datetime.datetime.utcnow()
    job = running_job(source, now)
    jobs.mark_started_by_sync(job.id)  # and no process holds the source's lock

    assert jobs.finish_stale(source.id, now=now) == [job.id]
    (error,) = HarvestGatherError.filter(harvest_job_id=job.id).all()
    assert error.message.startswith("Abgebrochen: der Übernahmeprozess endete unerwartet")


def test_job_of_a_running_sync_is_left_alone(source):
    now = datetime.datetime.utcnow()
    job = running_job(source, now)
    jobs.mark_started_by_sync(job.id)
    with jobs.source_lock(source.id) as held:  # as the running sync holds it
        assert held
        assert jobs.finish_stale(now=now) == []
    assert HarvestJob.get(job.id).status == "Running"
