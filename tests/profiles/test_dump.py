"""``ckan hamm dcat dump``: every public dataset once, in each format, over several pages."""
from __future__ import annotations

import io
from pathlib import Path

import pytest
from ckan.tests import factories, helpers
from click.testing import CliRunner
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from ckanext.hamm.cli import hamm
from ckanext.hamm.profiles import dump
from tests.profiles.conftest import config_marks, full_dataset_dict
from tests.profiles.shacl import validator

pytestmark = config_marks()
DCAT = "http://www.w3.org/ns/dcat#"
PARSE = {"nt": "nt", "ttl": "turtle", "rdf": "xml", "jsonld": "json-ld"}


@pytest.fixture
def datasets() -> list[str]:
    org = factories.Organization()
    names = [f"dump-{i}" for i in range(5)]
    for name in names:
        helpers.call_action("package_create", **full_dataset_dict(org["id"], name=name))
    helpers.call_action("package_create", **full_dataset_dict(org["id"], name="dump-geheim", private=True))
    gone = helpers.call_action("package_create", **full_dataset_dict(org["id"], name="dump-weg"))
    helpers.call_action("package_delete", id=gone["id"])
    return names


def _datasets_in(g: Graph) -> set[URIRef]:
    return set(g.subjects(RDF.type, URIRef(DCAT + "Dataset")))


@pytest.mark.parametrize("fmt, workers", [("ttl", 1), ("nt", 1), ("rdf", 1), ("jsonld", 1),
                                          ("ttl", 2), ("nt", 2), ("rdf", 2), ("jsonld", 2)])
def test_dump_writes_each_public_dataset_once(datasets: list[str], fmt: str, workers: int) -> None:
    out = io.StringIO()
    count = dump.dump(out, fmt, page_size=2, workers=workers)
    g = Graph().parse(data=out.getvalue(), format=PARSE[fmt])
    assert count == 5
    found = _datasets_in(g)
    assert len(found) == 5
    catalogs = list(g.subjects(RDF.type, URIRef(DCAT + "Catalog")))
    assert len(catalogs) == 1
    assert set(g.objects(catalogs[0], URIRef(DCAT + "dataset"))) == found
    assert "dump-geheim" not in out.getvalue() and "dump-weg" not in out.getvalue()


def test_dump_passes_dcat_ap_de(datasets: list[str]) -> None:
    out = io.StringIO()
    dump.dump(out, "ttl", page_size=2)
    findings = validator.validate(Graph().parse(data=out.getvalue(), format="turtle"), "dcat-ap-de-3")
    assert not validator.violations(findings)


def test_cli_to_file_with_progress(datasets: list[str], tmp_path: Path) -> None:
    target = tmp_path / "katalog.ttl"
    result = CliRunner().invoke(hamm, ["dcat", "dump", "--format", "ttl", "--output", str(target),
                                       "--page-size", "2"])
    assert result.exit_code == 0, result.output
    assert "5 datasets written" in result.output
    assert len(_datasets_in(Graph().parse(target, format="turtle"))) == 5


def test_cli_refuses_unknown_format() -> None:
    result = CliRunner().invoke(hamm, ["dcat", "dump", "--format", "n3"])
    assert result.exit_code != 0
