"""The city's geoportal harvested from a real pycsw (CSW 2.0.2, ISO 19139) with ``hamm_csw``.

Expected values come from the records the project wrote (``demo/csw_records.py``): 9 dataset
records (Stadtbezirke, Baumkataster, 7 Bebauungspläne) and 4 service records (WMS and WFS of
the first two), all with GDI-DE licence JSON and an extent inside Hamm.
"""
from __future__ import annotations

import json
import socket
import subprocess
from pathlib import Path

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import helpers

from ckanext.hamm.dataset import extent
from ckanext.hamm.demo import csw_records
from ckanext.hamm.devstack import pycsw
from ckanext.harvest.model import HarvestJob, HarvestObject, HarvestObjectError
from tests.harvesters.conftest import job_marks

PLUGINS = "hamm_search hamm scheming_datasets dcat harvest spatial_metadata spatial_query hamm_csw"
pytestmark = [*job_marks(), pytest.mark.ckan_config("ckan.plugins", PLUGINS),
              pytest.mark.ckan_config("ckanext.spatial.harvest.reindex_unchanged", "False")]
RECORDS = {r.identifier: r for r in csw_records.all_records()}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def pycsw_session(tmp_path_factory):
    """A real pycsw on 127.0.0.1 with the project's ISO records, once per session."""
    if pycsw.pycsw_python() is None:
        pytest.skip("pycsw is not installed (make pycsw-tools)")
    port = _free_port()
    config = pycsw.prepare(Path(tmp_path_factory.mktemp("pycsw")), port)
    process = subprocess.Popen(pycsw.command(config, port), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               cwd=tmp_path_factory.getbasetemp())
    url = f"http://127.0.0.1:{port}/csw"
    import time

    import requests
    for _ in range(100):
        try:
            if requests.get(url, params={"service": "CSW", "request": "GetCapabilities"}, timeout=1).ok:
                break
        except requests.RequestException:
            time.sleep(0.1)
    yield url
    process.terminate()
    process.wait(10)


def _source(url: str, org: dict, user: str, **config) -> dict:
    return tk.get_action("harvest_source_create")(
        {"user": user}, {"name": "geoportal", "title": "Geoportal Hamm", "url": url, "source_type": "hamm_csw",
                         "owner_org": org["id"], "config": json.dumps(config)})


def _harvest(source_id: str) -> dict:
    from ckanext.harvest import queue
    from ckanext.harvest.tests.lib import run_harvest_job

    job = tk.get_action("harvest_job_create")({"ignore_auth": True, "user": ""}, {"source_id": source_id, "run": False})
    return run_harvest_job(HarvestJob.get(job["id"]), queue.get_harvester("hamm_csw"))


def _datasets(source_id: str) -> dict[str, dict]:
    found = helpers.call_action("package_search", fq=f'harvest_source_id:"{source_id}"', rows=100,
                                include_private=True)["results"]
    return {d["hamm_remote_id"]: d for d in found}


def test_the_geoportal_harvests_into_city_datasets(pycsw_session, org, sysadmin):
    source = _source(pycsw_session, org, sysadmin["name"], handlungsfeld="digitale-infrastruktur")
    results = _harvest(source["id"])
    from ckan import model
    errors = [e.message for e in model.Session.query(HarvestObjectError).all()]
    assert sum(1 for r in results.values() if r["report_status"] == "added") == len(RECORDS), (results, errors)
    datasets = _datasets(source["id"])
    assert set(datasets) == set(RECORDS)
    for identifier, record in RECORDS.items():
        dataset = datasets[identifier]
        assert dataset["title"] == record.title
        assert dataset["owner_org"] == org["id"]
        assert dataset["license_id"] == record.licence["id"]  # GDI-DE licence JSON
        assert extent.bounds(dataset["spatial"]) == pytest.approx(record.box)  # the extent survives
        assert dataset["handlungsfeld"] == ["digitale-infrastruktur"]
    wms = datasets["hamm-baumkataster-wms"]["resources"]
    assert [r["format"] for r in wms] == ["WMS"] and wms[0]["url"].startswith("https://geo.hamm.de/wms/")
    # found on the map: the Bebauungsplan in Heessen, the city-wide datasets and their services
    heessen = csw_records.STADTBEZIRKE["Heessen"]
    hits = helpers.call_action("package_search", ext_bbox=",".join(map(str, heessen)), rows=100,
                               fq=f'harvest_source_id:"{source["id"]}"')["results"]
    assert {"hamm-stadtbezirke", "hamm-baumkataster"} <= {d["hamm_remote_id"] for d in hits}

    # a second harvest without changes writes nothing: no dataset changes, one current object each
    before = {k: d["metadata_modified"] for k, d in datasets.items()}
    _harvest(source["id"])
    assert {k: d["metadata_modified"] for k, d in _datasets(source["id"]).items()} == before
    assert HarvestObject.filter(current=True).count() == len(RECORDS)


# -- faults of the CSW answers, against a tiny local server (no database) ------------------------
def _server(answers: dict[str, tuple[int, dict, bytes]]):
    """A local HTTP server answering each request= parameter from ``answers``."""
    import http.server
    import threading
    from urllib.parse import parse_qs, urlsplit

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            request = parse_qs(urlsplit(self.path).query).get("request", [""])[0]
            status, headers, body = answers.get(request, (404, {}, b""))
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def _client(allowed=("127.0.0.1", "10.0.0.1")):  # 10.0.0.1 listed: its address check must refuse it
    from ckanext.hamm.net.client import Deadline, Limits, SafeClient
    from ckanext.hamm.net.policy import FetchPolicy

    return SafeClient(FetchPolicy(allowed_hosts=allowed, allow_http=True, allow_loopback=True),
                      Limits(connect_timeout=1, read_timeout=1, request_seconds=2, max_bytes=1_000_000, retries=1),
                      Deadline(10))


RESULTS = (b'<csw:GetRecordsResponse xmlns:csw="http://www.opengis.net/cat/csw/2.0.2" '
           b'xmlns:gmd="http://www.isotc211.org/2005/gmd" xmlns:gco="http://www.isotc211.org/2005/gco">'
           b'<csw:SearchResults numberOfRecordsMatched="2" numberOfRecordsReturned="2" nextRecord="0">'
           b'<gmd:MD_Metadata><gmd:fileIdentifier><gco:CharacterString>a</gco:CharacterString>'
           b'</gmd:fileIdentifier></gmd:MD_Metadata><gmd:MD_Metadata/></csw:SearchResults></csw:GetRecordsResponse>')


@pytest.mark.parametrize("answer, words", [
    ((200, {"Content-Type": "text/html"}, b"<html><body>Wartung</body></html>"), "kein CSW-Dokument"),
    ((200, {"Content-Type": "application/xml"}, b"<csw:GetRecordsResponse"), "kein CSW-Dokument"),
    ((302, {"Location": "http://10.0.0.1/csw"}, b""), "interne Adresse"),
    ((302, {"Location": "https://evil.example.org/csw"}, b""), "nicht auf der Liste"),
])
def test_a_bad_answer_is_an_error_of_that_request(answer, words):
    from ckanext.hamm.harvesters.csw import PolicyCswClient
    from ckanext.hamm.net.errors import HammFetchError

    server = _server({"GetRecords": answer})
    try:
        csw = PolicyCswClient(f"http://127.0.0.1:{server.server_port}/csw", _client())
        with pytest.raises(HammFetchError) as error:
            list(csw.getidentifiers())
        assert words in str(error.value)
    finally:
        server.shutdown()


def test_a_record_without_identifier_is_listed_as_none():
    """ckanext-spatial's gather skips a None identifier with an error, the others go on."""
    from ckanext.hamm.harvesters.csw import PolicyCswClient

    server = _server({"GetRecords": (200, {"Content-Type": "application/xml"}, RESULTS)})
    try:
        csw = PolicyCswClient(f"http://127.0.0.1:{server.server_port}/csw", _client())
        assert list(csw.getidentifiers()) == ["a", None]
    finally:
        server.shutdown()
