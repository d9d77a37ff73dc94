"""The catalogue as a demo serves it after the jobs worker ran: uploads loaded, RVR harvested.

ckanext-xloader stores the MD5 of every file it loaded in the resource's ``hash``; the
harvest brings in copies of RVR records. Every /catalog.ttl page and every public dataset's
own RDF page must then still pass DCAT-AP 3.0 and DCAT-AP.de 3.0 (0 violations), datasets
kept out of the catalogue answer their own RDF pages with 404, and harvested copies name
their original (issue 26).
"""
from __future__ import annotations

import hashlib
import io
from typing import Any

import pytest
from ckan import model
from ckan.tests import helpers
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, PROV, RDF, SKOS, XSD

from ckanext.hamm import demo
from ckanext.hamm.demo.fake_rvr import FakeRVR
from ckanext.hamm.harvesters import sync
from ckanext.hamm.profiles import dump
from ckanext.harvest.model import HarvestObject
from tests.harvesters.conftest import clean_db, job_marks, make_source, org, sysadmin  # noqa: F401 (fixtures)
from tests.profiles import test_shacl as shacl_checks
from tests.profiles.conftest import config_marks, graph, serialise
from tests.profiles.shacl import validator

pytestmark = ([m for m in config_marks() if m.name != "usefixtures"] + job_marks()
              + [pytest.mark.ckan_config("ckanext.dcat.datasets_per_page", "10")])

SPDX = "http://spdx.org/rdf/terms#"
ADMS = "http://www.w3.org/ns/adms#"
MD5 = hashlib.md5(b"Baum;Art\n1;Linde\n").hexdigest()


def _checksums(body: str) -> list[tuple[Any, Any]]:
    g = graph(body)
    return [(g.value(c, URIRef(SPDX + "algorithm")), g.value(c, URIRef(SPDX + "checksumValue")))
            for c in g.objects(None, URIRef(SPDX + "checksum"))]


def _resource_dataset(hash_value: str, **resource: Any) -> dict[str, Any]:
    return {"id": "c0ffee00-0000-4000-8000-000000000001", "name": "baeume", "title": "Bäume",
            "notes": "Bäume der Stadt.", "license_id": "dl-by-de/2.0",
            "resources": [{"id": "c0ffee00-0000-4000-8000-000000000002", "url": "https://www.hamm.de/b.csv",
                           "format": "CSV", "hash": hash_value, **resource}]}


@pytest.mark.parametrize(("hash_value", "algorithm", "value"), [
    (MD5, "md5", MD5),  # what ckanext-xloader stores
    ("A" * 40, "sha1", "a" * 40),
    ("sha256:" + "0f" * 32, "sha256", "0f" * 32),
    ("SHA-512:" + "ab" * 64, "sha512", "ab" * 64),
])
def test_checksum_is_written_with_its_algorithm(hash_value, algorithm, value):
    [(algo, checksum)] = _checksums(serialise(_resource_dataset(hash_value)))
    assert algo == URIRef(f"https://spdx.org/rdf/terms#checksumAlgorithm_{algorithm}")
    assert checksum == Literal(value, datatype=XSD.hexBinary)


@pytest.mark.parametrize("hash_value", ["not a hash", "abc", "md5:xyz", "crc32:1234abcd"])
def test_checksum_of_unknown_form_is_left_out(hash_value):
    body = serialise(_resource_dataset(hash_value))
    assert _checksums(body) == []
    assert (None, RDF.type, URIRef(SPDX + "Checksum")) not in graph(body)


def test_checksum_passes_both_profiles():
    g = graph(serialise(_resource_dataset(MD5)))
    for profile in shacl_checks.PROFILES:
        bad = [f for f in validator.violations(validator.validate(g, profile)) if "spdx" in f.path]
        assert not bad, "\n".join(map(str, bad))


# --------------------------------------------------------------- the demo after the workers
def _with_handlungsfeld(data: dict[str, Any]) -> dict[str, Any]:
    data.setdefault("handlungsfeld", ["umwelt"])
    return data


def _load_like_xloader() -> int:
    """What the jobs worker leaves behind: an MD5 in the ``hash`` of every loaded upload."""
    loaded = 0
    for resource in model.Session.query(model.Resource).filter(model.Resource.state == "active"):
        if resource.url_type == "upload":
            helpers.call_action("resource_patch", id=resource.id,
                                hash=hashlib.md5(resource.id.encode()).hexdigest())
            loaded += 1
    return loaded


def _harvest(org_id: str, user: str) -> None:
    with FakeRVR(14, rdf_page_size=7) as rvr:  # 14: every licence of the fake twice
        sync.run(make_source(rvr.url, org_id, user, page_size=7, max_pages=4))


def _harvested() -> list[dict[str, Any]]:
    ids = [i for (i,) in model.Session.query(HarvestObject.package_id)
           .filter(HarvestObject.current.is_(True), HarvestObject.package_id.isnot(None)).distinct()]
    return [helpers.call_action("package_show", id=i) for i in ids]


def _public() -> list[dict[str, Any]]:
    result = helpers.call_action("package_search", {"user": "", "ignore_auth": False},
                                 q="*:*", rows=1000, fq="-dataset_type:harvest")
    return result["results"]


@pytest.fixture
def after_workers(app, org, sysadmin, monkeypatch):
    monkeypatch.setattr(demo, "DATASET_ENRICHERS", demo.DATASET_ENRICHERS + [_with_handlungsfeld])
    demo.seed(sysadmin["name"])
    _harvest(org["id"], sysadmin["name"])
    return _load_like_xloader()


def test_every_catalogue_page_and_dataset_page_is_conformant_after_the_workers(app, after_workers):
    assert after_workers >= 1  # the demo uploads files, so checksums are in the catalogue
    pages = shacl_checks._pages(app)
    assert any(_checksums(body) for body in pages)
    figures = shacl_checks._check(pages)
    assert figures["dcat-ap-3"][0] == figures["dcat-ap-de-3"][0] == 0

    in_catalogue = shacl_checks_datasets(pages)
    served = 0
    for dataset in _public():
        response = app.get(f"/dataset/{dataset['name']}.ttl", status=None)
        if URIRef(f"https://opendata.hamm.de/dataset/{dataset['id']}") not in in_catalogue:
            assert response.status_code == 404, dataset["name"]  # kept out of the catalogue
            continue
        assert response.status_code == 200, dataset["name"]
        for profile in shacl_checks.PROFILES:
            bad = validator.violations(validator.validate(graph(response.body), profile))
            assert not bad, f"{dataset['name']} {profile}:\n" + "\n".join(map(str, bad))
        served += 1
    assert served == len(in_catalogue)
    print(f"SHACL dataset pages={served}: violations=0")


def shacl_checks_datasets(pages: list[str]) -> set[Any]:
    found: set[Any] = set()
    for body in pages:
        found |= set(graph(body).subjects(RDF.type, DCAT.Dataset))
    return found


# ------------------------------------------------------------ kept out: their own pages too
@pytest.mark.parametrize("fmt", ["ttl", "rdf", "jsonld", "xml", "n3"])
def test_dataset_kept_out_of_the_catalogue_answers_404_on_its_rdf_pages(app, org, fmt):
    dataset = helpers.call_action(
        "package_create", name="ohne-lizenz", title="Ohne Lizenz", notes="Lizenz unbekannt.",
        owner_org=org["id"], license_id="", handlungsfeld=["umwelt"], hamm_remote_id="rvr-1",
        resources=[{"url": "https://www.hamm.de/x.csv", "format": "CSV"}])
    assert dataset["license_id"] in ("", None)
    response = app.get(f"/dataset/{dataset['name']}.{fmt}", status=None)
    assert response.status_code == 404
    assert "Lizenz" in response.body and "licence" in response.body
    # the portal page itself stays
    assert app.get(f"/dataset/{dataset['name']}").status_code == 200


# ------------------------------------------------------------------ where copies come from
def _harvested_with(licence_fragment: str) -> dict[str, Any]:
    return next(d for d in _harvested() if licence_fragment in (d.get("license_id") or ""))


def test_harvested_copy_names_its_original_in_dcat_and_api(app, org, sysadmin):
    _harvest(org["id"], sysadmin["name"])
    dataset = _harvested_with("dl-by-de")
    original = dataset["hamm_source_url"]
    assert original.startswith("http://127.0.0.1") and original.endswith(f"/dataset/{dataset['name']}")

    # API: anonymous package_show says where the copy comes from
    shown = app.get(f"/api/3/action/package_show?id={dataset['name']}").json["result"]
    assert shown["hamm_source_url"] == original
    assert shown["hamm_remote_id"] == dataset["hamm_remote_id"] != ""
    assert shown["hamm_source_title"] == "Open Data Portal Metropole Ruhr"

    body = app.get(f"/dataset/{dataset['name']}.ttl").body
    g = graph(body)
    ref = URIRef(f"https://opendata.hamm.de/dataset/{dataset['id']}")
    assert (ref, PROV.wasDerivedFrom, URIRef(original)) in g
    notations = {str(g.value(i, SKOS.notation)) for i in g.objects(ref, URIRef(ADMS + "identifier"))}
    assert dataset["hamm_remote_id"] in notations
    for profile in shacl_checks.PROFILES:
        bad = validator.violations(validator.validate(g, profile))
        assert not bad, "\n".join(map(str, bad))


def test_odbl_copy_carries_an_attribution_text(app, org, sysadmin):
    _harvest(org["id"], sysadmin["name"])
    dataset = _harvested_with("odbl")
    g = graph(app.get(f"/dataset/{dataset['name']}.ttl").body)
    texts = {str(t) for t in g.objects(None, URIRef("http://dcat-ap.de/def/dcatde/licenseAttributionByText"))}
    assert texts and all("ODbL" in t and "©" in t for t in texts), texts
    # the rights holder is the original's, not the city that holds the copy
    assert all("Metropole Ruhr" in t or "RVR" in t or dataset["hamm_source_title"] in t for t in texts)


def test_catalogue_keeps_harvested_copies_by_default(app, org, sysadmin):
    _harvest(org["id"], sysadmin["name"])
    harvested = [d for d in _harvested() if d.get("license_id")]
    datasets = shacl_checks_datasets(shacl_checks._pages(app))
    assert {URIRef(f"https://opendata.hamm.de/dataset/{d['id']}") for d in harvested} <= datasets


@pytest.mark.ckan_config("ckanext.hamm.dcat.include_harvested", "false")
def test_option_leaves_harvested_copies_out_of_catalogue_and_dump(app, org, sysadmin):
    _harvest(org["id"], sysadmin["name"])
    own = helpers.call_action("package_create", name="eigener-datensatz", title="Eigener Datensatz",
                              notes="Aus Hamm.", owner_org=org["id"], license_id="dl-by-de/2.0",
                              handlungsfeld=["umwelt"],
                              resources=[{"url": "https://www.hamm.de/e.csv", "format": "CSV"}])
    datasets = shacl_checks_datasets(shacl_checks._pages(app))
    assert datasets == {URIRef(f"https://opendata.hamm.de/dataset/{own['id']}")}
    out = io.StringIO()
    assert dump.dump(out, "nt") == 1
    assert (None, DCTERMS.title, Literal("Eigener Datensatz")) in Graph().parse(data=out.getvalue(), format="nt")
