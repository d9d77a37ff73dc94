"""Fixtures for tests that need the ``hamm`` plugin's own tables, rate limits and a mail sink.

Import the ones you need into the test module (``from tests.support.portal
import clean_db, smtp_sink``): a module-level ``clean_db`` replaces CKAN's, so
the hamm migrations run after every reset (the first reset drops all tables).
"""
from __future__ import annotations

import email
import email.policy
import logging
import re
import socket
from typing import Any

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller
from ckan import model
from ckan.lib.redis import connect_to_redis

# plugin -> the version rows its migrations left in this process (xdist: per worker)
_MIGRATED: dict[str, list[str]] = {}


def _versions(plugin: str) -> list[str] | None:
    """The plugin's alembic version rows, or None when its version table is gone."""
    with model.meta.engine.connect() as connection:
        if not sa.inspect(connection).has_table(f"{plugin}_alembic_version"):
            return None
        return sorted(connection.execute(sa.text(f'SELECT version_num FROM "{plugin}_alembic_version"')).scalars())


def migrate_once(migrate_db_for, plugin: str) -> None:
    """Run a plugin's migrations unless its tables are still where they were left.

    The first reset in a process drops every table; later resets only delete rows. Running
    alembic after each of them cost a quarter second a test for nothing.
    """
    if plugin in _MIGRATED and _versions(plugin) == _MIGRATED[plugin]:
        return
    migrate_db_for(plugin)
    _MIGRATED[plugin] = _versions(plugin) or []
    _loggers_back_on()


def _loggers_back_on() -> None:
    """ckanext-harvest's alembic env.py calls ``fileConfig``, which disables every logger that
    exists at that moment, in this process: later tests that read the log saw nothing."""
    for logger in logging.Logger.manager.loggerDict.values():
        if isinstance(logger, logging.Logger):
            logger.disabled = False


def _fresh_tables(reset_db, migrate_db_for, *plugins: str) -> None:
    """CKAN's reset drops plugin tables: bring back the named plugins' and forget rate limits."""
    reset_db()
    for plugin in plugins:
        migrate_once(migrate_db_for, plugin)
    redis = connect_to_redis()
    for key in redis.scan_iter("hamm:rate:*"):
        redis.delete(key)


@pytest.fixture
def clean_db(reset_db, migrate_db_for):
    _fresh_tables(reset_db, migrate_db_for, "hamm")


@pytest.fixture
def clean_db_with_harvest(reset_db, migrate_db_for):
    """For tests with harvest sources or RVR publish links: hamm's and harvest's tables."""
    _fresh_tables(reset_db, migrate_db_for, "hamm", "harvest")


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[dict[str, Any]] = []

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd handler hook
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append({"from": envelope.mail_from, "to": list(envelope.rcpt_tos),
                              "subject": str(message["Subject"]), "data": message.get_content()})
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_sink(ckan_config, monkeypatch):
    """A real SMTP server on 127.0.0.1 that keeps what it receives; turns notifications on."""
    inbox = _Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setitem(ckan_config, "smtp.server", f"127.0.0.1:{port}")
    monkeypatch.setitem(ckan_config, "smtp.mail_from", "portal@hamm.example")
    monkeypatch.setitem(ckan_config, "ckanext.hamm.datarequest.notify", True)
    try:
        yield inbox.messages
    finally:
        controller.stop()

# ckanext-hamm chains ckanext-dcat's catalogue actions, so dcat must be loaded with hamm.
PLUGINS = "hamm_search hamm scheming_datasets dcat"


def hamm_dataset(**fields: Any) -> dict[str, Any]:
    """A dataset that passes the Hamm schema's rules for public datasets."""
    from ckan.tests import factories

    fields.setdefault("handlungsfeld", ["mobilitaet"])
    fields.setdefault("zielgruppe", ["buergerinnen"])
    fields.setdefault("license_id", "dl-by-de/2.0")
    return factories.Dataset(**fields)


def csrf_token(response: Any) -> str:
    """The CSRF token of a page's form (what a browser would send back)."""
    match = re.search(r'name="_csrf_token"\s+value="([^"]+)"', response.body)
    assert match, "form without CSRF token"
    return match.group(1)


def log_in(app: Any, name: str, password: str) -> None:
    """Log the test client in through the login form; its cookie then rides every request."""
    from ckan.lib.helpers import url_for

    page = app.get(url_for("user.login"))
    app.post(url_for("user.login"), data={"login": name, "password": password, "_csrf_token": csrf_token(page)})
