"""``ckan hamm inventar import|export``: the Dateninventur spreadsheet from the command line.

Exit code 0 when every row is fine, 1 when rows failed (or the file is refused),
2 for wrong arguments; a bad file gets a message, never a traceback.
"""
from __future__ import annotations

import os
from typing import Optional

import ckan.plugins.toolkit as tk
import click
from ckan import model

from ckanext.hamm import config as hamm_config
from ckanext.hamm.inventory import exporter, importer, spreadsheet

__all__ = ["inventar_group"]


@click.group("inventar", short_help="Dateninventur: spreadsheet import and export.")
def inventar_group() -> None:
    pass


def _user(name: Optional[str]) -> str:
    if not name:
        return tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    user = model.User.get(name)
    if user is None or user.state != "active":
        raise click.UsageError(f"Unbekanntes Konto / unknown user: {name}")
    return user.name


def _fail(de: str, en: str) -> None:
    click.echo(f"{de}\n{en}", err=True)
    raise SystemExit(1)


@inventar_group.command("import")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Check every row and report, write nothing.")
@click.option("--skip-invalid", is_flag=True, help="Write the valid rows even when others fail.")
@click.option("--user", "user_name", default=None,
              help="Import as this account (its organisations only); default: the site user.")
def import_command(path: str, dry_run: bool, skip_invalid: bool, user_name: Optional[str]) -> None:
    """Import FILE.xlsx or FILE.csv: create or update one dataset per row (matched by Identifikator, else Name)."""
    user = _user(user_name)
    try:
        kind = spreadsheet.kind_of(path)
        if not os.path.isfile(path):
            _fail(f"Datei nicht gefunden: {path}", f"File not found: {path}")
        if os.path.getsize(path) > hamm_config.inventory_max_bytes():
            raise spreadsheet.SpreadsheetError(
                f"Die Datei ist zu groß (höchstens {hamm_config.inventory_max_bytes() // 1_000_000} MB).",
                f"The file is too large (at most {hamm_config.inventory_max_bytes() // 1_000_000} MB).")
        with open(path, "rb") as handle:
            data = handle.read()
        sheet = spreadsheet.read(data, f"x.{kind}", hamm_config.inventory_max_rows(),
                                 hamm_config.inventory_max_bytes())
    except spreadsheet.SpreadsheetError as error:
        _fail(error.de, error.en)
        return
    report = importer.run(sheet, user, dry_run=dry_run, skip_invalid=skip_invalid)
    if report.unknown_headers:
        names = ", ".join(report.unknown_headers)
        click.echo(f"Nicht eingelesene Spalten / ignored columns: {names}")
    for problem in report.problems:
        click.echo(f"Zeile {problem.row}, Spalte „{problem.column}“: {problem.de}"
                   f"  / row {problem.row}, column \"{problem.column}\": {problem.en}")
    de, en = report.summary()
    click.echo(de)
    click.echo(en)
    if report.problems:
        raise SystemExit(1)


@inventar_group.command("export")
@click.argument("path", type=click.Path(dir_okay=False, writable=True))
@click.option("--organization", default=None, help="Only this organisation's datasets (name or id).")
def export_command(path: str, organization: Optional[str]) -> None:
    """Write every dataset (or one organisation's) to FILE.xlsx or FILE.csv in the import's layout."""
    try:
        kind = spreadsheet.kind_of(path)
    except spreadsheet.SpreadsheetError as error:
        _fail(error.de, error.en)
        return
    org_id = None
    if organization:
        group = model.Group.get(organization)
        if group is None or not group.is_organization:
            _fail(f"Unbekannte Organisation: {organization}", f"Unknown organisation: {organization}")
            return
        org_id = group.id
    user = _user(None)
    rows = exporter.rows(user, org_id)
    with open(path, "wb") as handle:
        handle.write(spreadsheet.write(kind, rows))
    click.echo(f"{len(rows)} Datensätze nach {path} geschrieben / {len(rows)} datasets written to {path}")
