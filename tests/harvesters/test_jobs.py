"""Full hamm_rvr jobs against the fake RVR with a real database (no queues: stages driven directly)."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest
from ckan import model

from ckanext.hamm.harvesters import sync
from ckanext.harvest.model import HarvestGatherError, HarvestJob, HarvestObject

from .conftest import job_marks, make_source

pytestmark = job_marks()


@pytest.fixture
def source(rvr, org, sysadmin):
    """Pages of 7, so the default 20 datasets of the fake RVR still come over three pages."""
    return make_source(rvr.url, org["id"], sysadmin["name"], page_size=7)


def harvested(source_id: str, state: str = "active") -> list[model.Package]:
    return (model.Session.query(model.Package).join(HarvestObject, HarvestObject.package_id == model.Package.id)
            .filter(HarvestObject.harvest_source_id == source_id, HarvestObject.current.is_(True),
                    model.Package.state == state).all())


def show(package_id: str) -> dict:
    return tk.get_action("package_show")({"ignore_auth": True}, {"id": package_id})


def by_remote_id(source_id: str, remote_id: str) -> dict:
    obj = model.Session.query(HarvestObject).filter_by(harvest_source_id=source_id, guid=remote_id,
                                                       current=True).one()
    return show(obj.package_id)


def modified_stamps(source_id: str) -> dict[str, object]:
    """Column values straight from the database (CKAN's session does not expire objects on commit)."""
    rows = (model.Session.query(model.Package.id, model.Package.metadata_modified)
            .join(HarvestObject, HarvestObject.package_id == model.Package.id)
            .filter(HarvestObject.harvest_source_id == source_id, HarvestObject.current.is_(True),
                    model.Package.state == "active"))
    return dict(rows.all())


def test_fresh_sync_creates_each_remote_dataset_once_with_provenance(run, source, rvr, org, rvr_size):
    report = run()
    assert (report.added, report.updated, report.withdrawn, report.errors) == (rvr_size, 0, 0, [])
    assert report.full
    packages = harvested(source.id)
    assert len(packages) == rvr_size == len(rvr.ids())
    assert {p.owner_org for p in packages} == {org["id"]}
    remote = rvr.datasets[rvr.ids()[0]]
    local = by_remote_id(source.id, remote["id"])
    assert local["title"] == remote["title"]
    assert local["hamm_source_title"] == "Open Data Portal Metropole Ruhr"
    assert local["hamm_source_url"] == f"{rvr.url}/dataset/{remote['name']}"
    assert local["hamm_remote_id"] == remote["id"]
    assert local["theme"] and local["handlungsfeld"]
    assert local["id"] != remote["id"]  # identity lives in the harvest object, not in borrowed ids
    assert HarvestJob.get(report.job_id).status == "Finished"


def test_second_sync_changes_nothing_and_edits_change_only_those(run, source, rvr, rvr_size):
    run()
    before = modified_stamps(source.id)
    again = run()
    assert (again.added, again.updated, again.withdrawn, again.errors) == (0, 0, 0, [])
    full = run(full=True)
    assert (full.added, full.updated, full.withdrawn, full.unchanged, full.errors) == (0, 0, 0, rvr_size, [])
    assert modified_stamps(source.id) == before
    edited = rvr.ids()[:3]
    for remote_id in edited:
        rvr.edit(remote_id, title=rvr.datasets[remote_id]["title"] + " – aktualisiert")
    report = run()
    assert (report.added, report.updated, report.errors) == (0, 3, [])
    after = modified_stamps(source.id)
    changed = {pid for pid in after if after[pid] != before[pid]}
    assert changed == {by_remote_id(source.id, r)["id"] for r in edited}
    assert by_remote_id(source.id, edited[0])["title"].endswith("– aktualisiert")
    assert len(harvested(source.id)) == rvr_size  # row 13: no "-1" copies after re-harvests


def test_staff_edit_of_handlungsfeld_survives_the_next_sync(run, source, rvr):
    run()
    remote_id = rvr.ids()[0]
    local = by_remote_id(source.id, remote_id)
    staff_choice = ["strategie-und-kommunikation"]
    assert local["handlungsfeld"] != staff_choice
    tk.get_action("package_patch")({"ignore_auth": True, "user": ""}, {"id": local["id"], "handlungsfeld": staff_choice})
    rvr.edit(remote_id, title="Neuer Titel aus dem RVR", groups=[{"name": "tran"}])
    report = run(full=True)
    assert report.updated == 1 and report.errors == []
    again = show(local["id"])
    assert again["title"] == "Neuer Titel aus dem RVR"  # everything else follows the source
    assert again["handlungsfeld"] == staff_choice
    assert again["theme"] == ["http://publications.europa.eu/resource/authority/data-theme/TRAN"]


def test_remote_deletion_withdraws_only_after_a_complete_full_gather(run, source, rvr):  # row 11
    run()
    gone = rvr.ids()[5]
    package_id = by_remote_id(source.id, gone)["id"]
    removed = rvr.datasets[gone]
    rvr.delete(gone)
    incremental = run()
    assert incremental.withdrawn == 0 and show(package_id)["state"] == "active"
    report = run(full=True)
    assert report.withdrawn == 1 and report.errors == []
    assert show(package_id)["state"] == "deleted"
    obj = model.Session.query(HarvestObject).filter_by(harvest_job_id=report.job_id, guid=gone).one()
    assert obj.report_status == "deleted"
    rvr.add(removed)
    back = run(full=True)
    assert back.updated == 1 and show(package_id)["state"] == "active"  # re-published: same dataset again


@pytest.mark.parametrize("fault_or_share", ["half", "empty", "truncated"])
def test_shrinking_catalogue_is_refused_and_changes_nothing(run, source, rvr, fault_or_share, rvr_size):  # rows 12, 14
    run()
    before = modified_stamps(source.id)
    if fault_or_share == "half":
        for remote_id in rvr.ids()[:rvr_size // 2]:
            rvr.delete(remote_id)
    else:
        rvr.fault = fault_or_share
    report = run(full=True)
    assert report.withdrawn == 0 and len(report.errors) == 1
    assert "Zum Schutz wurde nichts geändert" in report.errors[0]
    assert modified_stamps(source.id) == before and len(harvested(source.id)) == rvr_size
    assert model.Session.query(HarvestGatherError).filter_by(harvest_job_id=report.job_id).count() == 1


def test_configurable_shrink_threshold_allows_planned_cleanups(rvr, org, sysadmin, rvr_size):
    source = make_source(rvr.url, org["id"], sysadmin["name"], shrink_threshold=0.6)
    sync.run(source)
    for remote_id in rvr.ids()[:rvr_size // 2]:
        rvr.delete(remote_id)
    report = sync.run(source, full=True)
    assert report.withdrawn == rvr_size // 2 and report.errors == []
