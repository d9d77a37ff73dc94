"""``ckan hamm …`` commands."""
from __future__ import annotations

import click

from ckanext.hamm import config as hamm_config
from ckanext.hamm import demo
from ckanext.hamm.profiles.cli import dcat_group

__all__ = ["hamm"]


@click.group(short_help="Commands of the Hamm open-data portal.")
def hamm() -> None:
    pass


hamm.add_command(dcat_group)


@hamm.group("demo", short_help="Demo content for `make demo` (never on production).")
def demo_group() -> None:
    pass


@demo_group.command("seed")
@click.option("--with-rvr", is_flag=True,
              help="Then harvest the local fake RVR once, as `ckan hamm rvr demo-harvest` (one CKAN start, not two).")
@click.option("--rvr-port", default=0, help="Port of the fake RVR the demo keeps running.")
@click.pass_context
def demo_seed(ctx: click.Context, with_rvr: bool, rvr_port: int) -> None:
    """Create or refresh the demo organisations, datasets and sysadmin."""
    # The demo's fake RVR also serves the city's linked files, so their previews work offline.
    file_base = f"http://127.0.0.1:{rvr_port}" if with_rvr and rvr_port else ""
    counts = demo.seed(hamm_config.demo_sysadmin_name(), file_base)
    counts.update(demo.seed_inventory(hamm_config.demo_sysadmin_name()))
    click.echo(", ".join(f"{count} {what}" for what, count in counts.items()))
    _print_logins(demo.demo_logins(hamm_config.demo_sysadmin_name(), hamm_config.demo_editor_name()))
    if with_rvr:
        try:
            ctx.invoke(demo_harvest, port=rvr_port)
        except Exception as error:  # the demo portal still serves its own datasets
            click.echo(f"Demo-Übernahme aus dem RVR fehlgeschlagen / demo RVR harvest failed: {error}", err=True)


def _print_logins(logins: list[tuple[str, str, str]]) -> None:
    roles = {"sysadmin": "Systemadministration / sysadmin",
             "editor": "Redaktion aller Demo-Ämter / editor of every demo organisation"}
    site = hamm_config.site_url()
    click.echo(f"Anmeldung nur für die Demo / demo logins ({site}/user/login), neu bei jedem Start:")
    for role, name, password in logins:
        click.echo(f"  {roles[role]}: {name} / {password}")


@demo_group.command("token")
def demo_token() -> None:
    """Print a new API token of the demo sysadmin (for curl and ckanapi)."""
    click.echo(demo.api_token(hamm_config.demo_sysadmin_name()))


@hamm.command("loader-token")
@click.option("--keep", default="", help="A token to print again if it is still valid.")
def loader_token_command(keep: str) -> None:
    """Print an API token of the site user for ``ckanext.xloader.api_token``."""
    from ckanext.hamm.previews import loader_token

    click.echo(loader_token(keep))


from ckanext.hamm.demo.geoportal import demo_geoportal  # noqa: E402  (the demo's pycsw, harvested)
from ckanext.hamm.demo.harvest import demo_harvest  # noqa: E402  (the demo's fake RVR, harvested)
from ckanext.hamm.harvesters.cli import rvr_group  # noqa: E402  (the RVR harvester's commands)
from ckanext.hamm.publish.cli import publish_command  # noqa: E402  (and the way back: publishing to RVR)

rvr_group.add_command(publish_command)
rvr_group.add_command(demo_harvest)
demo_group.add_command(demo_geoportal)
hamm.add_command(rvr_group)

from ckanext.hamm.checks.cli import links_group  # noqa: E402  (link checks of resource URLs)

hamm.add_command(links_group)

from ckanext.hamm.server.scheduler import scheduler_command  # noqa: E402  (the process set's clock)

hamm.add_command(scheduler_command)

from ckanext.hamm.server.worker import worker_command  # noqa: E402  (the jobs worker, after the web)

hamm.add_command(worker_command)

from ckanext.hamm.inventory.spreadsheet_cli import inventar_group  # noqa: E402  (Dateninventur spreadsheets)

hamm.add_command(inventar_group)

from ckanext.hamm.server.backup_cli import backup_command, restore_command  # noqa: E402  (backup drills)

hamm.add_command(backup_command)
hamm.add_command(restore_command)

from ckanext.hamm.directory.sync import directory_group  # noqa: E402  (staff accounts from the directory)

hamm.add_command(directory_group)
