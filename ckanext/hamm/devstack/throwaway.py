"""A throw-away CKAN: a fresh database, ``ckan`` commands against its ini, ``ckan run`` on a free port.

One harness for everything that needs a second CKAN for a while: the browser tests' portal
(``tests/browser/conftest.py``), the process-set stack (``tests/server/conftest.py``), the
stock CKAN standing in for RVR (``tests/publish/standin.py``) and the benchmarks (``bench/``).
Each brings its own ini; this module only makes the database, runs the commands with an
environment that the calling test session cannot leak into, and starts and stops the server.
"""
from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.request
from pathlib import Path
from typing import IO, Any, Optional

from .postgres import ensure_database, ensure_datastore, with_database
from .processes import ckan_command
from .state import DATASTORE_VARIABLES

# What a test session exports for its own database; a second CKAN must read its ini instead.
SESSION_VARIABLES = ("CKAN_SQLALCHEMY_URL", "CKAN_REDIS_URL", "CKAN_SOLR_URL", "CKAN_INI", "CKAN_SITE_URL",
                     *DATASTORE_VARIABLES)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def clean_env(**extra: str) -> dict[str, str]:
    """This process's environment without the session's CKAN settings, plus ``extra``."""
    env = {key: value for key, value in os.environ.items() if key not in SESSION_VARIABLES}
    env.update(extra)
    return env


def fresh_database(server_url: str, name: str, datastore: bool = False) -> str:
    """Drop and create ``name`` (and its DataStore database, as the dev stack makes it); its URL."""
    import psycopg2

    connection = psycopg2.connect(with_database(server_url, "postgres"))
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            for database in (f"{name}_datastore", name):
                cursor.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    finally:
        connection.close()
    url = ensure_database(server_url, name)
    if datastore:
        ensure_datastore(server_url, name)
    return url


def run(command: list[str], env: Optional[dict[str, str]] = None, timeout: float = 600,
        **kwargs: Any) -> subprocess.CompletedProcess:
    """Run a command to its end; a failure raises with the end of its output."""
    done = subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                          env=clean_env() if env is None else env, check=False, **kwargs)
    if done.returncode:
        raise RuntimeError(f"{' '.join(map(str, command[-4:]))} failed ({done.returncode}):\n"
                           f"{done.stdout[-1500:]}\n{done.stderr[-3000:]}")
    return done


def ckan(ini: Path, *args: str, env: Optional[dict[str, str]] = None, **kwargs: Any) -> subprocess.CompletedProcess:
    """``ckan -c INI ARGS…`` as its own process."""
    return run(ckan_command() + ["-c", str(ini), *args], env=env, **kwargs)


class Server:
    """``ckan run`` of an ini on 127.0.0.1: ``start()``, ``wait_until_up()``, ``stop()`` (or ``with``).

    No reloader (other files change while tests run); threaded for parallel asset requests.
    """

    def __init__(self, ini: Path, port: Optional[int] = None, env: Optional[dict[str, str]] = None,
                 log: Optional[Path] = None) -> None:
        self.ini = ini
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = clean_env() if env is None else env
        self.log_path = log or ini.with_suffix(".log")
        self.process: Optional[subprocess.Popen] = None
        self._log: Optional[IO[str]] = None

    def start(self) -> "Server":
        self._log = self.log_path.open("a")
        self.process = subprocess.Popen(
            ckan_command() + ["-c", str(self.ini), "run", "-H", "127.0.0.1", "-p", str(self.port), "-r", "-t"],
            stdout=self._log, stderr=subprocess.STDOUT, env=self.env)
        return self

    def wait_until_up(self, seconds: float = 120) -> None:
        """Poll ``status_show`` until it answers; fail at once when the server ended."""
        assert self.process is not None, "start() first"
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"ckan run ended with {self.process.returncode}; see {self.log_path}")
            try:
                with urllib.request.urlopen(f"{self.url}/api/3/action/status_show", timeout=5) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"ckan run at {self.url} did not answer within {seconds:.0f} s; see {self.log_path}")

    def stop(self) -> None:
        if self.process is not None:
            stop_process(self.process)
            self.process = None
        if self._log is not None:
            self._log.close()
            self._log = None

    def __enter__(self) -> "Server":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()


def stop_process(process: subprocess.Popen, seconds: float = 10) -> None:
    """SIGTERM, then SIGKILL if it is still there after ``seconds``."""
    process.terminate()
    try:
        process.wait(seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
