"""harvest-faults.md rows as full jobs: each ends finished, with one readable error, and no local
dataset lost or wrongly changed (rows 1–10 and 23 also in test_client.py at the HTTP level)."""
from __future__ import annotations

import json

import ckan.plugins.toolkit as tk
import pytest
from ckan import model
from ckan.tests import factories

from ckanext.hamm.demo.fake_rvr import make_dataset
from ckanext.hamm.harvesters import sync
from ckanext.harvest.model import HarvestGatherError, HarvestJob, HarvestObject, HarvestSource

from .conftest import job_marks, make_source
from .test_jobs import by_remote_id, harvested, modified_stamps, show

pytestmark = job_marks()


@pytest.fixture
def rvr_size() -> int:
    return 20


@pytest.fixture
def source(rvr, org, sysadmin) -> HarvestSource:
    """Small pages, so paging faults (cycles, errors on page 2) show with 20 datasets."""
    return make_source(rvr.url, org["id"], sysadmin["name"], page_size=7)


def assert_refused_cleanly(report: sync.SyncReport, source_id: str, before: dict, words: str) -> None:
    assert len(report.errors) == 1, report.errors
    assert words in report.errors[0]
    assert HarvestJob.get(report.job_id).status == "Finished"
    assert model.Session.query(HarvestGatherError).filter_by(harvest_job_id=report.job_id).count() == 1
    assert modified_stamps(source_id) == before
    assert report.withdrawn == 0


@pytest.mark.parametrize("fault, words", [
    ("redirect_private", "nicht auf der Liste"),        # row 3 (address check: test_client.py)
    ("redirect_metadata", "nicht auf der Liste"),       # row 3
    ("redirect_foreign", "nicht auf der Liste"),        # row 3
    ("stall", "zu langsam"),                            # row 7
    ("huge", "größer als erlaubt"),                     # row 8
    ("gzip_bomb", "größer als erlaubt"),                # row 8
    ("latin1_undeclared", "Zeichenkodierung"),          # row 9
    ("page_cycle", "dieselbe Seite"),                   # row 10
    ("html200", "Webseite statt Daten"),                # row 23
    ("malformed_json", "kein gültiges JSON"),           # row 23
    ("status_503", "dauerhaft mit Fehler 503"),
])
def test_fetch_faults_end_the_job_with_one_error_and_change_nothing(run, source, rvr, fault, words):
    run()
    before = modified_stamps(source.id)
    rvr.fault, rvr.stall_seconds = fault, 2
    report = run(full=True)
    assert_refused_cleanly(report, source.id, before, words)
    rvr.fault = None
    assert run(full=True).errors == []  # the next run is normal again


@pytest.mark.parametrize("fault, words", [("xxe", "DOCTYPE"), ("billion_laughs", "DOCTYPE"),  # rows 1, 2
                                          ("next_foreign", "anderen Server"),                  # row 5
                                          ("jsonld_remote_context", "@context"),               # row 6
                                          ("malformed_rdf", "fehlerhaft")])                    # row 23
def test_dcat_mode_faults(rvr, org, sysadmin, fault, words):
    source = make_source(rvr.url, org["id"], sysadmin["name"], mode="dcat")
    first = sync.run(source)
    assert first.added == 20 and first.errors == []
    before = modified_stamps(source.id)
    rvr.fault = fault
    assert_refused_cleanly(sync.run(source, full=True), source.id, before, words)


def test_dcat_mode_harvests_the_catalogue(rvr, org, sysadmin):
    source = make_source(rvr.url, org["id"], sysadmin["name"], mode="dcat")
    report = sync.run(source)
    assert (report.added, report.errors) == (20, [])
    remote = rvr.datasets[rvr.ids()[0]]
    local = by_remote_id(source.id, f"https://opendata.ruhr/dataset/{remote['id']}")
    assert local["title"] == remote["title"] and local["theme"]
    assert sync.run(source).updated == 0


def test_non_http_source_url_is_refused(org, sysadmin):  # row 4
    source = make_source("file:///etc/passwd", org["id"], sysadmin["name"], name="lokal")
    report = sync.run(source)
    assert len(report.errors) == 1 and "nur https" in report.errors[0]
    assert HarvestJob.get(report.job_id).status == "Finished"


def test_partial_failure_is_reported_and_withdraws_nothing(run, source, rvr, rvr_size):  # rows 17, 18
    run()
    rvr.delete(rvr.ids()[-1])
    for remote_id in rvr.ids()[:2]:
        rvr.edit(remote_id, title="geändert")
    rvr.fault = "error_page2"
    report = sync.run(HarvestSource.get(source.id), full=True)
    assert len(report.errors) == 1 and "500" in report.errors[0]
    assert report.withdrawn == 0 and len(harvested(source.id)) == rvr_size
    assert HarvestJob.get(report.job_id).status == "Finished"


def test_bad_dates_are_dropped_with_a_note(run, source, rvr):  # row 20
    rvr.fault = "bad_dates"
    report = run()
    assert report.added == 20 and report.errors == []
    local = by_remote_id(source.id, rvr.ids()[0])
    assert local["issued"] == "2020-12-31"
    second = by_remote_id(source.id, rvr.ids()[1])
    assert "issued" not in second or not second["issued"]
    assert "ungültiges Datum" in second["hamm_harvest_warnings"]


def test_thousands_of_resources_and_huge_texts_are_capped(run, source, rvr):  # row 21
    rvr.fault = "many_resources"
    report = run()
    assert report.errors == []
    local = by_remote_id(source.id, rvr.ids()[0])
    assert len(local["resources"]) == 100
    assert len(local["notes"]) == 50_000
    assert "3000 Ressourcen" in local["hamm_harvest_warnings"]


def test_dataset_limit_of_the_source(rvr, org, sysadmin):  # row 22
    source = make_source(rvr.url, org["id"], sysadmin["name"], max_datasets=10, page_size=5)
    report = sync.run(source)
    assert len(report.errors) == 1 and "mehr als 10 Datensätze" in report.errors[0]
    assert report.withdrawn == 0


def test_loop_guard_skips_datasets_exported_by_hamm(run, source, rvr, org):
    local = factories.Dataset(owner_org=org["id"], name="baumkataster-hamm", handlungsfeld=["umwelt"],
                              license_id="dl-by-de/2.0")
    rvr.add(dict(make_dataset(900), id=local["id"], name=local["name"]))  # RVR copied it with the stock harvester
    rvr.add(dict(make_dataset(901), url="https://opendata.hamm.de/dataset/spielplaetze"))
    report = run()
    assert report.added == 20 and report.own_skipped == 2
    assert show(local["id"])["title"] == local["title"]  # never touched


def test_loop_guard_reads_the_origin_mark_of_our_api(run, source, rvr, org):
    """RVR harvested our API under its own ids and names; the mark in the extras it kept says Hamm."""
    local = factories.Dataset(owner_org=org["id"], name="laermkarte-hamm", handlungsfeld=["umwelt"],
                              license_id="dl-by-de/2.0")
    ours = show(local["id"])
    rvr.add(dict(make_dataset(902), extras=ours["extras"]))
    rvr.add(dict(make_dataset(903), hamm_origin=ours["hamm_origin"]))
    report = run()
    assert report.added == 20 and report.own_skipped == 2


def test_name_clash_with_a_local_dataset_gets_a_unique_name(run, source, rvr, org):  # rows 14, 15
    remote = rvr.datasets[rvr.ids()[0]]
    local = factories.Dataset(owner_org=org["id"], name=remote["name"], title="Eigener Datensatz",
                              handlungsfeld=["umwelt"], license_id="dl-by-de/2.0")
    report = run()
    assert report.added == 20
    harvested_copy = by_remote_id(source.id, remote["id"])
    assert harvested_copy["name"] != remote["name"] and harvested_copy["name"].startswith(remote["name"])
    assert show(local["id"])["title"] == "Eigener Datensatz"
    assert model.Session.query(HarvestObject).filter_by(package_id=local["id"]).count() == 0


def test_a_second_source_never_touches_the_first_sources_datasets(run, source, rvr, sysadmin):  # row 14
    run()
    before = modified_stamps(source.id)
    other_org = factories.Organization()
    other = make_source(rvr.url, other_org["id"], sysadmin["name"], name="rvr-2", page_size=8)
    for remote_id in rvr.ids()[:3]:
        rvr.edit(remote_id, title="anders")
    report = sync.run(other)
    assert report.added == 20
    assert modified_stamps(source.id) == before
    assert {p.owner_org for p in harvested(source.id)} != {other_org["id"]}


def test_remote_data_never_creates_organisations_or_groups(run, rvr):  # row 24
    orgs, groups = (model.Session.query(model.Group).filter_by(is_organization=flag).count() for flag in (True, False))
    assert run().added == 20
    assert model.Session.query(model.Group).filter_by(is_organization=True).count() == orgs
    assert model.Session.query(model.Group).filter_by(is_organization=False).count() == groups


def test_configured_staff_fields_are_kept_too(rvr, org, sysadmin):  # row 16
    source = make_source(rvr.url, org["id"], sysadmin["name"], staff_fields=["notes"])
    sync.run(source)
    remote_id = rvr.ids()[0]
    local = by_remote_id(source.id, remote_id)
    tk.get_action("package_patch")({"ignore_auth": True, "user": ""}, {"id": local["id"], "notes": "Von Hamm ergänzt"})
    rvr.edit(remote_id, notes="Neue Beschreibung beim RVR", title="Neuer Titel")
    assert sync.run(source).updated == 1
    after = show(local["id"])
    assert after["notes"] == "Von Hamm ergänzt" and after["title"] == "Neuer Titel"


def test_dry_run_changes_nothing(run, source, rvr):
    report = run(dry_run=True)
    assert report.updated == 20 and report.added == 0
    assert harvested(source.id) == []
    assert model.Session.query(HarvestObject).filter_by(harvest_source_id=source.id).count() == 0


def test_parallel_import_workers_create_each_dataset_once(source, rvr):
    report = sync.run(HarvestSource.get(source.id), workers=2)
    assert (report.added, report.errors) == (20, [])
    assert len(harvested(source.id)) == 20


def test_stock_queue_path_runs_our_stages(source, rvr):
    """ckanext-harvest's own driver (tests/lib.py run_harvest_job) works with hamm_rvr, twice."""
    from ckanext.harvest import queue
    from ckanext.harvest.tests.lib import run_harvest_job

    for expected in (20, 0):
        job = tk.get_action("harvest_job_create")({"ignore_auth": True, "user": ""},
                                                   {"source_id": source.id, "run": False})
        results = run_harvest_job(HarvestJob.get(job["id"]), queue.get_harvester("hamm_rvr"))
        assert sum(1 for r in results.values() if r["report_status"] == "added") == expected
        assert HarvestJob.get(job["id"]).status == "Finished"
    # ckanext-harvest 1.6.3 drops source_type from harvest_source_show after a job; we read the model
    assert sync.find_source("rvr").id == source.id


ABSENT = object()
MALFORMED = [  # (field, remote value, words in the error): the first two are the review's findings
    ("id", None, "id: missing"), ("resources", "notalist", "resources: not a list"),
    ("id", ABSENT, "id: missing"), ("id", 42, "id: missing or not a text id"), ("id", ["x"], "id:"),
    ("name", None, "name: missing"), ("name", ABSENT, "name: missing"), ("name", {"de": "x"}, "name: not a text"),
    ("title", None, "title: missing"), ("title", 17, "title: not a text"),
    ("resources", None, "resources: missing"), ("resources", ABSENT, "resources: missing"),
    ("resources", [1, "x"], "resources: an entry"), ("resources", [{"url": ["https://a"]}], "resources: an entry"),
    ("tags", "a,b", "tags: not a list"), ("tags", None, "tags: missing"), ("tags", [{"name": 5}], "tags: an entry"),
    ("groups", {"name": "umwelt"}, "groups: not a list"), ("groups", ABSENT, "groups: missing"),
    ("groups", [{"title": "x"}], "groups: an entry"),
    ("metadata_modified", 20240101, "metadata_modified: not a text"), ("metadata_created", None, "metadata_created"),
    ("metadata_modified", ["2024-01-01"], "metadata_modified"), ("notes", {"de": "x"}, "notes: not text"),
]


@pytest.mark.parametrize("field, value, words", MALFORMED)
def test_malformed_record_is_an_error_and_never_changes_its_dataset(run, source, rvr, field, value, words):
    """A full run (the one that withdraws) meets one broken record that also changed its title."""
    run()
    target = rvr.ids()[0]
    local = by_remote_id(source.id, target)
    before = modified_stamps(source.id)
    record = dict(rvr.datasets[target], title="Beim RVR geändert")
    if value is ABSENT:
        del record[field]
    else:
        record[field] = value
    rvr.datasets[target] = record
    report = run(full=True)
    assert len(report.errors) == 1 and words in report.errors[0], report.errors
    named = target if field != "id" else record["name"]
    assert named in report.errors[0] and "bleibt unverändert" in report.errors[0]
    assert HarvestJob.get(report.job_id).status == "Finished"
    assert (report.withdrawn, report.added, report.updated) == (0, 0, 0)
    assert modified_stamps(source.id) == before
    after = show(local["id"])
    assert after["state"] == "active" and after["title"] == local["title"]
    assert [r["url"] for r in after["resources"]] == [r["url"] for r in local["resources"]]


def test_malformed_new_record_is_an_error_and_the_others_are_imported(run, source, rvr):
    rvr.add(dict(make_dataset(950), resources={"url": "https://opendata.ruhr/x.csv"}))
    report = run()
    assert report.added == 20 and len(report.errors) == 1 and "resources: not a list" in report.errors[0]
    assert HarvestJob.get(report.job_id).status == "Finished"


def test_many_malformed_records_are_named_up_to_a_limit_then_counted(run, source, rvr, monkeypatch):
    from ckanext.hamm.harvesters import gather

    monkeypatch.setattr(gather, "MAX_RECORD_ERRORS", 3)
    for remote_id in rvr.ids()[:5]:
        rvr.datasets[remote_id] = dict(rvr.datasets[remote_id], tags="kaputt")
    report = run()
    assert report.added == 15 and len(report.errors) == 4
    assert "Weitere 2 fehlerhafte Datensätze" in report.errors[-1]


def test_an_object_queued_with_a_malformed_record_is_refused_at_import(run, source, rvr):
    """Objects gathered by an older version reach the import stage unchecked: the stage checks again."""
    from ckanext.hamm.harvesters.harvester import HammRvrHarvester

    run()
    target = rvr.ids()[0]
    local = by_remote_id(source.id, target)
    job = sync.start_job(HarvestSource.get(source.id))
    obj = HarvestObject(guid=target, job=job, harvest_source_id=source.id,
                        content=json.dumps(dict(rvr.datasets[target], resources="notalist")))
    obj.save()
    assert HammRvrHarvester().import_stage(obj) is False
    assert "resources: not a list" in HarvestObject.get(obj.id).errors[0].message
    assert len(show(local["id"])["resources"]) == len(local["resources"])
