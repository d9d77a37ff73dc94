"""The harvest sources of some organisations with their last job, for the staff's overview
(organisation page, dashboard). Read straight from ckanext-harvest's tables: its
``harvest_source_list`` shows non-sysadmins nothing under the default auth profile."""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from ckan import model

from ckanext.harvest.model import HarvestGatherError, HarvestJob, HarvestObject, HarvestSource


def _errors(job_id: str) -> int:
    objects = (model.Session.query(sa.func.count(HarvestObject.id))
               .filter(HarvestObject.harvest_job_id == job_id, HarvestObject.report_status == "errored").scalar())
    gather = (model.Session.query(sa.func.count(HarvestGatherError.id))
              .filter(HarvestGatherError.harvest_job_id == job_id).scalar())
    return int(objects or 0) + int(gather or 0)


def sources_for_organizations(org_ids: list[str]) -> list[dict[str, Any]]:
    """Active sources owned by these organisations, by title, each with its last job (or None)."""
    if not org_ids:
        return []
    rows = (model.Session.query(HarvestSource, model.Package)
            .join(model.Package, model.Package.id == HarvestSource.id)
            .filter(model.Package.owner_org.in_(org_ids), model.Package.state == "active")
            .order_by(model.Package.title).all())
    result = []
    for source, package in rows:
        job = (model.Session.query(HarvestJob).filter(HarvestJob.source_id == source.id)
               .order_by(HarvestJob.created.desc()).first())
        result.append({
            "name": package.name, "title": package.title or package.name, "owner_org": package.owner_org,
            "active": bool(source.active),
            "last_job": None if job is None else {
                "status": job.status, "created": job.created, "finished": job.finished,
                "errors": _errors(job.id)},
        })
    return result
