"""Publishing against a real stock CKAN standing in for opendata.ruhr (issue 15, "Done when")."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest
from ckan import model

from ckanext.hamm.model import rvr_link as links
from ckanext.hamm.vocabularies import store

from .conftest import SITE, publish_marks, run

pytestmark = publish_marks()


def extras(remote: dict) -> dict:
    return {e["key"]: e["value"] for e in remote.get("extras") or []}


def test_first_run_creates_every_demo_dataset_with_tags_groups_licence_and_resources(standin, demo_datasets):
    org = demo_datasets[0]["owner_org"]
    for name, extra in (("geheim", {"private": True}), ("entwurf", {"state": "draft"})):  # never sent
        tk.get_action("package_create")({"ignore_auth": True, "user": ""}, dict(
            name=name, title=name, owner_org=org, handlungsfeld=["umwelt"], zielgruppe=["buergerinnen"], **extra))
    report = run(standin)
    assert report.errors == [], report.summary()
    assert (report.created, report.updated, report.deleted) == (len(demo_datasets), 0, 0)
    remote = {d["name"]: d for d in standin.datasets()}
    assert set(remote) == {f"hamm-{d['name']}" for d in demo_datasets}
    cool = remote["hamm-kuehle-orte"]
    tags = {t["name"] for t in cool["tags"]}
    # free tags, then the German labels of Handlungsfeld, Zielgruppe and Persona as valid CKAN tags
    assert {"Hitze", "Klimaanpassung", "Umwelt- und Klimaschutz", "Soziales", "Senior_innen", "Bürger_innen",
            "Sabine - Planerin für den Hitzeaktionsplan", "Horst - Verein mit Repair-Café"} <= tags
    assert sorted(g["name"] for g in cool["groups"]) == ["envi", "heal"]
    assert cool["license_id"] == "dl-by-de/2.0"
    assert cool["license_title"] == "Datenlizenz Deutschland – Namensnennung – Version 2.0"
    assert cool["organization"]["name"] == "hamm"
    assert cool["url"] == f"{SITE}/dataset/kuehle-orte"
    assert cool["title"] == "Kühle Orte bei Hitze"
    assert cool["maintainer"] == "Umweltamt" and cool["author"] == "Stadt Hamm"
    local = next(d for d in demo_datasets if d["name"] == "kuehle-orte")
    assert extras(cool)["hamm_origin"] == f"{SITE}/dataset/{local['id']}"
    assert extras(cool)["politicalGeocodingURI"] == \
        '["http://dcat-ap.de/def/politicalGeocoding/municipalityKey/05915000"]'
    assert [(r["url"], r["format"]) for r in cool["resources"]] == \
        [(r["url"], r["format"]) for r in local["resources"]]


def test_second_run_writes_nothing_and_an_edit_updates_only_that_dataset(standin, demo_datasets):
    assert run(standin).errors == []
    stamps = {d["name"]: d["metadata_modified"] for d in standin.datasets()}
    again = run(standin)
    assert (again.write_calls, again.read_calls, again.errors) == (0, 0, [])
    assert again.unchanged == len(demo_datasets) and again.created == again.updated == 0
    tk.get_action("package_patch")({"ignore_auth": True}, {"id": "baumkataster", "title": "Baumkataster 2026"})
    edited = run(standin)
    assert (edited.updated, edited.created, edited.write_calls, edited.errors) == (1, 0, 1, [])
    after = {d["name"]: d for d in standin.datasets()}
    assert after["hamm-baumkataster"]["title"] == "Baumkataster 2026"
    changed = {name for name, d in after.items() if d["metadata_modified"] != stamps[name]}
    assert changed == {"hamm-baumkataster"}
    full = run(standin, full=True)  # compares everything, still nothing to write
    assert (full.write_calls, full.unchanged, full.errors) == (0, len(demo_datasets), [])


def test_a_dataset_made_private_or_deleted_in_hamm_is_deleted_at_rvr(standin, demo_datasets):
    assert run(standin).errors == []
    tk.get_action("package_patch")({"ignore_auth": True}, {"id": "gruenflaechen", "private": True})
    tk.get_action("package_delete")({"ignore_auth": True}, {"id": "wlan-hotspots"})
    report = run(standin)
    assert (report.deleted, report.errors) == (2, [])
    states = standin.states()
    assert states["hamm-gruenflaechen"] == states["hamm-wlan-hotspots"] == "deleted"
    assert sum(state == "active" for state in states.values()) == len(demo_datasets) - 2
    assert run(standin).write_calls == 0


def test_shrink_guard_refuses_to_delete_too_many_at_once(standin, demo_datasets):
    assert run(standin).errors == []
    for dataset in demo_datasets[:5]:  # 5 of 19 = 26 % > 20 %
        tk.get_action("package_patch")({"ignore_auth": True}, {"id": dataset["id"], "private": True})
    report = run(standin)
    assert report.deleted == 0 and len(report.errors) == 1
    assert "Zum Schutz wurde bei RVR nichts gelöscht" in report.errors[0]
    assert set(standin.states().values()) == {"active"}


def test_edit_at_rvr_is_a_conflict_left_alone_unless_forced(standin, demo_datasets):
    assert run(standin).errors == []
    standin.api("package_patch", id="hamm-baumkataster", notes="Von RVR ergänzt")
    tk.get_action("package_patch")({"ignore_auth": True}, {"id": "baumkataster", "title": "Baumkataster neu"})
    report = run(standin)
    assert (report.skipped, report.updated, report.errors) == (1, 0, [])
    assert any("Konflikt" in note and "baumkataster" in note for note in report.notes)
    assert standin.api("package_show", id="hamm-baumkataster")["notes"] == "Von RVR ergänzt"
    forced = run(standin, force=True)
    assert (forced.updated, forced.errors) == (1, [])
    assert standin.api("package_show", id="hamm-baumkataster")["title"] == "Baumkataster neu"


def test_a_dataset_edited_at_rvr_is_not_deleted_there_unless_forced(standin, demo_datasets):
    assert run(standin).errors == []
    standin.api("package_patch", id="hamm-gruenflaechen", notes="Von RVR ergänzt")
    tk.get_action("package_patch")({"ignore_auth": True}, {"id": "gruenflaechen", "private": True})
    report = run(standin)
    assert (report.deleted, report.skipped, report.errors) == (0, 1, [])
    assert standin.states()["hamm-gruenflaechen"] == "active"
    assert run(standin, force=True).deleted == 1
    assert standin.states()["hamm-gruenflaechen"] == "deleted"


def test_dry_run_writes_nothing_and_remembers_nothing(standin, demo_datasets):
    report = run(standin, dry_run=True)
    assert (report.created, report.write_calls, report.errors) == (len(demo_datasets), 0, [])
    assert standin.datasets() == []
    assert run(standin).created == len(demo_datasets)


@pytest.mark.parametrize("user, words", [("fremde-stadt", "keine Schreibrechte"), (None, "keine Schreibrechte")])
def test_a_token_without_rights_in_hamm_ends_the_run_readably(standin, demo_datasets, monkeypatch, user, words):
    monkeypatch.setenv("HAMM_RVR_API_TOKEN", standin.tokens[user] if user else "kein-gueltiges-token")
    report = run(standin)
    assert report.write_calls == 0 and len(report.errors) == 1 and words in report.errors[0]
    assert standin.datasets() == []


def test_a_name_taken_by_another_city_gets_a_stable_suffix_not_a_takeover(standin, demo_datasets):
    standin.api("package_create", name="hamm-baumkataster", title="Bäume in Bochum", owner_org="stadt-bochum")
    report = run(standin)
    assert (report.created, report.errors) == (len(demo_datasets), [])
    local = next(d for d in demo_datasets if d["name"] == "baumkataster")
    ours = [d for d in standin.datasets() if d["title"] == local["title"]]
    assert [d["name"] for d in ours] == [f"hamm-baumkataster-{local['id'][:8]}"]
    assert standin.api("package_show", id="hamm-baumkataster")["title"] == "Bäume in Bochum"  # untouched


def test_real_validation_errors_are_named_per_field(standin, demo_datasets, tmp_path, ckan_config, monkeypatch):
    rules = tmp_path / "rvr_publish.yaml"
    rules.write_text("name_prefix: 'Hamm '\n", encoding="utf-8")  # CKAN names must be lower-case slugs
    monkeypatch.setitem(ckan_config, "ckanext.hamm.rvr_publish.mapping", str(rules))
    report = run(standin)
    assert report.created == 0 and len(report.errors) == len(demo_datasets)  # each dataset named once
    assert all("RVR lehnt die Angaben ab (name:" in error and "RVR refuses" in error for error in report.errors)
    assert standin.datasets() == []


def test_every_dimension_label_arrives_as_a_tag(standin, demo_datasets):
    """RVR's stock harvesters carried 4 of 172 Handlungsfeld labels; delivered as tags, all arrive."""
    assert run(standin).errors == []
    remote = {d["name"]: {t["name"] for t in d["tags"]} for d in standin.datasets()}
    expected = found = 0
    for local in demo_datasets:
        for dimension in ("handlungsfeld", "zielgruppe", "persona"):
            for concept in local.get(dimension) or []:
                label = store.concept_label(dimension, concept, "de")
                tag = label.replace(":", "_").replace(" & ", " und ").replace(", ", " - ")
                expected += 1
                found += tag in remote[f"hamm-{local['name']}"]
    assert expected > 40 and found == expected


def test_a_lost_answer_never_makes_a_copy(standin, demo_datasets):
    """RVR created the datasets but the answers never arrived: the next run adopts them by origin mark."""
    assert run(standin).errors == []
    model.Session.query(links.RvrLink).delete()
    model.Session.commit()
    again = run(standin)
    assert again.errors == [] and len(standin.datasets()) == len(demo_datasets)
    assert model.Session.query(links.RvrLink).count() == len(demo_datasets)
    assert run(standin).write_calls == 0
