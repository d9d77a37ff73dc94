"""``ckan hamm rvr demo-harvest``: the fake RVR served on 127.0.0.1 and harvested once (demo only).

Registered under ``ckan hamm rvr`` by ``cli.py``; ``ckan hamm demo seed --with-rvr`` runs it too.
"""
from __future__ import annotations

import json
from typing import Any, Optional

import ckan.plugins.toolkit as tk
import click
from ckan import model

from ckanext.hamm import config as hamm_config
from ckanext.hamm.harvesters import sync
from ckanext.hamm.harvesters.constants import RVR_TYPE

DEMO_SOURCE = "rvr-demo"


@click.command("demo-harvest")
@click.option("--organization", default=None, help="Organisation that owns the harvested datasets.")
@click.option("--count", default=150, show_default=True, help="Datasets the fake RVR serves.")
@click.option("--port", default=0, help="Port of the fake RVR (the demo's process set serves it there later).")
def demo_harvest(organization: Optional[str], count: int, port: int) -> None:
    """Demo only: serve the fake RVR on 127.0.0.1 and harvest it once (never on production)."""
    from ckanext.hamm.demo import fake_rvr as fake

    for key, value in (("ckanext.hamm.harvest.allowed_hosts", ["127.0.0.1"]),
                       ("ckanext.hamm.harvest.allow_http", True), ("ckanext.hamm.harvest.allow_loopback", True)):
        tk.config[key] = value  # this process only: the fake server is local plain http
    with fake.FakeRVR(count, port=port, files=True) as server:  # files served too: offline previews
        source = ensure_demo_source(server.url, organization)
        report = sync.run(source, full=True)
    click.echo(report.summary())


def ensure_demo_source(url: str, organization: Optional[str]) -> Any:
    from ckanext.harvest.model import HarvestSource

    context = {"user": tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"], "ignore_auth": True}
    org = organization or _first_organization()
    data = {"name": DEMO_SOURCE, "title": "Open Data Portal Metropole Ruhr (Demo)", "url": url,
            "source_type": RVR_TYPE, "owner_org": org, "frequency": "MANUAL",
            "config": json.dumps({"organizations": ["hamm"], "public_url": "https://opendata.ruhr"})}
    existing = model.Package.get(DEMO_SOURCE)
    if existing is None:
        created = tk.get_action("harvest_source_create")(context, data)
        return HarvestSource.get(created["id"])
    tk.get_action("harvest_source_update")(context, dict(data, id=existing.id))
    return HarvestSource.get(existing.id)


def _first_organization() -> str:
    """An organisation the demo editor edits, so their login sees the source and runs "Neu ernten";
    without one, ``stadt-hamm`` or the first by name."""
    names = tk.get_action("organization_list")({"ignore_auth": True}, {"sort": "name asc"})
    if not names:
        raise click.ClickException("Keine Organisation vorhanden: erst `ckan hamm demo seed` ausführen.")
    editor = hamm_config.demo_editor_name()
    edited = sorted(org["name"] for org in tk.get_action("organization_list_for_user")(
        {"ignore_auth": True}, {"id": editor, "permission": "update_dataset"})) if model.User.get(editor) else []
    if edited:
        return edited[0]
    return "stadt-hamm" if "stadt-hamm" in names else names[0]
