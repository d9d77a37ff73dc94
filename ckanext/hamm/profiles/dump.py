"""Whole-catalogue DCAT dump, streamed page by page in constant memory.

rdflib's cost grows with the graph, and a 10k-dataset catalogue in one graph takes
minutes and gigabytes. Here every page of datasets becomes its own small graph whose
serialisation is appended to the output; only the framing (Turtle prefixes, the RDF/XML
root element, the JSON-LD array) is written once. Same datasets as ``/catalog.*``:
public, active, no harvest sources, nothing GovData would reject, searched as an anonymous visitor.

Building and serialising a page costs ~10 ms per dataset in rdflib, so pages are
rendered by worker processes (forked after CKAN is loaded) and written in order.
N-Triples (``nt``) is the fastest format to write and to read back: one triple per line.
"""
from __future__ import annotations

import json
import multiprocessing
import os
import re
from typing import IO, Any, Callable, Iterator, Optional

import ckan.plugins.toolkit as tk
from ckan import model
from rdflib import Graph, URIRef

from ckanext.dcat.processors import RDFSerializer
from ckanext.dcat.profiles import DCAT
from ckanext.hamm import config as hamm_config
from ckanext.hamm.dataset.indexing import catalogue_filter
from ckanext.hamm.patches import forking
from ckanext.hamm.vocabularies import codelists

FORMATS = {"ttl": "turtle", "nt": "nt", "rdf": "xml", "jsonld": "json-ld"}
PAGE_SIZE = 100
_XML_ROOT = re.compile(r"<rdf:RDF\b([^>]*)>(.*)</rdf:RDF>", re.S)
_XMLNS = re.compile(r'xmlns:([\w.-]+)="([^"]*)"')


class HammDumpError(Exception):
    """The dump cannot be written consistently (e.g. namespace clash in RDF/XML)."""


def _search(start: int, rows: int) -> dict[str, Any]:
    """One page of public active datasets, searched as an anonymous visitor (never as sysadmin)."""
    context = {"user": "", "ignore_auth": False}
    return tk.get_action("package_search")(context, {
        "q": "*:*", "rows": rows, "start": start, "sort": "name asc",
        "fq": f"-dataset_type:harvest -dataset_type:showcase {catalogue_filter()}",
    })


def pages(page_size: int = PAGE_SIZE) -> Iterator[tuple[list[dict[str, Any]], int]]:
    """Yield (datasets of one page, total count) until the catalogue is exhausted."""
    start = 0
    while True:
        result = _search(start, page_size)
        if not result["results"]:
            return
        yield result["results"], result["count"]
        start += len(result["results"])


def _serializer(profiles: Optional[list[str]]) -> RDFSerializer:
    serializer = RDFSerializer(profiles=profiles)
    # a plain Graph: the ConjunctiveGraph ckanext-dcat uses spends a third of the time
    # on context bookkeeping the dump never needs
    serializer.g = Graph()
    return serializer


def _with_publisher(dataset: dict[str, Any]) -> dict[str, Any]:
    """Name the city as publisher where a dataset names none, as the profile would.

    Otherwise ckanext-dcat first looks up every organisation (``organization_show``
    counts its datasets: ~1 s each at 10k datasets) for a publisher our profile replaces.
    """
    if dataset.get("publisher"):
        return dataset
    city = {"name": hamm_config.dcat_publisher_name(), "uri": hamm_config.dcat_publisher_uri(),
            "type": codelists.PUBLISHER_TYPE + "LocalAuthority"}
    return {**dataset, "publisher": [city]}


def _page_graph(datasets: list[dict[str, Any]], catalog_ref: URIRef,
                profiles: Optional[list[str]]) -> Any:
    serializer = _serializer(profiles)
    for dataset in datasets:
        dataset_ref = serializer.graph_from_dataset(_with_publisher(dataset))
        serializer.g.add((catalog_ref, DCAT.dataset, dataset_ref))
    return serializer.g


def _serialised_page(datasets: list[dict[str, Any]], fmt: str, profiles: Optional[list[str]],
                     catalog_uri: str) -> str:
    return _page_graph(datasets, URIRef(catalog_uri), profiles).serialize(format=FORMATS[fmt])


def _render_page(task: tuple[int, int, str, Optional[list[str]], str]) -> tuple[str, int]:
    """One page as text: (serialisation, datasets in it). Runs in a worker process."""
    start, page_size, fmt, profiles, catalog_uri = task
    datasets = _search(start, page_size)["results"]
    return _serialised_page(datasets, fmt, profiles, catalog_uri), len(datasets)


def default_workers() -> int:
    return max(1, min(4, os.cpu_count() or 1))


def _rendered_pages(fmt: str, profiles: Optional[list[str]], page_size: int, catalog_uri: str,
                    workers: int) -> Iterator[tuple[str, int, int]]:
    """Yield (text, datasets in page, total) page after page, in catalogue order."""
    if workers <= 1:
        for datasets, total in pages(page_size):
            yield _serialised_page(datasets, fmt, profiles, catalog_uri), len(datasets), total
        return
    total = _search(0, 0)["count"]  # a snapshot: datasets added during the dump come next time
    tasks = [(start, page_size, fmt, profiles, catalog_uri) for start in range(0, total, page_size)]
    model.Session.remove()  # nothing open in the parent to be copied into the workers
    with multiprocessing.get_context("fork").Pool(workers, initializer=forking.forget_inherited_connections) as pool:
        for text, count in pool.imap(_render_page, tasks):
            yield text, count, total


class _Writer:
    """Framing of one output format around independently serialised pages."""

    def __init__(self, out: IO[str], fmt: str) -> None:
        self.out, self.fmt, self.first = out, fmt, True
        self.namespaces: dict[str, str] = {}

    def start(self, catalog_graph: Any) -> None:
        if self.fmt == "rdf":
            self.namespaces = {p: str(n) for p, n in catalog_graph.namespaces()}
            decl = "".join(f'\n   xmlns:{p}="{n}"' for p, n in sorted(self.namespaces.items()) if p)
            self.out.write(f'<?xml version="1.0" encoding="utf-8"?>\n<rdf:RDF{decl}\n>\n')
        elif self.fmt == "jsonld":
            self.out.write("[\n")
        self.write(catalog_graph)

    def write(self, graph: Any) -> None:
        self.write_text(graph.serialize(format=FORMATS[self.fmt]))

    def write_text(self, text: str) -> None:
        """Append one serialised page (Turtle and N-Triples concatenate as they are)."""
        if self.fmt in ("ttl", "nt"):
            self.out.write(text + "\n")
        elif self.fmt == "rdf":
            self.out.write(self._xml_body(text))
        else:
            for node in json.loads(text):
                self.out.write(("" if self.first else ",\n") + json.dumps(node, ensure_ascii=False))
                self.first = False

    def _xml_body(self, text: str) -> str:
        match = _XML_ROOT.search(text)
        if not match:
            return ""
        for prefix, namespace in _XMLNS.findall(match.group(1)):
            if self.namespaces.get(prefix) != namespace:
                raise HammDumpError(f"namespace prefix {prefix} is not declared consistently")
        return match.group(2)

    def finish(self) -> None:
        if self.fmt == "rdf":
            self.out.write("</rdf:RDF>\n")
        elif self.fmt == "jsonld":
            self.out.write("\n]\n")


def dump(out: IO[str], fmt: str = "ttl", profiles: Optional[list[str]] = None,
         page_size: int = PAGE_SIZE, progress: Optional[Callable[[int, int], None]] = None,
         workers: int = 1) -> int:
    """Write the whole catalogue to ``out``; returns the number of datasets written.

    ``progress(done, total)`` is called after each page (the CLI draws a bar with it);
    ``workers`` > 1 renders pages in that many forked processes.
    """
    if fmt not in FORMATS:
        raise HammDumpError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    catalog = _serializer(profiles)
    catalog_ref = catalog.graph_from_catalog({})
    writer = _Writer(out, fmt)
    writer.start(catalog.g)
    done = 0
    for text, count, total in _rendered_pages(fmt, profiles, page_size, str(catalog_ref), workers):
        writer.write_text(text)
        done += count
        if progress:
            progress(done, total)
    writer.finish()
    return done
