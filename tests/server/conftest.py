"""A second, real portal for the process-set tests: its own PostgreSQL, Redis and ckan.ini.

Built once per test session (about half a minute) in a temporary state folder, so
these tests can stop and kill its database without touching the suite's own.
Commands run as separate processes with the environment a deployment has: only
``CKAN_INI`` (no ``CKAN_SQLALCHEMY_URL`` override from the test session).
"""
from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ckanext.hamm import devstack
from ckanext.hamm.devstack import throwaway

# Fast clocks for the tests; the fake RVR is plain http on 127.0.0.1.
EXTRA_SETTINGS = """
ckanext.hamm.schedule.harvester_run_seconds = 5
ckanext.hamm.schedule.rvr_sync_seconds = 0
ckanext.hamm.harvest.allowed_hosts = 127.0.0.1
ckanext.hamm.harvest.allow_http = true
ckanext.hamm.harvest.allow_loopback = true
ckanext.hamm.harvest.import_workers = 1
# The loader takes the uploads only: harvested copies link opendata.ruhr, and tests have no internet.
ckanext.hamm.previews.linked_hosts =
"""
_OVERRIDES = throwaway.SESSION_VARIABLES


class Stack:
    """The state folder of the second portal and how to run commands against it."""

    def __init__(self, root: Path) -> None:
        self.state = devstack.State(root)
        self.port = throwaway.free_port()
        self.url = f"http://127.0.0.1:{self.port}"

    def env(self, **extra: str) -> dict[str, str]:
        return throwaway.clean_env(**{"CKAN_INI": str(self.state.ini), "HAMM_STATE_DIR": str(self.state.root),
                                      **extra})  # extra may name another CKAN_INI

    def ckan(self, *args: str, timeout: float = 300, check: bool = True) -> subprocess.CompletedProcess:
        result = subprocess.run(devstack.ckan_command() + list(args), env=self.env(), text=True,
                                capture_output=True, timeout=timeout, check=False)
        if check and result.returncode:
            raise AssertionError(f"ckan {' '.join(args)} failed:\n{result.stdout[-2000:]}\n{result.stderr[-3000:]}")
        return result

    def popen(self, *args: str) -> subprocess.Popen:
        return subprocess.Popen(devstack.ckan_command() + list(args), env=self.env(), text=True,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT)

    def database_url(self) -> str:
        return devstack.with_database(self._server_url(), "ckan")

    def _server_url(self) -> str:
        saved = {k: os.environ.pop(k) for k in _OVERRIDES if k in os.environ}
        try:
            return devstack.postgres_url(self.state)
        finally:
            os.environ.update(saved)

    def start_services(self) -> dict[str, str]:
        saved = {k: os.environ.pop(k) for k in _OVERRIDES if k in os.environ}
        try:
            return devstack.services(self.state, "ckan")
        finally:
            os.environ.update(saved)

    def sql(self, query: str, *params: Any) -> list[tuple]:
        import psycopg2

        connection = psycopg2.connect(self.database_url())
        try:
            with connection, connection.cursor() as cursor:
                cursor.execute(query, params)
                return cursor.fetchall() if cursor.description else []
        finally:
            connection.close()


@pytest.fixture(scope="session")
def stack() -> Iterator[Stack]:
    # Not below pytest's tmp folder: that is private to root (0700), and the embedded
    # PostgreSQL runs as its own user when the tests run as root.
    root = Path(tempfile.mkdtemp(prefix="hamm-stack-"))
    root.chmod(0o755)
    stack = Stack(root)
    env = stack.start_services()
    devstack.write_config(stack.state, env["CKAN_SQLALCHEMY_URL"], env["CKAN_REDIS_URL"], stack.url)
    text = stack.state.ini.read_text()
    stack.state.ini.write_text(text.replace("\n[loggers]", EXTRA_SETTINGS + "\n[loggers]", 1))
    stack.ckan("db", "init")
    # As `make demo`: the DataStore loader's token, so the jobs worker loads the seeded uploads;
    # 20 datasets a catalogue page, so the conformance test follows the paging.
    loader = stack.ckan("hamm", "loader-token").stdout.strip().splitlines()[-1]
    text = stack.state.ini.read_text()
    for option, value in (("ckanext.xloader.api_token", loader), ("ckanext.dcat.datasets_per_page", "20")):
        text = re.sub(rf"(?m)^{re.escape(option)} = .*$", f"{option} = {value}", text, count=1)
    stack.state.ini.write_text(text)
    stack.ckan("hamm", "demo", "seed")
    try:
        yield stack
    finally:
        saved = {k: os.environ.pop(k) for k in _OVERRIDES if k in os.environ}
        try:
            devstack.stop_all(stack.state)
        finally:
            os.environ.update(saved)
        shutil.rmtree(root, ignore_errors=True)


def get(url: str, headers: dict[str, str] | None = None, timeout: float = 30) -> tuple[int, str]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


def wait_until(check, seconds: float, what: str, every: float = 0.5) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"{what} not within {seconds:.0f} s")


@pytest.fixture(scope="module")
def process_set(stack) -> Iterator[Stack]:
    """``python -m ckanext.hamm.devstack serve``: the Procfile's processes, as ``make demo`` runs them."""
    log = (stack.state.root / "process-set.log").open("w")
    manager = subprocess.Popen(
        [sys.executable, "-m", "ckanext.hamm.devstack", "--port", str(stack.port), "serve"],
        env=stack.env(WEB_CONCURRENCY="2"), stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_until(lambda: manager.poll() is None and get(stack.url + "/healthz")[0] == 200
                   if _port_open(stack.port) else False, 90, "the process set answering /healthz")
        yield stack
    finally:
        manager.terminate()
        try:
            manager.wait(40)
        except subprocess.TimeoutExpired:
            manager.kill()
        log.close()


def _port_open(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("127.0.0.1", port)) == 0
