"""Resource previews (issue 18): an uploaded CSV ends in the DataStore and its page shows a
table, a GeoJSON page shows a map; the loader fetches only uploads and the city's own hosts."""
from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import ckan.plugins.toolkit as tk
import pytest
from ckan.lib import jobs
from ckan.tests import factories
from werkzeug.datastructures import FileStorage
from werkzeug.serving import make_server

from ckanext.hamm.previews import loader_token
from tests.support.portal import PLUGINS, clean_db, hamm_dataset  # noqa: F401 (fixtures)

FILES = Path(__file__).resolve().parents[2] / "ckanext" / "hamm" / "demo" / "files"
PREVIEW_PLUGINS = f"{PLUGINS} datastore xloader datatables_view geojson_view"

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PREVIEW_PLUGINS),
    pytest.mark.ckan_config("ckan.views.default_views", "datatables_view geojson_view"),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


def _sysadmin_context() -> dict[str, Any]:
    return {"user": factories.Sysadmin()["name"], "ignore_auth": True}


def _upload(dataset: dict[str, Any], filename: str, fmt: str) -> dict[str, Any]:
    data = (FILES / filename).read_bytes()
    return tk.get_action("resource_create")(_sysadmin_context(), {
        "package_id": dataset["id"], "name": filename, "format": fmt, "url": filename,
        "upload": FileStorage(io.BytesIO(data), filename=filename)})


def _queued_loads() -> list[str]:
    """Resource ids of the DataStore loads waiting on the worker's queue."""
    return [job.args[0]["metadata"]["resource_id"] for job in jobs.get_queue().jobs
            if job.func_name.endswith("xloader_data_into_datastore")]


@pytest.fixture
def loader(ckan_config: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setitem(ckan_config, "ckanext.xloader.api_token", loader_token())
    jobs.get_queue().empty()
    yield
    jobs.get_queue().empty()


@pytest.fixture
def served_portal(app: Any, ckan_config: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The test app behind a real HTTP port: the loader downloads the file and reports back over HTTP."""
    server = make_server("127.0.0.1", 0, app.app, threaded=True)
    url = f"http://127.0.0.1:{server.server_port}"
    monkeypatch.setitem(ckan_config, "ckan.site_url", url)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield url
    server.shutdown()
    thread.join(5)


def _run_worker() -> None:
    """The jobs worker of the process set, in this process, until the queue is empty."""
    from rq import SimpleWorker

    queue = jobs.get_queue()
    SimpleWorker([queue], connection=queue.connection).work(burst=True)


def test_uploaded_csv_ends_in_the_datastore_and_shows_a_table(app: Any, loader: None, served_portal: str) -> None:
    dataset = hamm_dataset(owner_org=factories.Organization()["id"], name="radverkehrszaehlung")
    resource = _upload(dataset, "radzaehlung-2025.csv", "CSV")
    assert _queued_loads() == [resource["id"]]  # queued for the worker, not loaded in the request

    _run_worker()

    result = tk.get_action("datastore_search")({"ignore_auth": True}, {"resource_id": resource["id"], "limit": 50})
    assert result["total"] == 35
    assert {"datum", "zaehlstelle", "radfahrende"} <= {field["id"] for field in result["fields"]}
    assert result["records"][0]["name"] == "Kanalpromenade / Datteln-Hamm-Kanal"
    views = tk.get_action("resource_view_list")({"ignore_auth": True}, {"id": resource["id"]})
    assert [view["view_type"] for view in views] == ["datatables_view"]

    html = app.get(f"/dataset/{dataset['name']}/resource/{resource['id']}").get_data(as_text=True)
    assert "Es gibt noch keine Darstellungen" not in html
    assert "Tabelle" in html and f"/resource/{resource['id']}/view/{views[0]['id']}" in html
    table = app.get(f"/dataset/{dataset['name']}/resource/{resource['id']}/view/{views[0]['id']}")
    assert table.status_code == 200
    assert "radfahrende" in table.get_data(as_text=True)  # the column heads of the DataStore table


def test_geojson_resource_page_shows_a_map(app: Any) -> None:
    dataset = hamm_dataset(owner_org=factories.Organization()["id"])
    resource = _upload(dataset, "radzaehlstellen.geojson", "GeoJSON")
    views = tk.get_action("resource_view_list")({"ignore_auth": True}, {"id": resource["id"]})
    assert [view["view_type"] for view in views] == ["geojson_view"]

    html = app.get(f"/dataset/{dataset['name']}/resource/{resource['id']}").get_data(as_text=True)
    assert f"/resource/{resource['id']}/view/{views[0]['id']}" in html
    view = app.get(f"/dataset/{dataset['name']}/resource/{resource['id']}/view/{views[0]['id']}")
    text = view.get_data(as_text=True)
    assert view.status_code == 200 and 'data-module="geojsonpreview"' in text
    assert "//unpkg.com" not in text and "//cdn" not in text  # Leaflet comes from the portal
    assert "frame-ancestors 'self'" in view.headers["Content-Security-Policy"]


@pytest.mark.parametrize("url, hosts, loaded", [
    ("https://opendata.ruhr/dataset/x/haltestellen.csv", "", False),   # another portal's file
    ("http://10.0.0.5/intern.csv", "", False),                         # an address inside the network
    ("https://www.hamm.de/opendata/baumkataster.csv", "www.hamm.de", True),
])
def test_linked_files_are_loaded_only_from_the_city_s_hosts(ckan_config: Any, monkeypatch: pytest.MonkeyPatch,
                                                           loader: None, url: str, hosts: str,
                                                           loaded: bool) -> None:
    monkeypatch.setitem(ckan_config, "ckanext.hamm.previews.linked_hosts", hosts.split())
    dataset = hamm_dataset(owner_org=factories.Organization()["id"])
    resource = tk.get_action("resource_create")(_sysadmin_context(), {
        "package_id": dataset["id"], "name": "Tabelle", "format": "CSV", "url": url})
    assert _queued_loads() == ([resource["id"]] if loaded else [])


def test_resource_page_lists_only_fields_with_a_value(app: Any) -> None:
    """Issue 18: "Zusätzliche Informationen" lists empty rows; the resource page shows a
    field only when the resource has a value for it (and so the licence once, the dataset's)."""
    org = factories.Organization()
    dataset = hamm_dataset(owner_org=org["id"], resources=[{"url": "https://example.org/a.csv", "format": "CSV"}])
    resource = dataset["resources"][0]
    html = app.get(f"/dataset/{dataset['name']}/resource/{resource['id']}",
                   extra_environ={"HTTP_ACCEPT_LANGUAGE": "de"}).get_data(as_text=True)
    info = html.split("Zusätzliche Informationen")[1]
    assert "Format" in info
    assert "Verfügbarkeit" not in info and "Veröffentlicht am" not in info
    assert info.count('<th scope="row">Lizenz</th>') == 1
    assert "Datastore active" not in info and "Has views" not in info and "Package id" not in info
