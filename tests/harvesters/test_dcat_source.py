"""A generic DCAT-AP.de source (``hamm_dcat``) with the same job guarantees as ``hamm_rvr``.

The local catalogue server serves two Hydra pages in three publishers' shapes (Open.NRW,
GovData, a neighbour city); the filter keeps what concerns Hamm.
"""
from __future__ import annotations

import json
from typing import Any

import ckan.plugins.toolkit as tk
import pytest

from ckanext.hamm.harvesters import sync
from ckanext.harvest.model import HarvestSource

from .conftest import job_marks
from .fake_dcat import FakeDcat
from .test_jobs import by_remote_id, harvested, show

pytestmark = [pytest.mark.ckan_config("ckan.plugins", "hamm_search hamm scheming_datasets dcat harvest hamm_rvr hamm_dcat")
              ] + job_marks()[1:]
pytestmark += [pytest.mark.ckan_config("ckanext.dcat.rdf.profiles", "euro_dcat_ap_3 hamm_dcat_ap_de"),
               pytest.mark.ckan_config("ckanext.dcat.base_uri", "https://opendata.hamm.de")]
HAMM_FILTER = ["http://dcat-ap.de/def/politicalGeocoding/municipalityKey/05915000",
               "http://dcat-ap.de/def/politicalGeocoding/regionalKey/05915"]
LUFT, SCHULEN, PENDLER = ("https://open.nrw.example/dataset/luft-hamm",
                          "https://www.govdata.example/dataset/schulen-hamm", "https://daten.unna.example/pendler-hamm")


@pytest.fixture
def catalogue():
    with FakeDcat() as server:
        yield server


def dcat_source(url: str, org_id: str, user: str, **config: Any) -> HarvestSource:
    created = tk.get_action("harvest_source_create")(
        {"user": user}, {"name": "open-nrw", "title": "Open.NRW", "url": url, "source_type": "hamm_dcat",
                         "owner_org": org_id, "config": json.dumps(
                             {"catalog_path": "/catalog.ttl", "filter_geocoding": HAMM_FILTER, **config})})
    return HarvestSource.get(created["id"])


@pytest.fixture
def source(catalogue, org, sysadmin) -> HarvestSource:
    return dcat_source(catalogue.url, org["id"], sysadmin["name"])


def test_takes_over_only_what_concerns_hamm_over_all_pages(catalogue, source):
    report = sync.run(source)
    assert (report.added, report.filtered, report.own_skipped, report.errors) == (3, 2, 1, [])
    assert any("page=2" in r for r in catalogue.requests)  # Hydra paging
    assert {show(p.id)["title"] for p in harvested(source.id)} == {
        "Luftmessstationen in Hamm", "Schulen in Hamm", "Pendlerströme zwischen Unna und Hamm"}
    luft = by_remote_id(source.id, LUFT)
    assert luft["hamm_source_title"] == "Open.NRW"  # provenance names the catalogue
    assert luft["hamm_source_url"] == LUFT
    assert luft["license_id"] == "dl-by-de/2.0"      # GovData URL mapped to the register
    assert luft["handlungsfeld"] == ["umwelt"]        # suggested from ENVI, as for RVR
    schulen = by_remote_id(source.id, SCHULEN)
    assert not schulen.get("license_id")              # a licence given as text is never invented
    assert "Nutzungsbedingungen der Stadt Hamm" in schulen["hamm_harvest_warnings"]
    assert "keine Lizenz" not in schulen["hamm_harvest_warnings"]  # the source did name one
    assert schulen["publisher"][0]["name"] == "Stadt Hamm, Schulamt"
    assert "Stadtgebiet Hamm" in " ".join(c.get("text", "") for c in schulen["spatial_coverage"])
    pendler = by_remote_id(source.id, PENDLER)
    assert pendler["license_id"] == "cc-by-de/3.0"
    assert pendler["frequency"].endswith("/frequency/IRREG")
    assert "arbeit" in {t["name"] for t in pendler["tags"]}  # the city's own theme as a keyword


def test_incremental_by_modified_and_staff_fields_kept(catalogue, source):
    sync.run(source)
    luft = by_remote_id(source.id, LUFT)
    tk.get_action("package_patch")({"ignore_auth": True}, {"id": luft["id"], "handlungsfeld": ["soziales"]})
    catalogue.requests.clear()
    catalogue.replace("Luftmessstationen in Hamm", "Luftmessstationen in Hamm (LANUV)")
    report = sync.run(source)
    assert not report.full and "modified_since=" in catalogue.requests[0]
    assert (report.updated, report.unchanged, report.errors) == (1, 2, [])
    luft = by_remote_id(source.id, LUFT)
    assert luft["title"] == "Luftmessstationen in Hamm (LANUV)"
    assert luft["handlungsfeld"] == ["soziales"]  # staff's choice survives the update


def test_withdrawals_only_behind_the_shrink_guard(catalogue, org, sysadmin):
    source = dcat_source(catalogue.url, org["id"], sysadmin["name"])
    sync.run(source)
    catalogue.replace("municipalityKey/05915000> ;\n    dcat:theme <http://publications.europa.eu/resource/authority/data-theme/ENVI>",
                      "municipalityKey/05913000> ;\n    dcat:theme <http://publications.europa.eu/resource/authority/data-theme/ENVI>")
    catalogue.replace("<https://daten.unna.example/pendler-hamm> a", "<https://daten.unna.example/pendler-alt> a")
    report = sync.run(source, full=True)  # 2 of 3 gone (one moved out of Hamm): 67 % > 20 %
    assert report.withdrawn == 0 and len(report.errors) == 1 and "höchstens 20" in report.errors[0]
    assert len(harvested(source.id)) == 3


def test_config_is_checked(org, sysadmin, catalogue):
    with pytest.raises(tk.ValidationError):
        dcat_source(catalogue.url, org["id"], sysadmin["name"], mode="ckan-api")
    with pytest.raises(tk.ValidationError):
        dcat_source(catalogue.url, org["id"], sysadmin["name"], filter_keywords="Hamm")


@pytest.mark.parametrize("rvr_size", [3])
def test_a_remote_ckan_api_cannot_smuggle_the_dcat_reader_keys(rvr, org, sysadmin):
    """Only our DCAT reader fills dcat_fields/import_notes; an API record's own are ignored."""
    from .conftest import make_source

    rid = rvr.ids()[0]
    rvr.edit(rid, dcat_fields={"publisher": [{"name": "Untergeschoben"}]}, import_notes="Lizenz geprüft")
    source = make_source(rvr.url, org["id"], sysadmin["name"])
    sync.run(source)
    local = by_remote_id(source.id, rid)
    assert not any(p.get("name") == "Untergeschoben" for p in local.get("publisher") or [])
    assert "Lizenz geprüft" not in (local.get("hamm_harvest_warnings") or "")
