"""Test session set-up: embedded PostgreSQL and Redis, and the PostgreSQL search.

Runs before CKAN's pytest plugin loads ``test.ini``: it exports
``CKAN_SQLALCHEMY_URL``/``CKAN_REDIS_URL`` (unless already set, e.g. to test
against external services) and routes CKAN's search to PostgreSQL for the whole
session, so fixture order (``clean_index`` before ``with_plugins``) never matters.
``HAMM_TEST_DB`` and ``HAMM_TEST_REDIS_DB`` pick another test database and Redis
database, so two suites can run side by side.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    if not os.environ.get("CKAN_SQLALCHEMY_URL"):
        from ckanext.hamm import devstack

        state = devstack.default_state(REPO)
        env = devstack.services(state, os.environ.get("HAMM_TEST_DB", "ckan_test"))
        redis_db = os.environ.get("HAMM_TEST_REDIS_DB", "1")
        env["CKAN_REDIS_URL"] = env["CKAN_REDIS_URL"].rsplit("/", 1)[0] + f"/{redis_db}"
        os.environ.update(env)
    from ckanext.hamm.search import install

    install.install()
