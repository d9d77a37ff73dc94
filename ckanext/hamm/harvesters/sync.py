"""Run one ``hamm_rvr`` job in-process (``ckan hamm rvr sync``, the demo and the benchmark).

Drives the same stages the ckanext-harvest queues would (gather, then fetch
and import per object) and always ends the job, so nothing stays "Running".
"""
from __future__ import annotations

import dataclasses
import datetime
import logging
import multiprocessing
import time
from typing import Any, Callable, Optional

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.hamm import config as hamm_config
from ckanext.harvest import queue
from ckanext.harvest.model import HarvestJob, HarvestObject, HarvestSource

from . import gather as gathering
from . import jobs
from .constants import DCAT_TYPE, FULL_RUN_GUID, RVR_TYPE

log = logging.getLogger(__name__)
MIN_PER_WORKER = 25  # objects per task handed to a worker process


@dataclasses.dataclass
class SyncReport:
    source: str
    full: bool = False
    dry_run: bool = False
    seen: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    withdrawn: int = 0
    own_skipped: int = 0
    filtered: int = 0
    errors: list[str] = dataclasses.field(default_factory=list)
    seconds: float = 0.0
    job_id: Optional[str] = None

    def summary(self) -> str:
        kind = "Vollabgleich" if self.full else "inkrementell"
        text = (f"{self.source} ({kind}{', Probelauf' if self.dry_run else ''}): {self.seen} gelesen, "
                f"{self.added} neu, {self.updated} aktualisiert, {self.unchanged} unverändert, "
                f"{self.withdrawn} zurückgezogen, {self.own_skipped} aus Hamm übersprungen, "
                + (f"{self.filtered} nicht für Hamm (Filter), " if self.filtered else "")
                + f"{len(self.errors)} Fehler ({self.seconds:.1f} s)")
        return "\n".join([text] + [f"  Fehler: {e}" for e in self.errors])


def harvester() -> Any:
    found = queue.get_harvester(RVR_TYPE)
    if found is None:
        raise tk.ObjectNotFound("Das Plugin hamm_rvr ist nicht geladen (ckan.plugins).")
    return found


def find_source(name_or_id: Optional[str]) -> HarvestSource:
    """A hamm_rvr source by dataset name or id; without a name the only one there is.

    With ``--source`` a generic DCAT-AP.de source (``hamm_dcat``) runs the same way.
    """
    types = (RVR_TYPE, DCAT_TYPE) if name_or_id else (RVR_TYPE,)
    query = model.Session.query(HarvestSource).filter(HarvestSource.type.in_(types),
                                                      HarvestSource.active.is_(True))
    if name_or_id:
        package = model.Package.get(name_or_id)
        query = query.filter(HarvestSource.id == (package.id if package else name_or_id))
    sources = query.all()
    if len(sources) != 1:
        raise tk.ObjectNotFound(
            "Keine passende hamm_rvr-Quelle gefunden." if not sources
            else "Mehrere hamm_rvr-Quellen: bitte --source NAME angeben.")
    return sources[0]


def _site_context() -> dict[str, Any]:
    user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    return {"user": user, "ignore_auth": True, "model": model, "session": model.Session}


def start_job(source: HarvestSource) -> HarvestJob:
    job = tk.get_action("harvest_job_create")(_site_context(), {"source_id": source.id, "run": False})
    job_obj = HarvestJob.get(job["id"])
    job_obj.status = "Running"
    job_obj.save()
    jobs.mark_started_by_sync(job_obj.id)
    return job_obj


def run(source: HarvestSource, full: bool = False, dry_run: bool = False,
        progress: Callable[[str, int, int], None] = lambda stage, done, total: None,
        workers: Optional[int] = None) -> SyncReport:
    """One job from gather to finish; the report says what changed."""
    started = time.monotonic()
    report = SyncReport(source=source.title or source.url, dry_run=dry_run)
    job = start_job(source)
    report.job_id = job.id
    try:
        object_ids = _gather(job, full, report, lambda n: progress("gather", n, 0))
        if dry_run:
            _discard(job, object_ids)
        else:
            _import(object_ids, report, progress,
                    hamm_config.harvest_import_workers() if workers is None else workers)
    finally:
        _finish(job)
    report.seconds = time.monotonic() - started
    return report


def _gather(job: HarvestJob, full: bool, report: SyncReport, progress: Callable[[int], None]) -> list[str]:
    job.gather_started = datetime.datetime.utcnow()
    job.save()
    result = gathering.gather_and_record(job, force_full=full, progress=progress)
    job.gather_finished = datetime.datetime.utcnow()
    job.save()
    report.full, report.seen, report.own_skipped = result.full, result.seen, result.own_skipped
    report.filtered = result.filtered
    report.unchanged, report.errors = result.unchanged, list(result.errors)
    if report.dry_run:
        report.withdrawn = result.withdrawn
        report.updated = result.changed  # new or changed: not told apart without importing
    return result.object_ids


def _import(object_ids: list[str], report: SyncReport, progress: Callable[[str, int, int], None],
            workers: int = 1) -> None:
    """Import every object; with several workers in forked processes (objects are independent)."""
    if workers <= 1 or len(object_ids) < 2 * MIN_PER_WORKER:
        counts = _import_chunk(object_ids, lambda done: progress("import", done, len(object_ids)))
    else:
        counts = _import_parallel(object_ids, min(workers, len(object_ids) // MIN_PER_WORKER), progress)
    report.added += counts["added"]
    report.updated += counts["updated"]
    report.withdrawn += counts["deleted"]
    report.unchanged += counts["not modified"]
    report.errors.extend(counts["errors"])


def _import_chunk(object_ids: list[str], progress: Callable[[int], None] = lambda done: None) -> dict[str, Any]:
    """Like ckanext-harvest's fetch_and_import_stages, but one commit per dataset instead of six."""
    stages = harvester()
    counts: dict[str, Any] = {"added": 0, "updated": 0, "deleted": 0, "not modified": 0, "errors": []}
    for done, object_id in enumerate(object_ids, 1):
        obj = HarvestObject.get(object_id)
        outcome = stages.import_stage(obj)
        if outcome is False or obj.report_status is None:
            obj = HarvestObject.get(object_id)
            obj.state, obj.report_status = ("ERROR", "errored") if outcome is False else ("COMPLETE", "not modified")
            obj.import_finished = datetime.datetime.utcnow()
            obj.save()
        if obj.report_status in counts:
            counts[obj.report_status] += 1
        else:
            counts["errors"].extend(error.message for error in obj.errors)
        progress(done)
    return counts


def _worker(object_ids: list[str]) -> dict[str, Any]:
    """Runs in a forked process: own database connections, same CKAN configuration."""
    model.Session.remove()
    model.meta.engine.dispose(close=False)  # never touch the parent's pooled connections
    try:
        return _import_chunk(object_ids)
    finally:
        model.Session.remove()


def _import_parallel(object_ids: list[str], workers: int,
                     progress: Callable[[str, int, int], None]) -> dict[str, Any]:
    model.Session.commit()
    model.Session.remove()
    chunks = [object_ids[i:i + MIN_PER_WORKER] for i in range(0, len(object_ids), MIN_PER_WORKER)]
    total: dict[str, Any] = {"added": 0, "updated": 0, "deleted": 0, "not modified": 0, "errors": []}
    done = 0
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        for counts in pool.imap_unordered(_worker, chunks):
            for key, value in counts.items():
                total[key] += value
            done += sum(counts[k] for k in ("added", "updated", "deleted", "not modified")) + len(counts["errors"])
            progress("import", min(done, len(object_ids)), len(object_ids))
    return total


def _discard(job: HarvestJob, object_ids: list[str]) -> None:
    """A dry run leaves no objects behind (the job stays, marked finished, as an audit trail)."""
    if object_ids:
        model.Session.query(HarvestObject).filter(HarvestObject.id.in_(object_ids)).delete(synchronize_session=False)
    model.Session.query(HarvestObject).filter(HarvestObject.harvest_job_id == job.id,
                                              HarvestObject.guid == FULL_RUN_GUID).delete()
    model.Session.commit()


def _finish(job: HarvestJob) -> None:
    """Mark the job finished whatever happened (ckanext-harvest also reindexes the source)."""
    model.Session.rollback()
    job = HarvestJob.get(job.id)
    if job.gather_finished is None:
        job.gather_finished = datetime.datetime.utcnow()
        job.save()
    try:
        tk.get_action("harvest_jobs_run")(_site_context(), {"source_id": job.source_id})
    except Exception:  # e.g. Redis down: still never leave the job "Running"
        log.exception("harvest_jobs_run failed; finishing job %s directly", job.id)
        model.Session.rollback()
    job = HarvestJob.get(job.id)
    if job.status != "Finished":
        job.status, job.finished = "Finished", datetime.datetime.utcnow()
        job.save()
    jobs.clear_mark(job.id)
