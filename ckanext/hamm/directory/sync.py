"""``ckan hamm directory sync``: every directory user follows the directory, not only at sign-in.

A leaver who never signs in again still loses roles, sign-in and API tokens at the next run.
An unreachable directory changes nothing (a run never mistakes an outage for deleted accounts).
"""
from __future__ import annotations

import logging

import click

from ckanext.hamm.directory import accounts, client, login

log = logging.getLogger(__name__)


def sync_all() -> dict[str, int]:
    """Follow the directory for each directory user; counts of what happened."""
    users = accounts.directory_users()
    logins = [str((accounts.marker(user) or {}).get("login") or "") for user in users]
    entries = client.lookup([name for name in logins if name])
    counts = {"active": 0, "deactivated": 0}
    for user, name in zip(users, logins, strict=False):
        entry = entries.get(name) if name else None
        if entry is None:
            accounts.take_away(user, "the directory account no longer exists", "directory sync")
            counts["deactivated"] += 1
        elif accounts.follow(entry, "directory sync", user=user) is None:
            counts["deactivated"] += 1
        else:
            counts["active"] += 1
    return counts


@click.group("directory", short_help="The city's directory (LDAP / Active Directory).")
def directory_group() -> None:
    pass


@directory_group.command("sync")
def sync_command() -> None:
    """Roles and state of every directory user as the directory says now."""
    if not login.enabled():
        click.echo("No directory configured (ckanext.hamm.ldap.uri): nothing to do.")
        return
    try:
        counts = sync_all()
    except client.DirectoryUnavailable as error:
        raise click.ClickException(f"Verzeichnis nicht erreichbar / directory unavailable: {error}") from error
    click.echo(f"directory sync: {counts['active']} active, {counts['deactivated']} deactivated")
