"""The safe HTTP client and the catalogue paging against the real local fake RVR (no CKAN, no DB)."""
from __future__ import annotations

import time

import pytest

from ckanext.hamm.demo.fake_rvr import FakeRVR
from ckanext.hamm.harvesters import rdf, remote, source_config
from ckanext.hamm.net.client import Deadline, Limits, SafeClient, _retry_after
from ckanext.hamm.net.errors import HammContentError, HammFetchError, HammPolicyError
from ckanext.hamm.net.policy import FetchPolicy

LOOPBACK = FetchPolicy(allowed_hosts=("127.0.0.1",), allow_http=True, allow_loopback=True)
LIMITS = Limits(connect_timeout=1, read_timeout=1, request_seconds=2, max_bytes=1_000_000, retries=2,
                backoff=0.01, max_backoff=0.05)
CONFIG = source_config.SourceConfig(page_size=40, max_pages=20)


@pytest.fixture(scope="module")
def rvr():
    with FakeRVR(150) as server:
        yield server


@pytest.fixture(autouse=True)
def no_fault(rvr):
    rvr.fault = None
    yield
    rvr.fault = None


def client(**limits) -> SafeClient:
    return SafeClient(LOOPBACK, Limits(**{**LIMITS.__dict__, **limits}), Deadline(30))


def all_ids(rvr, config=CONFIG) -> list[str]:
    return [d["id"] for page in remote.ckan_pages(client(), rvr.url, config) for d in page.datasets]


def test_pages_through_the_whole_catalogue(rvr):
    ids = all_ids(rvr)
    assert len(ids) == 150 == len(set(ids))


def test_loopback_needs_the_explicit_test_setting(rvr):
    strict = SafeClient(FetchPolicy(allowed_hosts=("127.0.0.1",), allow_http=True), LIMITS)
    with pytest.raises(HammPolicyError):
        strict.get_json(rvr.url + "/api/3/action/package_search")


def test_http_needs_the_explicit_setting(rvr):
    https_only = SafeClient(FetchPolicy(allowed_hosts=("127.0.0.1",), allow_loopback=True), LIMITS)
    with pytest.raises(HammPolicyError, match="https"):
        https_only.get_json(rvr.url + "/api/3/action/package_search")


@pytest.mark.parametrize("fault", ["redirect_private", "redirect_metadata", "redirect_foreign"])
def test_every_redirect_hop_is_checked(rvr, fault):  # row 3
    rvr.fault = fault
    with pytest.raises(HammPolicyError):
        client().get_json(rvr.url + "/api/3/action/package_search")


@pytest.mark.parametrize("fault", ["redirect_private", "redirect_metadata"])
def test_redirect_to_an_internal_address_is_refused_even_for_an_allowed_host(rvr, fault):  # row 3
    lenient = FetchPolicy(allowed_hosts=("127.0.0.1", "10.1.2.3", "169.254.169.254"), allow_http=True,
                          allow_loopback=True)
    rvr.fault = fault
    with pytest.raises(HammPolicyError, match="interne Adresse"):
        SafeClient(lenient, LIMITS).get_json(rvr.url + "/api/3/action/package_search")


def test_stalled_server_times_out(rvr):  # row 7
    rvr.fault, rvr.stall_seconds = "stall", 3
    started = time.monotonic()
    with pytest.raises(HammFetchError, match="zu langsam"):
        client().get_json(rvr.url + "/api/3/action/package_search")
    assert time.monotonic() - started < 2.5


def test_trickling_server_hits_the_request_limit(rvr):  # row 7
    rvr.fault = "trickle"
    started = time.monotonic()
    with pytest.raises(HammFetchError):
        client(request_seconds=0.5).get_json(rvr.url + "/api/3/action/package_search")
    assert time.monotonic() - started < 3


def test_job_deadline_stops_before_a_request():
    spent = SafeClient(LOOPBACK, LIMITS, Deadline(0))
    with pytest.raises(HammFetchError, match="Zeitlimit"):
        spent.get_json("http://127.0.0.1:1/")


@pytest.mark.parametrize("fault", ["huge", "gzip_bomb"])
def test_byte_cap_applies_after_decompression(rvr, fault):  # row 8
    rvr.fault = fault
    with pytest.raises(HammContentError, match="größer als erlaubt"):
        client().get_json(rvr.url + "/api/3/action/package_search")


def test_declared_latin1_is_decoded_with_umlauts(rvr):  # row 9
    rvr.fault = "latin1"
    titles = [d["title"] for page in remote.ckan_pages(client(), rvr.url, CONFIG) for d in page.datasets]
    assert "Straßenbäume im Stadtbezirk Heessen" in titles  # index 121: ß and ä


def test_undeclared_latin1_is_a_readable_error(rvr):  # row 9
    rvr.fault = "latin1_undeclared"
    with pytest.raises(HammContentError, match="Zeichenkodierung"):
        client().get_json(rvr.url + "/api/3/action/package_search")


def test_pagination_cycle_is_detected(rvr):  # row 10
    rvr.fault = "page_cycle"
    with pytest.raises(HammFetchError, match="dieselbe Seite"):
        all_ids(rvr)


def test_endless_paging_hits_the_page_cap(rvr):  # row 10
    rvr.fault = "endless"
    with pytest.raises(HammFetchError, match="Seitenlimit"):
        all_ids(rvr, source_config.SourceConfig(page_size=10, max_pages=5))


@pytest.mark.parametrize("fault, words", [("html200", "Webseite statt Daten"), ("malformed_json", "kein gültiges JSON")])
def test_html_with_200_and_broken_json_are_refused(rvr, fault, words):  # row 23
    rvr.fault = fault
    with pytest.raises(HammContentError, match=words):
        all_ids(rvr)


def test_retries_after_429_then_succeeds(rvr):
    rvr.fault = "status_429_once"
    rvr._429_sent = False
    assert len(all_ids(rvr)) == 150


def test_unreadable_retry_after_falls_back_to_our_backoff(rvr):
    rvr.fault, rvr._429_sent = "retry_after_garbage", False
    assert len(all_ids(rvr)) == 150


@pytest.mark.parametrize("value", ["bald", "nan", "inf", "-5", "Mon, 99 Foo 2024", "1e400", ""])
def test_retry_after_values_that_mean_nothing_use_the_default(value):
    assert _retry_after({"Retry-After": value}, 0.5) == 0.5


def test_deeply_nested_json_is_named_as_such(rvr):
    rvr.fault = "deep_json"
    with pytest.raises(HammContentError, match="zu tief verschachtelt"):
        all_ids(rvr)


def test_persistent_503_ends_with_a_readable_error(rvr):
    rvr.fault = "status_503"
    before = len(rvr.requests)
    with pytest.raises(HammFetchError, match="dauerhaft mit Fehler 503"):
        client().get_json(rvr.url + "/api/3/action/package_search")
    assert len(rvr.requests) - before == 3  # first try plus two retries


def test_server_error_on_a_later_page_is_an_error_not_an_end(rvr):  # row 18
    rvr.fault = "error_page2"
    with pytest.raises(HammFetchError, match="500"):
        all_ids(rvr)


# -- DCAT mode -------------------------------------------------------------------------
def dcat_ids(rvr) -> list[str]:
    pages = remote.dcat_pages(client(), rvr.url, CONFIG, rdf.parse_page)
    return [d["id"] for page in pages for d in page.datasets]


def test_dcat_catalogue_is_paged_and_parsed(rvr):
    ids = dcat_ids(rvr)
    assert len(ids) == 150 == len(set(ids))


@pytest.mark.parametrize("fault, words", [("xxe", "DOCTYPE"), ("billion_laughs", "DOCTYPE"),
                                          ("jsonld_remote_context", "@context"), ("malformed_rdf", "fehlerhaft"),
                                          ("next_foreign", "anderen Server")])
def test_dcat_faults_are_refused_quickly(rvr, fault, words):  # rows 1, 2, 5, 6, 23
    rvr.fault = fault
    started = time.monotonic()
    with pytest.raises(HammFetchError, match=words):
        dcat_ids(rvr)
    assert time.monotonic() - started < 2
