"""``ckan hamm dcat …``: DCAT-AP.de exports for harvesters and the city's archive."""
from __future__ import annotations

import sys
from typing import Optional

import click

from ckanext.hamm.profiles import dump as dcat_dump


@click.group("dcat", short_help="DCAT-AP.de exports of the catalogue.")
def dcat_group() -> None:
    pass


@dcat_group.command("dump")
@click.option("--format", "fmt", type=click.Choice(sorted(dcat_dump.FORMATS)), default="ttl",
              show_default=True, help="Serialisation (Turtle, N-Triples, RDF/XML, JSON-LD); nt is the fastest.")
@click.option("--output", type=click.Path(dir_okay=False, writable=True),
              help="File to write (default: standard output).")
@click.option("--page-size", type=click.IntRange(1, 1000), default=dcat_dump.PAGE_SIZE,
              show_default=True, help="Datasets per serialised page (memory use grows with it).")
@click.option("--workers", type=click.IntRange(1, 16), default=dcat_dump.default_workers(),
              show_default=True, help="Processes that render pages in parallel.")
def dump(fmt: str, output: Optional[str], page_size: int, workers: int) -> None:
    """Write every public dataset as one DCAT-AP.de catalogue, page by page."""
    out = open(output, "w", encoding="utf-8") if output else sys.stdout  # noqa: SIM115 (closed below; may be stdout)
    with click.progressbar(length=1, label="DCAT dump", file=sys.stderr) as bar:
        def progress(done: int, total: int) -> None:
            bar.length = max(total, 1)
            bar.update(done - bar.pos)
        try:
            count = dcat_dump.dump(out, fmt, page_size=page_size, progress=progress, workers=workers)
        finally:
            if output:
                out.close()
    click.echo(f"{count} datasets written", err=True)
