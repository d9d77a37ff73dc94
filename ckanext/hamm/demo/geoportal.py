"""``ckan hamm demo geoportal --url …``: the demo's pycsw geoportal harvested once (demo only).

``make demo`` starts pycsw on 127.0.0.1 (``devstack/pycsw.py``) and calls this command, so the
demo shows harvested geodata with extents and WMS/WFS resources out of the box. Loopback and
plain http are allowed in this process only, as for the fake RVR.
"""
from __future__ import annotations

import json
from typing import Any

import ckan.plugins.toolkit as tk
import click
from ckan import model

from ckanext.hamm.harvesters.csw import CSW_TYPE

DEMO_SOURCE = "geoportal-demo"


@click.command("geoportal")
@click.option("--url", required=True, help="The demo geoportal's CSW address on 127.0.0.1.")
@click.option("--organization", default="stadt-hamm", show_default=True, help="Owner of the harvested datasets.")
def demo_geoportal(url: str, organization: str) -> None:
    """Demo only: harvest the local pycsw geoportal once with ``hamm_csw`` (never on production)."""
    for key, value in (("ckanext.hamm.harvest.allowed_hosts", ["127.0.0.1"]),
                       ("ckanext.hamm.harvest.allow_http", True), ("ckanext.hamm.harvest.allow_loopback", True)):
        tk.config[key] = value  # this process only: the demo geoportal is local plain http
    source = ensure_source(url, organization)
    added, errors = run_once(source)
    click.echo(f"Geoportal: {added} Datensätze übernommen, {errors} Fehler / {added} datasets, {errors} errors")


def ensure_source(url: str, organization: str) -> Any:
    from ckanext.harvest.model import HarvestSource

    context = {"user": tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"], "ignore_auth": True}
    names = tk.get_action("organization_list")({"ignore_auth": True}, {})
    data = {"name": DEMO_SOURCE, "title": "Geoportal Hamm (Demo)", "url": url, "source_type": CSW_TYPE,
            "owner_org": organization if organization in names else names[0], "frequency": "MANUAL",
            "config": json.dumps({"handlungsfeld": "digitale-infrastruktur"})}
    existing = model.Package.get(DEMO_SOURCE)
    if existing is None:
        return HarvestSource.get(tk.get_action("harvest_source_create")(context, data)["id"])
    tk.get_action("harvest_source_update")(context, dict(data, id=existing.id))
    return HarvestSource.get(existing.id)


def run_once(source: Any) -> tuple[int, int]:
    """One job through ckanext-harvest's own stages, in this process."""
    from ckanext.harvest import queue
    from ckanext.harvest.model import HarvestJob, HarvestObject

    job_dict = tk.get_action("harvest_job_create")({"ignore_auth": True, "user": ""},
                                                   {"source_id": source.id, "run": False})
    job = HarvestJob.get(job_dict["id"])
    job.status = "Running"
    job.save()
    harvester = queue.get_harvester(CSW_TYPE)
    ids = queue.gather_stage(harvester, job) or []
    for object_id in ids:
        queue.fetch_and_import_stages(harvester, HarvestObject.get(object_id))
    tk.get_action("harvest_jobs_run")({"ignore_auth": True, "user": ""}, {"source_id": source.id})
    objects = [HarvestObject.get(i) for i in ids]
    return (sum(1 for o in objects if o and o.state == "COMPLETE"),
            sum(1 for o in objects if o and o.state == "ERROR"))
