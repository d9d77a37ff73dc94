"""A catalogue page's garbage is freed when the page is done, and the collector's state survives."""
from __future__ import annotations

import gc
import weakref

import pytest
from ckan.tests import factories, helpers

from ckanext.hamm.patches.young_garbage import collected_when_done
from tests.profiles.conftest import config_marks, full_dataset_dict


class _Node:
    """A cycle only the cyclic collector can free."""

    def __init__(self) -> None:
        self.me = self


@pytest.fixture
def collector_on():
    was = gc.isenabled()
    gc.enable()
    yield
    (gc.enable if was else gc.disable)()


@pytest.mark.usefixtures("collector_on")
def test_cycles_made_in_the_block_are_gone_when_it_ends() -> None:
    with collected_when_done():
        node = _Node()
        ref = weakref.ref(node)
        del node
        assert not gc.isenabled()
        assert ref() is not None  # nothing collects while the block runs
    assert ref() is None
    assert gc.isenabled()


@pytest.mark.usefixtures("collector_on")
def test_the_collector_comes_back_after_an_error_and_after_nesting() -> None:
    with pytest.raises(RuntimeError), collected_when_done():
        with collected_when_done():
            pass
        assert not gc.isenabled()  # the outer block still runs
        raise RuntimeError("boom")
    assert gc.isenabled()


def test_a_collector_switched_off_by_the_operator_stays_off() -> None:
    was = gc.isenabled()
    gc.disable()
    try:
        with collected_when_done():
            pass
        assert not gc.isenabled()
    finally:
        (gc.enable if was else gc.disable)()


def _rdflib_objects_in_garbage() -> int:
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        gc.collect()
        return sum(1 for o in gc.garbage if type(o).__module__.startswith("rdflib"))
    finally:
        gc.set_debug(0)
        gc.garbage.clear()


class TestCataloguePage:
    pytestmark = config_marks()

    @pytest.mark.usefixtures("collector_on")
    def test_a_catalogue_page_leaves_no_cyclic_garbage_behind(self, app) -> None:
        org = factories.Organization()
        for i in range(5):
            helpers.call_action("package_create", **full_dataset_dict(org["id"], name=f"garbage-{i}"))
        with app.flask_app.test_request_context("/catalog.ttl"):
            gc.collect()
            page = helpers.call_action("dcat_catalog_show", format="ttl")
            assert page.count("a dcat:Dataset") == 5
            # Without the pause the page's rdflib graph (thousands of objects) waits for a full collection.
            assert _rdflib_objects_in_garbage() == 0


class _PausesWhenFinalised:
    """A cycle whose finaliser uses a pause itself, as any code run by the collector may."""

    def __init__(self, seen: list) -> None:
        self.me, self.seen = self, seen

    def __del__(self) -> None:
        with collected_when_done():
            self.seen.append(gc.isenabled())


@pytest.mark.usefixtures("collector_on")
def test_a_pause_taken_while_collecting_neither_deadlocks_nor_leaves_the_collector_off() -> None:
    seen: list = []
    with collected_when_done():
        _PausesWhenFinalised(seen)
    assert seen == [False]  # it ran during the collection at the end of the block
    assert gc.isenabled()
