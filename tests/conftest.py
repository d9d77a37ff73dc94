"""Test session set-up: embedded PostgreSQL and Redis, and the PostgreSQL search.

Runs before CKAN's pytest plugin loads ``test.ini``: it exports
``CKAN_SQLALCHEMY_URL``/``CKAN_REDIS_URL`` (unless already set, e.g. to test
against external services) and routes CKAN's search to PostgreSQL for the whole
session, so fixture order (``clean_index`` before ``with_plugins``) never matters.
``HAMM_TEST_DB`` and ``HAMM_TEST_REDIS_DB`` pick another test database and Redis
database, so two suites can run side by side; under pytest-xdist (``-n 2``) each
worker gets its own the same way.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
EMBEDDED = "HAMM_TEST_EMBEDDED"  # set when this session started the embedded services itself


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    worker = os.environ.get("PYTEST_XDIST_WORKER")  # "gw0", "gw1", … under pytest-xdist
    if worker and os.environ.get(EMBEDDED) == "1":
        # The controller started the embedded services; each worker gets databases of its own.
        number = int(worker.removeprefix("gw"))
        from ckanext.hamm.devstack import DATASTORE_VARIABLES

        for key in ("CKAN_SQLALCHEMY_URL", "CKAN_REDIS_URL", *DATASTORE_VARIABLES):
            os.environ.pop(key, None)
        os.environ.update({"HAMM_TEST_DB": f"{os.environ.get('HAMM_TEST_DB', 'ckan_test')}_{worker}",
                           "HAMM_TEST_REDIS_DB": str(1 + 4 * number),
                           "HAMM_TEST_REDIS_DB_RVR": str(3 + 4 * number)})
    if not os.environ.get("CKAN_SQLALCHEMY_URL"):
        from ckanext.hamm import devstack

        state = devstack.default_state(REPO)
        env = devstack.services(state, os.environ.get("HAMM_TEST_DB", "ckan_test"))
        redis_db = os.environ.get("HAMM_TEST_REDIS_DB", "1")
        env["CKAN_REDIS_URL"] = env["CKAN_REDIS_URL"].rsplit("/", 1)[0] + f"/{redis_db}"
        os.environ.update(env, **{EMBEDDED: "1"})
    from ckanext.hamm.search import install

    install.install()


@pytest.fixture
def clean_db(reset_db, migrate_db_for):
    """CKAN's reset, then the hamm tables back whenever the hamm plugin is loaded.

    The first reset in a process drops every table, plugin tables included: a page test
    that ran first on its worker met "relation hamm_usage does not exist".
    """
    from ckan import plugins

    from tests.support.portal import migrate_once  # imports CKAN: not before test.ini is read

    reset_db()
    if plugins.plugin_loaded("hamm"):
        migrate_once(migrate_db_for, "hamm")


@pytest.fixture(scope="session")
def playwright_driver():
    """One Playwright for the session: its sync API refuses a second one in the same process,
    and both the browser suite and the process-set tests drive Chromium."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        yield playwright


# Fixtures that start processes of their own (a portal, a process set, a stock CKAN): their
# tests are "live" and `make test-fast` leaves them out (`-m "not live"`).
LIVE_FIXTURES = frozenset({"portal", "stack", "standin_session", "pycsw_session"})
# Folders whose tests share one session-wide live portal: under pytest-xdist they stay on one
# worker (one portal, not one per worker); every other file is a unit of its own, so its
# module-scoped fixtures are built once.
SHARED_PORTAL_FOLDERS = ("browser", "server")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if LIVE_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.live)


def work_unit(nodeid: str) -> str:
    """The part of the suite one xdist worker runs whole: a shared-portal folder, else a file."""
    path = nodeid.split("::", 1)[0]
    parts = path.split("/")
    if len(parts) > 2 and parts[0] == "tests" and parts[1] in SHARED_PORTAL_FOLDERS:
        return "/".join(parts[:2])
    return path


@pytest.hookimpl(tryfirst=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """``--dist loadgroup`` with the units of :func:`work_unit`, whatever the markers say.

    xdist's own loadgroup renames ``item._nodeid``, which pytest 9 no longer reads: its groups
    silently fell apart (a file's tests on both workers, a browser portal per worker). A
    scheduler that groups by the node id needs no renaming. Larger units are handed out first.
    """
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class ByWorkUnit(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return work_unit(nodeid)

    return ByWorkUnit(config, log)
