"""WMS map previews (issue 18): a WMS of the city's map hosts shows as a map on its resource
page. The portal reads only the service's capabilities, only from the listed hosts, through
the harvester's URL policy and size caps; the visitor's browser loads the map images itself.
ckanext-geoview's open service proxy (which fetches any resource URL) is never served."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories

from ckanext.hamm.previews import wms
from tests.support.fake_wms import LAYER, FakeWMS, running_wms
from tests.support.portal import PLUGINS, clean_db, hamm_dataset  # noqa: F401 (fixtures)

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", f"{PLUGINS} hamm_wms_view geojson_view"),
    pytest.mark.ckan_config("ckan.views.default_views", "geojson_view hamm_wms_view"),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


@pytest.fixture
def fake_wms(ckan_config: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeWMS]:
    """The fake map server, listed as the city's map host (loopback and http allowed for it)."""
    with running_wms() as fake:
        monkeypatch.setitem(ckan_config, "ckanext.hamm.previews.map_hosts", ["127.0.0.1"])
        monkeypatch.setitem(ckan_config, "ckanext.hamm.previews.map_allow_local", True)
        wms.forget_capabilities()
        yield fake
    wms.forget_capabilities()


def _wms_resource(url: str, **dataset_fields: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    dataset = hamm_dataset(owner_org=dataset_fields.pop("owner_org", None) or factories.Organization()["id"],
                           resources=[{"url": url, "format": "WMS", "name": "Baumkataster (Karte)"}],
                           **dataset_fields)
    return dataset, dataset["resources"][0]


def _views(resource: dict[str, Any]) -> list[str]:
    return [v["view_type"] for v in tk.get_action("resource_view_list")({"ignore_auth": True}, {"id": resource["id"]})]


def test_a_wms_of_a_map_host_gets_a_map_view_that_reads_capabilities_through_the_portal(
        app: Any, fake_wms: FakeWMS) -> None:
    dataset, resource = _wms_resource(f"{fake_wms.url}/wms")
    views = tk.get_action("resource_view_list")({"ignore_auth": True}, {"id": resource["id"]})
    assert [v["view_type"] for v in views] == ["hamm_wms_view"]

    page = app.get(f"/dataset/{dataset['name']}/resource/{resource['id']}/view/{views[0]['id']}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'data-module="olpreview"' in html
    capabilities_url = f"/dataset/{dataset['id']}/resource/{resource['id']}/wms-capabilities"
    assert capabilities_url in html  # the browser asks the portal, not the map server, for the capabilities
    assert "service_proxy" not in html
    img_src = page.headers["Content-Security-Policy"].split("img-src", 1)[1].split(";", 1)[0].split()
    assert img_src == ["'self'", "data:", "https:", "127.0.0.1:*"]  # the map images come from the map host

    answer = app.get(capabilities_url + "?SERVICE=WMS&REQUEST=GetCapabilities&VERSION=1.3.0")
    assert answer.status_code == 200
    assert f"<Name>{LAYER}</Name>" in answer.get_data(as_text=True)
    assert answer.headers["Content-Type"].startswith("text/plain")  # never rendered as a document of ours
    assert "sandbox" in answer.headers["Content-Security-Policy"]
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    asked = fake_wms.asked("GetCapabilities")
    assert len(asked) == 1 and asked[0]["SERVICE"] == "WMS" and asked[0]["VERSION"] == "1.3.0"

    app.get(capabilities_url)
    assert len(fake_wms.asked("GetCapabilities")) == 1  # kept for an hour, not fetched per visitor


@pytest.mark.parametrize("url, fmt", [
    ("https://geo.example.org/wms/baeume", "WMS"),                      # not a map host of the city
    ("{fake}/wms", "CSV"),                                              # not a WMS
])
def test_no_map_view_for_other_hosts_or_formats(fake_wms: FakeWMS, url: str, fmt: str) -> None:
    dataset = hamm_dataset(owner_org=factories.Organization()["id"],
                           resources=[{"url": url.format(fake=fake_wms.url), "format": fmt}])
    assert "hamm_wms_view" not in _views(dataset["resources"][0])


def test_a_service_url_names_the_wms_without_a_format(fake_wms: FakeWMS) -> None:
    dataset = hamm_dataset(owner_org=factories.Organization()["id"], resources=[
        {"url": f"{fake_wms.url}/geodienste?SERVICE=WMS&REQUEST=GetCapabilities", "format": ""}])
    assert _views(dataset["resources"][0]) == ["hamm_wms_view"]


def test_capabilities_are_not_fetched_from_a_host_that_is_no_longer_listed(
        app: Any, fake_wms: FakeWMS, ckan_config: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    dataset, resource = _wms_resource(f"{fake_wms.url}/wms")
    monkeypatch.setitem(ckan_config, "ckanext.hamm.previews.map_hosts", ["geo.hamm.de"])
    answer = app.get(f"/dataset/{dataset['id']}/resource/{resource['id']}/wms-capabilities")
    assert answer.status_code == 404
    assert fake_wms.requests == []


def test_loopback_is_refused_unless_allowed(app: Any, fake_wms: FakeWMS, ckan_config: Any,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """A listed name that points into the network is refused: the URL policy's address check."""
    dataset, resource = _wms_resource(f"{fake_wms.url}/wms")
    monkeypatch.setitem(ckan_config, "ckanext.hamm.previews.map_allow_local", False)
    answer = app.get(f"/dataset/{dataset['id']}/resource/{resource['id']}/wms-capabilities",
                     extra_environ={"HTTP_ACCEPT_LANGUAGE": "de"})
    assert answer.status_code == 502
    assert "nicht erlaubt" in answer.get_data(as_text=True) or "verweigert" in answer.get_data(as_text=True)
    assert fake_wms.requests == []


@pytest.mark.parametrize("answer, words", [
    ("html", "Webseite statt Daten"),            # a maintenance page
    ("exception", "keine WMS-Capabilities"),     # an OGC error report instead of capabilities
    ("big", "größer als erlaubt"),               # over the 2 MB cap
])
def test_an_answer_that_is_no_capabilities_document_is_a_clear_error(
        app: Any, fake_wms: FakeWMS, answer: str, words: str) -> None:
    fake_wms.answer = answer
    dataset, resource = _wms_resource(f"{fake_wms.url}/wms")
    reply = app.get(f"/dataset/{dataset['id']}/resource/{resource['id']}/wms-capabilities")
    assert reply.status_code == 502
    assert words in reply.get_data(as_text=True)
    assert "<html" not in reply.get_data(as_text=True).lower()


def test_a_private_dataset_s_capabilities_stay_private(app: Any, fake_wms: FakeWMS) -> None:
    dataset, resource = _wms_resource(f"{fake_wms.url}/wms", private=True)
    answer = app.get(f"/dataset/{dataset['id']}/resource/{resource['id']}/wms-capabilities")
    assert answer.status_code in (403, 404)
    assert fake_wms.requests == []


def test_geoview_s_open_service_proxy_is_not_served(app: Any, fake_wms: FakeWMS) -> None:
    dataset, resource = _wms_resource(f"{fake_wms.url}/wms")
    answer = app.get(f"/dataset/{dataset['id']}/resource/{resource['id']}/service_proxy")
    assert answer.status_code == 404
    assert fake_wms.requests == []


def test_pages_without_map_hosts_keep_the_strict_image_policy(app: Any) -> None:
    policy = app.get("/").headers["Content-Security-Policy"]
    img_src = policy.split("img-src", 1)[1].split(";", 1)[0].split()
    assert img_src == ["'self'", "data:", "https:"]


def test_a_failing_map_host_is_asked_once_not_per_visitor(app: Any, fake_wms: FakeWMS) -> None:
    """Issue 26 (finding 11): failures were not kept, so every anonymous visitor waited on the host again."""
    fake_wms.answer = "html"
    dataset, resource = _wms_resource(f"{fake_wms.url}/wms")
    url = f"/dataset/{dataset['id']}/resource/{resource['id']}/wms-capabilities"
    assert app.get(url).status_code == 502
    assert app.get(url).status_code == 502
    assert len(fake_wms.asked("GetCapabilities")) == 1


def test_a_hanging_map_host_holds_a_worker_only_briefly(app: Any, ckan_config: Any,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """A host that accepts and never answers: a few seconds once, then the kept failure."""
    import socket
    import time

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    try:
        monkeypatch.setitem(ckan_config, "ckanext.hamm.previews.map_hosts", ["127.0.0.1"])
        monkeypatch.setitem(ckan_config, "ckanext.hamm.previews.map_allow_local", True)
        wms.forget_capabilities()
        dataset, resource = _wms_resource(f"http://127.0.0.1:{listener.getsockname()[1]}/wms")
        url = f"/dataset/{dataset['id']}/resource/{resource['id']}/wms-capabilities"
        started = time.monotonic()
        assert app.get(url).status_code == 502
        assert time.monotonic() - started < 6
        started = time.monotonic()
        assert app.get(url).status_code == 502
        assert time.monotonic() - started < 0.5
    finally:
        listener.close()
        wms.forget_capabilities()
