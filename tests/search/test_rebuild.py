"""``search-index rebuild`` through ``ckanext/hamm/search/rebuild.py``: core's documents, less work.

The reference is core itself: the same portal is indexed once by CKAN's own
rebuild (``rebuild._core``, no shortcut in effect) and once by ours, and every
column of every index row must be equal.
"""
from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest
import sqlalchemy as sa
from ckan import model
from ckan.lib import search
from ckan.tests import factories, helpers
from sqlalchemy import event

from ckanext.hamm.search import rebuild, table

from .commands import indexed_names, run_ckan


def _rows() -> list[tuple]:
    model.Session.commit()
    return [tuple(r) for r in model.Session.execute(sa.text(f"SELECT * FROM {table.TABLE} ORDER BY index_id"))]


def _portal() -> None:
    org = factories.Organization(name="amt-umwelt")
    group = factories.Group(name="stadtgruen")
    themes = helpers.call_action("vocabulary_create", name="handlungsfeld",
                                 tags=[{"name": "umwelt"}, {"name": "mobilitaet"}])
    people = helpers.call_action("vocabulary_create", name="zielgruppe", tags=[{"name": "buergerinnen"}])
    assert themes and people
    for i, private in enumerate([False, False, True]):
        factories.Dataset(
            owner_org=org["id"], name=f"datensatz-{i}", private=private, title=f"Bäume {i}",
            notes="Alle Stadtbäume", groups=[{"name": group["name"]}], license_id="cc-by",
            tags=[{"name": "Bäume"}, {"name": "umwelt", "vocabulary_id": themes["id"]},
                  {"name": "mobilitaet", "vocabulary_id": themes["id"]},
                  {"name": "buergerinnen", "vocabulary_id": people["id"]}],
            extras=[{"key": "review_date", "value": "2024-06-30"}],
            resources=[{"url": f"https://example.org/{i}.csv", "format": "CSV", "name": "Liste"}])


def _core_then_ours() -> tuple[list[tuple], list[tuple]]:
    _portal()
    search.clear_all()
    rebuild._core["rebuild"](defer_commit=True, quiet=True)  # CKAN's loop, CKAN's per-dataset work
    by_core = _rows()
    search.clear_all()
    search.rebuild(defer_commit=True, quiet=True)
    return by_core, _rows()


@pytest.mark.parametrize("plugins", [
    pytest.param("hamm_search", marks=pytest.mark.ckan_config("ckan.plugins", "hamm_search")),
    # hamm adds hamm_origin in after_dataset_show: only the custom-schema dict may get it
    pytest.param("hamm_search hamm dcat", marks=pytest.mark.ckan_config("ckan.plugins", "hamm_search hamm dcat")),
])
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_rebuild_writes_every_column_as_core_does(plugins):
    by_core, ours = _core_then_ours()
    assert len(ours) == 3
    assert ours == by_core


@pytest.mark.ckan_config("ckan.plugins", "hamm_search")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_rebuild_reads_vocabularies_once_and_each_dataset_once_and_validates_it_once(monkeypatch):
    _portal()
    search.clear_all()
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    validations = []
    real_validate = rebuild.plugin_validate
    monkeypatch.setattr(rebuild, "plugin_validate",
                        lambda *a, **k: validations.append(1) or real_validate(*a, **k))
    model.Session.commit()
    model.Session.expunge_all()  # as in `ckan search-index rebuild`: nothing loaded yet
    engine = model.Session.get_bind().engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        search.rebuild(defer_commit=True, quiet=True)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    vocabulary_reads = [s for s in statements if "FROM vocabulary" in s]
    # core: two queries per vocabulary tag (3 tags x 3 datasets = 18); here at most two per vocabulary
    assert 0 < len(vocabulary_reads) <= 4
    assert len(validations) == 3
    # core loads each dataset by id twice (package_show, then the permission labels)
    dataset_loads = [s for s in statements if "FROM package" in s and "WHERE package.id = " in s]
    assert len(dataset_loads) == 3


@pytest.mark.ckan_config("ckan.plugins", "hamm_search")
@pytest.mark.usefixtures("with_plugins", "clean_db")
def test_outside_a_rebuild_vocabulary_show_is_never_remembered():
    vocabulary = helpers.call_action("vocabulary_create", name="handlungsfeld", tags=[{"name": "umwelt"}])
    assert [t["name"] for t in helpers.call_action("vocabulary_show", id="handlungsfeld")["tags"]] == ["umwelt"]
    helpers.call_action("tag_create", name="mobilitaet", vocabulary_id=vocabulary["id"])
    shown = helpers.call_action("vocabulary_show", id="handlungsfeld")
    assert sorted(t["name"] for t in shown["tags"]) == ["mobilitaet", "umwelt"]


@pytest.mark.ckan_config("ckan.plugins", "hamm_search")
@pytest.mark.usefixtures("with_plugins", "clean_db")
def test_inside_a_rebuild_callers_get_their_own_copy_and_the_scope_ends():
    helpers.call_action("vocabulary_create", name="handlungsfeld", tags=[{"name": "umwelt"}])
    with rebuild.rebuilding():
        first = helpers.call_action("vocabulary_show", id="handlungsfeld")
        first["tags"].clear()
        assert [t["name"] for t in helpers.call_action("vocabulary_show", id="handlungsfeld")["tags"]] == ["umwelt"]
    assert rebuild._vocabularies.get() is None


@pytest.mark.ckan_config("ckan.plugins", "hamm_search")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_whole_catalogue_rebuild_in_two_processes_writes_what_core_writes(tmp_path):
    _portal()
    search.clear_all()
    rebuild._core["rebuild"](defer_commit=True, quiet=True)
    by_core = _rows()
    search.clear_all()
    model.Session.commit()
    result = run_ckan(tmp_path, "search-index", "rebuild", settings="ckanext.hamm.search.rebuild_processes = 2")
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Indexing 3 datasets in 2 processes" in result.stdout
    assert _rows() == by_core


@pytest.mark.ckan_config("ckan.plugins", "hamm_search")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_a_broken_dataset_fails_the_parallel_rebuild_and_is_skipped_with_force(tmp_path):
    _portal()
    search.clear_all()
    model.Session.execute(sa.text("UPDATE package SET metadata_created = NULL WHERE name = 'datensatz-1'"))
    model.Session.commit()
    setting = "ckanext.hamm.search.rebuild_processes = 2"

    failed = run_ckan(tmp_path, "search-index", "rebuild", settings=setting)
    assert failed.returncode != 0
    assert "1 of 2 indexing processes failed" in failed.stderr
    broken = model.Package.by_name("datensatz-1").id
    assert f"Error while indexing dataset {broken}" in failed.stderr

    forced = run_ckan(tmp_path, "search-index", "rebuild", "--force", settings=setting)
    assert forced.returncode == 0, forced.stderr[-2000:]
    assert indexed_names() == {"datensatz-0", "datensatz-2"}


@pytest.mark.ckan_config("ckan.plugins", "hamm_search")
@pytest.mark.usefixtures("with_plugins", "clean_db")
@pytest.mark.parametrize("setting, datasets, expected", [
    (None, 999, 1), (None, 0, 1), ("1", 50_000, 1), ("3", 10, 3), ("2", 0, 1)])
def test_process_count(monkeypatch, setting, datasets, expected):
    monkeypatch.setattr(rebuild.os, "cpu_count", lambda: 2)
    if setting is None:
        monkeypatch.delitem(tk.config, "ckanext.hamm.search.rebuild_processes", raising=False)
    else:
        monkeypatch.setitem(tk.config, "ckanext.hamm.search.rebuild_processes", setting)
    assert rebuild._process_count(datasets) == expected


@pytest.mark.ckan_config("ckan.plugins", "hamm_search")
@pytest.mark.usefixtures("with_plugins", "clean_db")
def test_large_catalogues_use_every_core_up_to_four(monkeypatch):
    monkeypatch.delitem(tk.config, "ckanext.hamm.search.rebuild_processes", raising=False)
    monkeypatch.setattr(rebuild.os, "cpu_count", lambda: 2)
    assert rebuild._process_count(1000) == 2
    monkeypatch.setattr(rebuild.os, "cpu_count", lambda: 16)
    assert rebuild._process_count(10_000) == 4
