"""Smart-City-Kennzahlen of the portal: what is published, how open and fresh, what is asked for.

``figures()`` takes the public datasets (as dicts) and adds the data-request
counts and the last RVR sync from the database. Only public, active datasets
count, so the numbers are the same for every visitor.
"""
from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from typing import Any, Iterable, Optional

import sqlalchemy as sa
from ckan import model

from ckanext.hamm import config
from ckanext.hamm.dataset import quality
from ckanext.hamm.harvesters.constants import RVR_TYPE
from ckanext.hamm.model.datarequest import OPEN_STATUSES, STATUSES, DataRequest
from ckanext.hamm.vocabularies import choices as concepts


def _share(count: int, total: int) -> dict[str, Any]:
    return {"count": count, "total": total, "share": round(100.0 * count / total, 1) if total else 0.0}


def _ids(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value] if value else []
    return [str(v) for v in value or []]


def per_concept(datasets: list[dict[str, Any]], scheme_id: str) -> list[dict[str, Any]]:
    """Datasets per concept, in the vocabulary's order (zeros included), then unknown ids."""
    counts = Counter(cid for pkg in datasets for cid in set(_ids(pkg.get(scheme_id))))
    rows = [{"id": cid, "label": label, "count": counts.pop(cid, 0)} for cid, label in concepts.choices(scheme_id)]
    return rows + [{"id": cid, "label": cid, "count": n} for cid, n in sorted(counts.items())]


def quality_by_organization(datasets: list[dict[str, Any]], scores: list[float]) -> list[dict[str, Any]]:
    """Average quality percentage per organisation; ``scores`` parallel to ``datasets``."""
    percents: dict[str, list[float]] = defaultdict(list)
    titles: dict[str, str] = {}
    for pkg, percent in zip(datasets, scores, strict=False):
        org = pkg.get("organization") or {}
        key = org.get("name") or ""
        titles[key] = org.get("title") or key
        percents[key].append(percent)
    return sorted(({"name": key, "title": titles[key], "datasets": len(values),
                    "average": round(sum(values) / len(values), 1)} for key, values in percents.items()),
                  key=lambda row: (-row["average"], row["title"]))


def datarequest_counts() -> dict[str, Any]:
    rows = dict(model.Session.execute(
        sa.select(DataRequest.status, sa.func.count()).group_by(DataRequest.status)).all())
    by_status = {status: int(rows.get(status, 0)) for status in STATUSES}
    return {"by_status": by_status, "total": sum(by_status.values()),
            "open": sum(by_status[s] for s in OPEN_STATUSES),
            "fulfilled": by_status["veroeffentlicht"], "declined": by_status["abgelehnt"]}


def last_rvr_sync() -> Optional[dict[str, Any]]:
    """The newest job of the RVR harvest source from ckanext-harvest's tables, if they exist.

    A source of our RVR harvester's type counts whatever it is called (the demo's source
    reads a local fake under its own name); other sources count when their name, URL,
    title or configuration contains the configured needle (e.g. the stock CKAN harvester
    pointed at opendata.ruhr).
    """
    connection = model.Session.connection()
    inspector = sa.inspect(connection)
    if not (inspector.has_table("harvest_job") and inspector.has_table("harvest_source")):
        return None
    needle = config.kennzahlen_rvr_source()
    job = connection.execute(sa.text(
        """SELECT j.id, j.status, j.created, j.finished, s.title, s.url
             FROM harvest_job j JOIN harvest_source s ON s.id = j.source_id
             LEFT JOIN package p ON p.id = s.id
            WHERE s.type = :rvr_type OR p.name = :name OR s.url ILIKE :like OR s.title ILIKE :like
               OR s.config ILIKE :like
            ORDER BY j.created DESC LIMIT 1"""),
        {"rvr_type": RVR_TYPE, "name": needle, "like": f"%{needle}%"}).mappings().first()
    if job is None:
        return None
    counts = dict(connection.execute(sa.text(
        """SELECT COALESCE(report_status, 'unknown'), count(*) FROM harvest_object
            WHERE harvest_job_id = :job GROUP BY 1"""), {"job": job["id"]}).all())
    gather_errors = connection.execute(sa.text(
        "SELECT count(*) FROM harvest_gather_error WHERE harvest_job_id = :job"), {"job": job["id"]}).scalar()
    errors = int(gather_errors or 0) + int(counts.get("errored", 0))
    return {"source": job["title"] or job["url"], "status": job["status"],
            "started": job["created"].isoformat() if job["created"] else None,
            "finished": job["finished"].isoformat() if job["finished"] else None,
            "added": int(counts.get("added", 0)), "updated": int(counts.get("updated", 0)),
            "deleted": int(counts.get("deleted", 0)), "errors": errors,
            "result": "ok" if job["status"] == "Finished" and not errors else
                      ("running" if job["status"] in ("New", "Running") else "errors")}


def figures(datasets: Iterable[dict[str, Any]], today: Optional[datetime.date] = None) -> dict[str, Any]:
    datasets = list(datasets)
    today = today or datetime.date.today()
    total = len(datasets)
    fresh = [quality.is_fresh(pkg, today) for pkg in datasets]
    declared = [f for f in fresh if f is not None]
    resources = [r for pkg in datasets for r in pkg.get("resources") or []]
    percents = [quality.score(pkg)["percent"] for pkg in datasets]
    return {
        "generated": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "datasets": total,
        "handlungsfeld": per_concept(datasets, "handlungsfeld"),
        "zielgruppe": per_concept(datasets, "zielgruppe"),
        "open_license": _share(sum(quality.is_open_license(p) for p in datasets), total),
        "machine_readable": _share(sum(any(quality.is_machine_readable(r) for r in p.get("resources") or [])
                                       for p in datasets), total),
        "machine_readable_resources": _share(sum(quality.is_machine_readable(r) for r in resources),
                                             len(resources)),
        "freshness": dict(_share(sum(declared), len(declared)), without_frequency=total - len(declared)),
        "quality": {"average": round(sum(percents) / total, 1) if total else 0.0,
                    "organizations": quality_by_organization(datasets, percents)},
        "datarequests": datarequest_counts(),
        "rvr_sync": last_rvr_sync(),
    }
