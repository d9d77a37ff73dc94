"""Every upstream workaround: declared once, documented in docs/upstream.md, the upstream
objects it relies on still in place with the expected signature, still needed, and a
version check that warns loudly when the installed upstream differs.

Each ``still needed`` probe below shows the upstream behaviour the workaround answers is
still there; the tests that it still works are named in docs/upstream.md.
"""
from __future__ import annotations

import gc
import importlib
import importlib.metadata
import importlib.resources
import inspect
import io
import logging
import re
import weakref
from pathlib import Path
from typing import Any, Callable, Optional

import pytest

from ckanext.hamm import patches
from ckanext.hamm.patches import WORKAROUNDS, Workaround
from ckanext.hamm.patches.__main__ import main as install_check
from tests.support.portal import PLUGINS

REPO = Path(__file__).resolve().parents[2]
DOC = REPO / patches.DOC
BY_NAME = {w.name: w for w in WORKAROUNDS}


def _resolve(target: str) -> Any:
    module, _, qualname = target.partition(":")
    obj: Any = importlib.import_module(module)
    for part in qualname.split("."):
        obj = inspect.getattr_static(obj, part) if isinstance(obj, type) else getattr(obj, part)
    return obj


# -- declared once, documented -----------------------------------------------------------
def test_names_are_unique_and_every_patch_module_is_declared() -> None:
    assert len(BY_NAME) == len(WORKAROUNDS)
    declared = {w.module for w in WORKAROUNDS}
    for path in (REPO / "ckanext/hamm/patches").glob("*.py"):
        if path.stem not in ("__init__", "__main__"):
            assert f"ckanext.hamm.patches.{path.stem}" in declared, f"{path.name}: no entry in WORKAROUNDS"


@pytest.mark.parametrize("workaround", WORKAROUNDS, ids=lambda w: w.name)
def test_each_workaround_lives_where_declared_and_is_documented(workaround: Workaround) -> None:
    importlib.import_module(workaround.module)
    text = DOC.read_text(encoding="utf-8")
    assert f"`{workaround.name}`" in text, f"{workaround.name} missing from {patches.DOC}"
    assert workaround.module.replace(".", "/") in text
    assert workaround.version in text
    assert workaround.upstream.startswith(patches.NONE_FOUND) or re.match(r"[\w.-]+/[\w.-]+#\d+", workaround.upstream)
    for ref in re.findall(r"[\w.-]+/[\w.-]+#\d+", workaround.upstream):
        assert ref in text, f"{ref} ({workaround.name}) not in {patches.DOC}"


def test_every_file_docs_upstream_md_names_exists() -> None:
    text = DOC.read_text(encoding="utf-8")
    paths = set(re.findall(r"(?:ckanext/hamm|tests|bench)/[\w/]+\.py", text))
    assert len(paths) > 10
    for path in paths:
        assert (REPO / path).exists() or (REPO / path).with_suffix("").joinpath("__init__.py").exists(), path


# -- the upstream objects relied on ------------------------------------------------------------
TARGETS = [(w.name, target, params) for w in WORKAROUNDS for target, params in w.targets]


@pytest.mark.parametrize("name,target,params", TARGETS, ids=[f"{n}:{t}" for n, t, _ in TARGETS])
def test_the_upstream_object_still_exists_with_the_expected_signature(
        name: str, target: str, params: Optional[tuple[str, ...]]) -> None:
    obj = _resolve(target)
    if params is not None:
        function = obj.__func__ if isinstance(obj, (staticmethod, classmethod)) else obj
        assert tuple(inspect.signature(function).parameters) == params, f"{name}: {target} changed"


def test_every_workaround_names_what_it_relies_on() -> None:
    assert all(w.targets for w in WORKAROUNDS)


# -- still needed ------------------------------------------------------------------------------
STILL_NEEDED: dict[str, Callable[..., None]] = {}


def probe(name: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    def register(function: Callable[..., None]) -> Callable[..., None]:
        STILL_NEEDED[name] = function
        return function
    return register


@probe("forking")
def _forked_rebuild_keeps_the_parents_pool() -> None:
    from ckan.cli import search_index

    source = inspect.getsource(search_index)
    assert "multiprocessing" in source and "dispose" not in source and "register_at_fork" not in source


@probe("pager")
def _pager_arrows_are_icons_only() -> None:
    from ckan.lib.pagination import Page

    from ckanext.hamm.patches import pager

    html = str(pager._ORIGINAL(Page(collection=list(range(100)), page=3, items_per_page=20,
                                    url=lambda page: f"/dataset?page={page}")))
    assert "fa-chevron-left" in html and "visually-hidden" not in html and "aria-label" not in html


@probe("profile_lookup")
def _every_serializer_scans_the_entry_points(monkeypatch: pytest.MonkeyPatch) -> None:
    from ckanext.dcat import processors

    scans: list[Any] = []
    real = importlib.metadata.entry_points
    monkeypatch.setattr(processors, "entry_points", lambda **kw: scans.append(kw) or real(**kw))
    for _ in range(2):
        processors.RDFSerializer(profiles=["euro_dcat_ap_3"])
    assert len(scans) == 2


@probe("geometry_nodes")
def _a_geometry_node_stops_ckanext_dcats_parser() -> None:
    from rdflib import BNode, Graph, Namespace

    from ckanext.dcat.profiles.base import RDFProfile

    locn = Namespace("http://www.w3.org/ns/locn#")
    place, geometry = BNode(), BNode()
    graph = Graph()
    graph.add((place, locn.geometry, geometry))
    parse_geodata = getattr(RDFProfile._parse_geodata, "__wrapped__", RDFProfile._parse_geodata)
    profile = RDFProfile.__new__(RDFProfile)
    profile.g = graph
    with pytest.raises(AttributeError):
        parse_geodata(profile, place, locn.geometry, None)


@probe("queue_timeout")
def _redis_py_gives_the_harvest_connection_a_read_timeout() -> None:
    from ckanext.harvest import queue

    assert queue.get_connection_redis().connection_pool.make_connection().socket_timeout is not None


@probe("turtle")
def _rdflib_computes_a_qname_per_term(monkeypatch: pytest.MonkeyPatch) -> None:
    from rdflib import Graph, Literal, URIRef
    from rdflib import namespace as ns
    from rdflib.namespace import NamespaceManager
    from rdflib.plugins.serializers.turtle import TurtleSerializer

    calls: list[Any] = []
    real = NamespaceManager.compute_qname
    monkeypatch.setattr(NamespaceManager, "compute_qname",
                        lambda self, uri, generate=True: calls.append(uri) or real(self, uri, generate))
    g = Graph()
    for i in range(50):
        g.add((URIRef(f"https://opendata.hamm.de/dataset/d{i}"), ns.DCTERMS.title, Literal("x")))
    TurtleSerializer(g).serialize(io.BytesIO())
    assert len(calls) >= 100  # subjects and predicates, each time (ours: a table built once)


@probe("young_garbage")
def _a_graph_survives_its_last_reference() -> None:
    from rdflib import Graph

    was = gc.isenabled()
    gc.disable()
    try:
        g = Graph()
        g.namespace_manager  # noqa: B018  (the manager is made on first use and points back)
        ref = weakref.ref(g)
        del g
        assert ref() is not None  # only the cyclic collector frees it
        gc.collect()
        assert ref() is None
    finally:
        (gc.enable if was else gc.disable)()


@probe("csrf")
def _before_request_exempts_views_process_wide() -> None:
    from ckan.config.middleware import flask_app

    source = inspect.getsource(flask_app.ckan_before_request)
    assert "csrf.exempt(" in source and "login_via_auth_header" in source


@probe("guard")
def _user_edit_reads_fields_unchecked() -> None:
    from ckan.views.user import EditView

    source = inspect.getsource(EditView.post)
    assert re.search(r"data_dict\[u?['\"]email['\"]\]", source)
    assert re.search(r"data_dict\[u?['\"]old_password['\"]\]", source)


@probe("singleton")
def _a_plain_subclass_of_a_singleton_plugin_is_its_parent() -> None:
    from ckan.plugins import SingletonPlugin

    class Parent(SingletonPlugin):
        pass

    class Child(Parent):
        pass

    parent = Parent()
    assert Child() is parent


@probe("xloader_jobs_db")
def _xloader_keeps_its_jobs_in_tmp_by_default() -> None:
    import yaml

    from ckanext.hamm import previews

    declaration = yaml.safe_load(importlib.resources.files("ckanext.xloader")
                                 .joinpath("config_declaration.yaml").read_text())
    defaults = {o["key"]: o.get("default") for group in declaration["groups"] for o in group["options"]}
    assert defaults[previews.XLOADER_JOBS_DB] == previews.XLOADER_DEFAULT_JOBS_DB


@probe("datastore_row_count")
def _xloader_never_clears_the_cached_row_count() -> None:
    from ckanext.xloader import jobs, loader

    assert "clear_table_stats" not in inspect.getsource(loader) + inspect.getsource(jobs)


@probe("dcat_visibility_filters")
def _dcat_passes_the_requests_fq_on() -> None:
    from ckanext.dcat import logic

    assert re.search(r"\[['\"]fq['\"]\]\s*=\s*data_dict\.get\(['\"]fq['\"]\)", inspect.getsource(logic))


@probe("dcat_search_errors")
def _dcat_views_answer_only_validation_errors() -> None:
    from ckanext.dcat import utils

    source = inspect.getsource(utils)
    assert "ValidationError" in source and "SearchError" not in source


@probe("permission_labels")
def _ckan_asks_only_the_first_labels_plugin() -> None:
    from ckan.lib import plugins

    source = inspect.getsource(plugins.get_permission_labels)
    assert re.search(r"for plugin in .*IPermissionLabels.*:\s*\n\s*return plugin", source)


def test_every_workaround_has_a_still_needed_probe() -> None:
    assert set(STILL_NEEDED) == set(BY_NAME)


@pytest.mark.parametrize("name", sorted(STILL_NEEDED))
def test_still_needed(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    probe_function = STILL_NEEDED[name]
    if "monkeypatch" in inspect.signature(probe_function).parameters:
        probe_function(monkeypatch)
    else:
        probe_function()


# -- the version check -------------------------------------------------------------------------
def test_the_installed_upstream_is_the_one_each_workaround_was_written_for() -> None:
    """Fails on an upgrade on purpose: re-check the workaround, then update its entry and the doc."""
    assert [m.message() for m in patches.check()] == []


@pytest.fixture
def rdflib_upgraded(monkeypatch: pytest.MonkeyPatch) -> None:
    real = patches.installed_version
    monkeypatch.setattr(patches, "installed_version", lambda d: "99.0.1" if d == "rdflib" else real(d))
    monkeypatch.setattr(patches, "_warned", set())


@pytest.mark.usefixtures("rdflib_upgraded")
def test_a_different_upstream_version_is_a_loud_warning_once_per_process(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="ckanext.hamm.patches"):
        mismatches = patches.warn_about_upstream_changes()
        patches.warn_about_upstream_changes()
    assert sorted(m.workaround.name for m in mismatches) == ["turtle", "young_garbage"]
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 2
    turtle = next(r.getMessage() for r in warnings if "'turtle'" in r.getMessage())
    assert "rdflib 7.6.0" in turtle and "rdflib 99.0.1" in turtle and patches.DOC in turtle


@pytest.mark.ckan_config("ckan.plugins", PLUGINS)
@pytest.mark.usefixtures("with_plugins", "rdflib_upgraded")
def test_the_warning_is_still_logged_after_the_migrations_ran_in_this_process(
        reset_db: Any, migrate_db_for: Any, caplog: pytest.LogCaptureFixture) -> None:
    """A test's ``clean_db`` runs the hamm migrations in the test process; that silenced every logger."""
    reset_db()
    migrate_db_for("hamm")
    with caplog.at_level(logging.WARNING, logger="ckanext.hamm.patches"):
        patches.warn_about_upstream_changes()
    assert len([r for r in caplog.records if r.levelno == logging.WARNING]) == 2


def test_a_missing_upstream_is_reported_too(monkeypatch: pytest.MonkeyPatch) -> None:
    real = patches.installed_version
    monkeypatch.setattr(patches, "installed_version", lambda d: None if d == "ckanext-harvest" else real(d))
    (mismatch,) = patches.check()
    assert mismatch.workaround.name == "queue_timeout" and "no ckanext-harvest" in mismatch.message()


@pytest.mark.usefixtures("rdflib_upgraded")
def test_the_install_check_prints_every_workaround_and_warns(capsys: pytest.CaptureFixture[str]) -> None:
    assert install_check([]) == 0
    assert install_check(["--strict"]) == 1
    out, err = capsys.readouterr()
    assert all(w.name in out for w in WORKAROUNDS)
    assert "DIFFERS turtle" in out and "WARNING UPSTREAM CHANGED: workaround 'turtle'" in err


def test_the_install_check_is_quiet_and_succeeds_when_nothing_moved(capsys: pytest.CaptureFixture[str]) -> None:
    assert install_check(["--strict"]) == 0
    assert capsys.readouterr().err == ""


def test_plugin_load_runs_the_check(monkeypatch: pytest.MonkeyPatch) -> None:
    from ckan.common import CKANConfig, config

    from ckanext.hamm import plugin

    calls: list[int] = []
    monkeypatch.setattr(plugin, "warn_about_upstream_changes", lambda: calls.append(1) or [])
    plugin.HammPlugin().update_config(CKANConfig(dict(config)))
    assert calls == [1]


def test_make_install_runs_the_check() -> None:
    makefile = (REPO / "Makefile").read_text()
    for target in ("install:", "install-dev:"):
        recipe = makefile.split(f"\n{target}", 1)[1].split("\n\n", 1)[0]
        assert "-m ckanext.hamm.patches" in recipe.splitlines()[1], target
