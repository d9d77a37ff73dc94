"""``ckan hamm …`` commands."""
from __future__ import annotations

import click

from ckanext.hamm import config as hamm_config
from ckanext.hamm import demo
from ckanext.hamm.dcat.cli import dcat_group

__all__ = ["hamm"]


@click.group(short_help="Commands of the Hamm open-data portal.")
def hamm() -> None:
    pass


hamm.add_command(dcat_group)


@hamm.group("demo", short_help="Demo content for `make demo` (never on production).")
def demo_group() -> None:
    pass


@demo_group.command("seed")
def demo_seed() -> None:
    """Create or refresh the demo organisations, datasets and sysadmin."""
    counts = demo.seed(hamm_config.demo_sysadmin_name())
    click.echo(", ".join(f"{count} {what}" for what, count in counts.items()))


@demo_group.command("token")
def demo_token() -> None:
    """Print a new API token of the demo sysadmin (for curl and ckanapi)."""
    click.echo(demo.api_token(hamm_config.demo_sysadmin_name()))


from ckanext.hamm.harvesters.cli import rvr_group  # noqa: E402  (the RVR harvester's commands)

hamm.add_command(rvr_group)
