"""Previews of issue 32: the city's and RVR's linked files, typed tables with German
labels, a chart where a table has one (the bike counts per month), linked GeoJSON maps."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import ckan.plugins.toolkit as tk
import pytest
from ckan.lib import jobs
from ckan.tests import factories

from ckanext.hamm.previews import submit_files
from tests.support.portal import clean_db, hamm_dataset  # noqa: F401 (fixtures)
from tests.views.test_previews import (  # noqa: F401 (fixtures)
    PREVIEW_PLUGINS,
    _queued_loads,
    _run_worker,
    _sysadmin_context,
    _upload,
    loader,
    served_portal,
)

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", f"{PREVIEW_PLUGINS} hamm_chart_view hamm_geojson_view hamm_json_view"),
    pytest.mark.ckan_config("ckan.views.default_views",
                            "datatables_view hamm_chart_view hamm_json_view geojson_view hamm_geojson_view"),
    pytest.mark.ckan_config("ckanext.xloader.use_type_guessing", "true"),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


def test_linked_files_of_the_city_and_of_rvr_are_loaded_by_default(loader: None) -> None:
    """Issue 32: harvested records were never loaded; RVR and the city are listed by default."""
    dataset = hamm_dataset(owner_org=factories.Organization()["id"])
    created = [tk.get_action("resource_create")(_sysadmin_context(), {
        "package_id": dataset["id"], "name": "Tabelle", "format": "CSV", "url": url})["id"]
        for url in ("https://opendata.ruhr/dataset/x/resource/0/download/daten-0.csv",
                    "https://www.hamm.de/opendata/kitas.csv", "http://www.hamm.de/opendata/kitas.csv")]
    assert _queued_loads() == created[:2]  # plain http is never fetched


def test_files_of_a_harvested_record_are_queued_once(loader: None) -> None:
    """Issue 32: resources made inside package_create (the harvester, the seed) were never loaded."""
    dataset = hamm_dataset(owner_org=factories.Organization()["id"], resources=[
        {"name": "Tabelle", "format": "csv", "url": "https://opendata.ruhr/dataset/x/resource/0/download/daten-0.csv"},
        {"name": "Bericht", "format": "PDF", "url": "https://opendata.ruhr/dataset/x/resource/1/download/daten-1.pdf"},
        {"name": "Fremd", "format": "CSV", "url": "https://example.org/tabelle.csv"}])
    table = dataset["resources"][0]["id"]
    submissions = [job.args[0] for job in jobs.get_queue().jobs if job.func_name.endswith("submit_files")]
    assert submissions == [[table]]  # the CSV only; submitted on the worker, outside the transaction
    submit_files(submissions[0])
    assert _queued_loads() == [table]
    jobs.get_queue().empty()
    tk.get_action("package_patch")(_sysadmin_context(), {"id": dataset["id"], "notes": "geändert"})
    assert jobs.get_queue().jobs == []  # not again


@pytest.fixture
def loaded_tables(app: Any, loader: None, served_portal: str) -> dict[str, Any]:
    """The demo's daily and monthly bike counts, loaded by the worker (type guessing on)."""
    dataset = hamm_dataset(owner_org=factories.Organization()["id"], name="radverkehrszaehlung")
    daily = _upload(dataset, "radzaehlung-2025.csv", "CSV")
    monthly = _upload(dataset, "radzaehlung-monate-2025.csv", "CSV")
    _run_worker()
    return {"dataset": dataset, "daily": daily, "monthly": monthly}



def test_numbers_sort_as_numbers_and_columns_have_labels(loaded_tables: dict[str, Any]) -> None:
    """Issue 32: "radfahrende" was text, so sorting started at 1361 although 290 exists."""
    result = tk.get_action("datastore_search")({"ignore_auth": True}, {
        "resource_id": loaded_tables["daily"]["id"], "sort": "radfahrende asc", "limit": 3})
    assert [r["radfahrende"] for r in result["records"]] == [290, 295, 311]
    types = {f["id"]: f["type"] for f in result["fields"]}
    assert types["radfahrende"] == "numeric" and types["temperatur_c"] == "numeric"
    info = tk.get_action("datastore_info")({"ignore_auth": True}, {"id": loaded_tables["daily"]["id"]})
    labels = {f["id"]: (f.get("info") or {}).get("label") for f in info["fields"]}
    assert labels["zaehlstelle"] == "Zählstelle" and labels["temperatur_c"] == "Temperatur (°C)"


def test_monthly_bike_counts_get_a_chart_with_its_table(app: Any, loaded_tables: dict[str, Any]) -> None:
    monthly, dataset = loaded_tables["monthly"], loaded_tables["dataset"]
    views = tk.get_action("resource_view_list")({"ignore_auth": True}, {"id": monthly["id"]})
    assert [view["view_type"] for view in views] == ["datatables_view", "hamm_chart_view"]
    html = app.get(f"/dataset/{dataset['name']}/resource/{monthly['id']}/view/{views[1]['id']}",
                   extra_environ={"HTTP_ACCEPT_LANGUAGE": "de"}).get_data(as_text=True)
    assert "Radfahrende je Monat" in html and "<svg" in html
    assert "<caption>Werte des Diagramms</caption>" in html
    assert '<th scope="row">Jan 2025</th>' in html and '<th scope="row">Dez 2025</th>' in html


@pytest.fixture
def rvr_files() -> Iterator[Any]:
    from ckanext.hamm.demo.fake_rvr import FakeRVR

    with FakeRVR(12, files=True) as server:
        yield server


@pytest.mark.ckan_config("ckanext.hamm.previews.linked_hosts", "127.0.0.1")
@pytest.mark.ckan_config("ckanext.hamm.previews.linked_allow_local", "true")
def test_linked_geojson_shows_a_map_read_through_the_portal(app: Any, rvr_files: Any) -> None:
    """A harvested GeoJSON on a listed host: the map reads it from the portal (the page's
    Content-Security-Policy allows no other origin); a file elsewhere gets no map."""
    remote = next(r for d in rvr_files.datasets.values() for r in d["resources"] if r["format"] == "GeoJSON")
    dataset = hamm_dataset(owner_org=factories.Organization()["id"], resources=[
        {"name": "Geodaten", "format": "GeoJSON", "url": remote["url"]},
        {"name": "Fremd", "format": "GeoJSON", "url": "https://example.org/karte.geojson"}])
    listed, foreign = dataset["resources"]
    views = tk.get_action("resource_view_list")({"ignore_auth": True}, {"id": listed["id"]})
    assert [view["view_type"] for view in views] == ["hamm_geojson_view"]
    assert tk.get_action("resource_view_list")({"ignore_auth": True}, {"id": foreign["id"]}) == []
    page = app.get(f"/dataset/{dataset['name']}/resource/{listed['id']}/view/{views[0]['id']}")
    assert f"/resource/{listed['id']}/karte.geojson" in page.get_data(as_text=True)
    served = app.get(f"/dataset/{dataset['name']}/resource/{listed['id']}/karte.geojson")
    assert served.status_code == 200 and served.headers["Content-Type"].startswith("application/geo+json")
    assert len(served.json["features"]) == 7  # one point per Stadtbezirk
    assert app.get(f"/dataset/{dataset['name']}/resource/{foreign['id']}/karte.geojson").status_code == 404


@pytest.mark.ckan_config("ckanext.hamm.previews.linked_hosts", "127.0.0.1")
@pytest.mark.ckan_config("ckanext.hamm.previews.linked_allow_local", "true")
def test_linked_json_records_show_as_a_table(app: Any, rvr_files: Any) -> None:
    """Harvested "Daten für Anwendungen" (JSON records) had no preview; now a table."""
    remote = next(r for d in rvr_files.datasets.values() for r in d["resources"] if r["format"] == "JSON")
    dataset = hamm_dataset(owner_org=factories.Organization()["id"], resources=[
        {"name": "Daten", "format": "JSON", "url": remote["url"]}])
    resource = dataset["resources"][0]
    views = tk.get_action("resource_view_list")({"ignore_auth": True}, {"id": resource["id"]})
    assert [view["view_type"] for view in views] == ["hamm_json_view"]
    html = app.get(f"/dataset/{dataset['name']}/resource/{resource['id']}",
                   extra_environ={"HTTP_ACCEPT_LANGUAGE": "de"}).get_data(as_text=True)
    table = html.split('class="table table-sm table-striped hamm-table"', 1)[1].split("</table>", 1)[0]
    assert '<th scope="col">Stadtbezirk</th>' in table and '<th scope="col">Anteil (%)</th>' in table
    assert table.count("<tr>") == 8  # the header and one row per Stadtbezirk
