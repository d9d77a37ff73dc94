"""``ckan hamm rvr publish``: deliver Hamm's own datasets to opendata.ruhr (run it after each sync)."""
from __future__ import annotations

import sys
from typing import Optional

import click

from . import publisher


class _Bar:
    """A progress bar on stderr when it is a terminal, a line per 100 datasets otherwise."""

    def __init__(self) -> None:
        self.tty = sys.stderr.isatty()
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        width = 30
        filled = int(width * done / total) if total else width
        text = f"Liefern [{'#' * filled}{'.' * (width - filled)}] {done}/{total}"
        if self.tty:
            click.echo("\r" + text, nl=False, err=True)
            self.shown = True
        elif done == total or done % 100 == 0:
            click.echo(text, err=True)

    def end(self) -> None:
        if self.shown:
            click.echo("", err=True)


@click.command("publish")
@click.option("--dry-run", is_flag=True, help="Compare and report only; write nothing at RVR.")
@click.option("--full", is_flag=True, help="Compare every dataset, not only those changed since the last run.")
@click.option("--url", default=None, help="RVR CKAN address (default: ckanext.hamm.rvr_publish.url).")
@click.option("--organization", default=None, help="RVR organisation (default: ckanext.hamm.rvr_publish.organization).")
@click.option("--force", is_flag=True, help="Overwrite datasets edited at RVR since our last publish.")
def publish_command(dry_run: bool, full: bool, url: Optional[str], organization: Optional[str], force: bool) -> None:
    """Publish Hamm's public datasets to RVR; token from HAMM_RVR_API_TOKEN (never printed)."""
    bar = _Bar()
    report = publisher.publish(url=url, organization=organization, dry_run=dry_run, full=full, force=force,
                               progress=bar)
    bar.end()
    click.echo(report.summary())
    if report.errors:
        sys.exit(1)
