"""``ckan hamm links check``: check the resource URLs that are due (the scheduler runs it hourly)."""
from __future__ import annotations

from typing import Optional

import click

from . import run


@click.group("links", short_help="Link checks of resource URLs.")
def links_group() -> None:
    """Link checks of the resource URLs of public datasets."""


@links_group.command("check")
@click.option("--force", is_flag=True, help="Check every URL, also those checked within the interval.")
@click.option("--limit", type=int, default=None, help="Check at most this many resources in this run.")
def links_check(force: bool, limit: Optional[int]) -> None:
    """Check the resource URLs not checked within ckanext.hamm.links.interval_hours and keep the results."""
    summary = run.run(force=force, limit=limit)
    outcomes = ", ".join(f"{name} {count}" for name, count in sorted(summary["outcomes"].items())) or "-"
    click.echo(f"Linkprüfung: {summary['checked']} von {summary['resources']} Ressourcen geprüft, "
               f"{summary['skipped']} noch aktuell, {summary['requests']} Anfragen ({outcomes}). / "
               f"Link check: {summary['checked']} of {summary['resources']} resources checked.")
