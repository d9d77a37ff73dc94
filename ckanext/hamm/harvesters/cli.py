"""``ckan hamm rvr …``: run the RVR harvest by hand or from cron (the demo harvest is ``demo/harvest.py``)."""
from __future__ import annotations

import sys
from typing import Optional

import ckan.plugins.toolkit as tk
import click
import sqlalchemy.exc

from ckanext.harvest.logic import HarvestJobExists

from . import jobs, sync

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
