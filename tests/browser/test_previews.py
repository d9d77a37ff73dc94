"""Previews on the resource page, offline (issue 18): the demo's uploaded CSV is loaded into
the DataStore by the jobs worker and shows as a table, its GeoJSON as a map — with every
request outside the portal refused, so neither needs a CDN, and the base map's tiles may
be missing while the shapes still show."""
from __future__ import annotations

import json
import time
import urllib.parse
import urllib.request
from typing import Any

import pytest

from tests.browser.conftest import check_axe

DATASET = "radverkehrszaehlung"  # the demo uploads "Zählwerte Juni 2025" (CSV) and "Zählstellen" (GeoJSON)


def _api(base: str, action: str, **params: Any) -> Any:
    query = urllib.parse.urlencode(params)
    with urllib.request.urlopen(f"{base}/api/3/action/{action}?{query}", timeout=30) as response:
        return json.load(response)["result"]


def _resource(base: str, fmt: str) -> dict[str, Any]:
    resources = _api(base, "package_show", id=DATASET)["resources"]
    return next(r for r in resources if r["format"].lower() == fmt)


@pytest.fixture(scope="module")
def loaded_csv(portal: dict[str, Any]) -> dict[str, Any]:
    """The CSV once the worker has loaded it (the seed queued it while the portal started).

    Done means rows are counted: the resource is marked active a moment before the loader's
    final report, which clears a row count cached while the table was still empty.
    """
    deadline = time.monotonic() + 120
    rows = None
    while time.monotonic() < deadline:
        resource = _resource(portal["url"], "csv")
        if resource.get("datastore_active"):
            rows = _api(portal["url"], "datastore_search", resource_id=resource["id"], limit=0)["total"]
            if rows:
                return resource
        time.sleep(1)
    raise AssertionError(f"the CSV never reached the DataStore (rows counted: {rows}); log: {portal['log']}")


def _offline(page: Any, base: str) -> list[str]:
    """Refuse every request that leaves the portal; return the refused URLs."""
    refused: list[str] = []

    def route(request_route: Any) -> None:
        url = request_route.request.url
        if url.startswith(base):
            request_route.continue_()
        else:
            refused.append(url)
            request_route.abort()

    page.route("**/*", route)
    return refused


def test_uploaded_csv_is_in_the_datastore(portal: dict[str, Any], loaded_csv: dict[str, Any]) -> None:
    result = _api(portal["url"], "datastore_search", resource_id=loaded_csv["id"], limit=100)
    assert result["total"] == 35  # 7 days × 5 counting stations
    columns = [field["id"] for field in result["fields"]]
    assert columns[1:] == ["datum", "zaehlstelle", "name", "radfahrende", "temperatur_c", "niederschlag_mm"]
    first = result["records"][0]
    assert first["datum"].startswith("2025-06-02T00:00:00")  # a timestamp since issue 32, no longer text
    assert (first["zaehlstelle"], first["name"]) == ("HAM-01", "Kanalpromenade / Datteln-Hamm-Kanal")


def test_csv_resource_page_shows_a_table_offline(portal: dict[str, Any], page: Any, axe_source: str,
                                                 loaded_csv: dict[str, Any]) -> None:
    _offline(page, portal["url"])
    page.goto(f"{portal['url']}/dataset/{DATASET}/resource/{loaded_csv['id']}")
    assert page.get_by_role("tab", name="Tabelle").count() + page.locator(".nav-tabs a", has_text="Tabelle").count()
    table = page.frame_locator("iframe[src*='/view/']").locator("table.dataTable")
    assert table.locator("th", has_text="radfahrende").count() >= 1
    table.locator("td", has_text="Kanalpromenade / Datteln-Hamm-Kanal").first.wait_for()  # rows come by XHR
    check_axe(page, axe_source, "resource with table", "de")


def test_geojson_resource_page_shows_a_map_offline(portal: dict[str, Any], page: Any, axe_source: str) -> None:
    refused = _offline(page, portal["url"])
    resource = _resource(portal["url"], "geojson")
    page.goto(f"{portal['url']}/dataset/{DATASET}/resource/{resource['id']}")
    view = page.frame_locator("iframe[src*='/view/']")
    markers = view.locator(".leaflet-marker-icon")
    markers.first.wait_for()
    assert markers.count() == 5  # the five counting stations of the file
    assert view.locator(".leaflet-container").is_visible()
    assert all("tile.openstreetmap.org" in url for url in refused), refused  # only base-map tiles left the portal
    check_axe(page, axe_source, "resource with map", "de")


def test_wms_resource_page_shows_the_map_server_s_layer(portal: dict[str, Any], page: Any, axe_source: str) -> None:
    """The city's map server (a fake on 127.0.0.1, listed as map host): the portal reads its
    capabilities, the browser loads the map images straight from it, nothing else leaves."""
    wms = portal["wms"]
    resources = _api(portal["url"], "package_show", id="baumkataster")["resources"]
    resource = next(r for r in resources if r["url"].startswith(wms.url))
    refused: list[str] = []

    def route(request_route: Any) -> None:
        url = request_route.request.url
        if url.startswith((portal["url"], wms.url)):
            request_route.continue_()
        else:
            refused.append(url)
            request_route.abort()

    page.route("**/*", route)
    page.goto(f"{portal['url']}/dataset/baumkataster/resource/{resource['id']}")
    assert page.locator(".nav-tabs a", has_text="Karte").count() == 1  # the view's tab in German
    view = page.frame_locator("iframe[src*='/view/']")
    view.locator(".ol-viewport").wait_for()
    deadline = time.monotonic() + 30
    while not wms.asked("GetMap") and time.monotonic() < deadline:
        page.wait_for_timeout(250)
    maps = wms.asked("GetMap")
    assert maps, "the browser never asked the map server for an image"
    assert {m["LAYERS"] for m in maps} == {"strassenbaeume"}  # the layer named in the capabilities
    assert all(m["user_agent"] != "ckanext-hamm map preview" for m in maps)  # images: the browser's own requests
    assert {c["user_agent"] for c in wms.asked("GetCapabilities")} == {"ckanext-hamm map preview"}  # via the portal
    assert all("tile.openstreetmap.org" in url for url in refused), refused  # only base-map tiles left
    check_axe(page, axe_source, "resource with WMS map", "de")
