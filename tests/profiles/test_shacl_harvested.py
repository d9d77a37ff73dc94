"""Whatever a harvest brings in, every /catalog.ttl page and the dump stay DCAT-AP.de conformant.

One harvest source per fault mode of the fake RVR (plus a clean run over the API and over
DCAT) fills the portal; datasets GovData would reject (unknown licence: never invented) stay
on the portal, staff see why, and the catalogue leaves them out. The catalogue pages are
validated with the SEMIC DCAT-AP 3.0 and GovData DCAT-AP.de 3.0 shapes (0 violations).
"""
from __future__ import annotations

import io
from typing import Any

from ckan import model
from ckan.tests import helpers
from rdflib import Graph, URIRef
from rdflib.namespace import DCAT, RDF

from ckanext.hamm.demo.fake_rvr import FAULTS, FakeRVR
from ckanext.hamm.harvesters import sync
from ckanext.hamm.profiles import dump
from ckanext.harvest.model import HarvestObject
from tests.harvesters.conftest import clean_db, job_marks, make_source, org, sysadmin  # noqa: F401 (fixtures)
from tests.profiles import test_shacl as shacl_checks
from tests.profiles.conftest import config_marks

pytestmark = [m for m in config_marks() if m.name != "usefixtures"] + job_marks()

# faults of the DCAT path (/catalog.rdf) only show in a source that reads DCAT
DCAT_FAULTS = {"xxe", "billion_laughs", "next_foreign", "jsonld_remote_context", "malformed_rdf"}
RUNS = [(None, "ckan-api"), (None, "dcat")] + [(f, "dcat" if f in DCAT_FAULTS else "ckan-api") for f in FAULTS]


def _harvest_every_fault_mode(org_id: str, user: str) -> None:
    with FakeRVR(14, rdf_page_size=7) as rvr:  # 14: every licence of the fake twice
        rvr.stall_seconds = 2
        for n, (fault, mode) in enumerate(RUNS):
            source = make_source(rvr.url, org_id, user, name=f"rvr-{n}", page_size=7, max_pages=4, mode=mode,
                                 schedule_hint=f"fault mode {fault}")  # one source per URL+config
            rvr.fault, rvr._429_sent = fault, False
            sync.run(source)


def _harvested() -> list[dict[str, Any]]:
    ids = [i for (i,) in model.Session.query(HarvestObject.package_id)
           .filter(HarvestObject.current.is_(True), HarvestObject.package_id.isnot(None)).distinct()]
    return [helpers.call_action("package_show", id=i) for i in ids]


def _dataset_pages(pages: list[str]) -> set[str]:
    found: set[str] = set()
    for body in pages:
        graph = Graph().parse(data=body, format="turtle")
        found |= {str(s) for s in graph.subjects(RDF.type, DCAT.Dataset)}
    return found


def _uri(dataset: dict[str, Any]) -> str:
    return f"https://opendata.hamm.de/dataset/{dataset['id']}"


def test_catalogue_of_every_fault_mode_is_conformant_and_skips_unknown_licences(app, org, sysadmin):
    _harvest_every_fault_mode(org["id"], sysadmin["name"])
    datasets = _harvested()
    blocked = [d for d in datasets if not d.get("license_id")]
    delivered = [d for d in datasets if d.get("license_id")]
    assert len(blocked) >= 10 and len(delivered) >= 50  # fake RVR: "Stadt-Hamm-Sonderlizenz" is unknown

    # never invented: the unknown licence stays unknown, and staff are told why
    for dataset in blocked:
        assert "Sonderlizenz" in dataset["hamm_harvest_warnings"]
        assert not any(r.get("license") for r in dataset["resources"])
    quality = helpers.call_action("hamm_quality_show", {"user": sysadmin["name"]}, id=blocked[0]["id"])
    assert quality["dcat_deliverable"] is False
    assert [g["id"] for g in quality["dcat_gaps"]] == ["license"]

    # still on the portal for everybody
    anonymous = app.get(f"/api/3/action/package_show?id={blocked[0]['name']}").json["result"]
    assert anonymous["id"] == blocked[0]["id"]

    pages = shacl_checks._pages(app)
    assert _dataset_pages(pages) == {_uri(d) for d in delivered}
    figures = shacl_checks._check(pages)
    assert figures["dcat-ap-de-3"][0] == figures["dcat-ap-3"][0] == 0

    out = io.StringIO()
    assert dump.dump(out, "nt") == len(delivered)
    dumped = Graph().parse(data=out.getvalue(), format="nt")
    assert not any((URIRef(_uri(d)), None, None) in dumped for d in blocked)
