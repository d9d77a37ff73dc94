"""``ckan hamm backup`` and ``ckan hamm restore``: the archive of ``backup.py`` for this ini's portal."""
from __future__ import annotations

import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

import ckan.plugins.toolkit as tk
import click

from . import backup


def _target() -> tuple[str, str | None, Path | None]:
    storage = tk.config.get("ckan.storage_path")
    return (tk.config["sqlalchemy.url"], tk.config.get("ckan.datastore.write_url") or None,
            Path(storage) if storage else None)


@click.command("backup", short_help="Archive the database, DataStore and uploaded files (one tar).")
@click.option("--dir", "directory", type=click.Path(file_okay=False, path_type=Path),
              default=lambda: os.environ.get("BACKUP_DIR") or "backups", show_default="$BACKUP_DIR or ./backups",
              help="Folder of the archives.")
def backup_command(directory: Path) -> None:
    """Prints the archive's path; the manifest inside lists versions, counts and checksums."""
    try:
        path = backup.create(directory, *_target())
    except backup.BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"backup: {path.stat().st_size:,} bytes".replace(",", "."), err=True)
    click.echo(str(path))


@click.command("restore", short_help="Restore an archive of `ckan hamm backup` into an empty portal.")
@click.argument("archive", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Restore over a database or storage folder that holds data.")
def restore_command(archive: Path, force: bool) -> None:
    """Checks every checksum first, restores, rebuilds the search index and compares the counts."""
    database, datastore, storage = _target()
    reader = urlsplit(tk.config.get("ckan.datastore.read_url") or "").username
    try:
        manifest = backup.restore(archive, database, datastore, storage, datastore_reader=reader, force=force)
        rows = backup.compare(manifest, database, datastore, storage)
    except backup.BackupError as error:
        raise click.ClickException(str(error)) from None
    differ = [row for row in rows if row[1] != row[2]]
    click.echo(f"restored {archive.name} (made {manifest['created']}, CKAN {manifest['versions'].get('ckan')}); "
               f"{len(rows) - len(differ)} of {len(rows)} counts as in the manifest", err=True)
    for what, before, now in differ:
        click.echo(f"  differs: {what}: backup {before}, now {now}", err=True)
    _rebuild_index()
    if differ:
        sys.exit(1)


def _rebuild_index() -> None:
    """The restored index table may predate its last writes: rebuild it from the datasets."""
    import sqlalchemy as sa
    from ckan import model
    from ckan.lib import search

    model.Session.remove()
    search.rebuild(defer_commit=True, quiet=True, clear=True)
    search.commit()
    count = model.Session.execute(sa.text("SELECT count(*) FROM package WHERE state = 'active'")).scalar()
    click.echo(f"search index rebuilt ({count} active datasets)", err=True)
