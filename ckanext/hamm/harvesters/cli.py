"""``ckan hamm rvr …``: run the RVR harvest by hand or from cron, and the demo harvest."""
from __future__ import annotations

import json
import sys
from typing import Any, Optional

import ckan.plugins.toolkit as tk
import click
import sqlalchemy.exc
from ckan import model

from ckanext.hamm import config as hamm_config
from ckanext.harvest.logic import HarvestJobExists

from . import jobs, sync
from .constants import RVR_TYPE

DEMO_SOURCE = "rvr-demo"
ALREADY_RUNNING = ("Für diese Quelle läuft bereits eine Übernahme; dieser Aufruf endet ohne Änderung. / "
                   "A sync of this source is already running; this call ends without changes.")
JOB_WAITING = ("Ein Erntejob dieser Quelle wartet oder läuft bereits in der Warteschlange (Harvest-Prozesse). / "
               "A harvest job of this source is already queued or running in the harvest consumers.")
DATABASE_GONE = ("Die Datenbank ist nicht erreichbar; der Lauf wurde abgebrochen und wird beim nächsten "
                 "Aufruf als beendet markiert. / The database cannot be reached; the run stopped and is "
                 "marked finished by the next call.")


@click.group("rvr", short_help="Harvesting from the Open Data Portal Metropole Ruhr (opendata.ruhr).")
def rvr_group() -> None:
    pass


class _Progress:
    """One status line on stderr (no bar for gather: the total is unknown until the end)."""

    def __init__(self) -> None:
        self.tty = sys.stderr.isatty()

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage == "gather":
            text = f"Katalog lesen: {done} Datensätze"
        else:
            width = 30
            filled = int(width * done / total) if total else width
            text = f"Übernehmen [{'#' * filled}{'.' * (width - filled)}] {done}/{total}"
        if self.tty:
            click.echo("\r" + text, nl=False, err=True)
        elif stage != "gather" and (done == total or done % 100 == 0):
            click.echo(text, err=True)

    def end(self) -> None:
        if self.tty:
            click.echo("", err=True)


@rvr_group.command("sync")
@click.option("--source", "source_name", default=None, help="Name or id of the hamm_rvr harvest source.")
@click.option("--dry-run", is_flag=True, help="Read and compare only; change nothing.")
@click.option("--full", is_flag=True, help="Compare the whole catalogue (also withdraws vanished datasets).")
def sync_command(source_name: Optional[str], dry_run: bool, full: bool) -> None:
    """Harvest now and print added / updated / unchanged / withdrawn / errors."""
    try:
        source = sync.find_source(source_name)
        with jobs.source_lock(source.id) as locked:
            if not locked:
                raise click.ClickException(ALREADY_RUNNING)
            jobs.finish_stale(source.id, lock_held=True)
            progress = _Progress()
            report = sync.run(source, full=full, dry_run=dry_run, progress=progress)
            progress.end()
    except tk.ObjectNotFound as error:
        raise click.ClickException(str(error)) from None
    except HarvestJobExists:
        raise click.ClickException(JOB_WAITING) from None
    except sqlalchemy.exc.DBAPIError:
        raise click.ClickException(DATABASE_GONE) from None
    click.echo(report.summary())
    if report.errors:
        sys.exit(1)


@rvr_group.command("demo-harvest")
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
    from ckan import model

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
