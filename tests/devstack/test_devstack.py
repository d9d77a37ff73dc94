"""The embedded dev stack: start, reuse, stop, and the faults a developer meets."""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from ckanext.hamm import devstack
from ckanext.hamm.devstack import DevStackError, State


@pytest.fixture
def state(monkeypatch) -> State:
    # The test session itself runs on (possibly external) services named in the
    # environment; these tests manage their own, in a throw-away state folder.
    for name in ("CKAN_SQLALCHEMY_URL", "CKAN_REDIS_URL", "CKAN_SOLR_URL", "HAMM_REDIS_PORT", "HAMM_PLUGINS",
                 *devstack.DATASTORE_VARIABLES):
        monkeypatch.delenv(name, raising=False)
    # Not below pytest's tmp folder: it can be private to root (0700), and the embedded
    # PostgreSQL runs as its own user when the tests run as root (failed intermittently).
    root = Path(tempfile.mkdtemp(prefix="hamm-devstack-"))
    root.chmod(0o755)
    stack = State(root / "state")
    yield stack
    devstack.stop_redis(stack)
    devstack.stop_postgres(stack)
    shutil.rmtree(root, ignore_errors=True)


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_port_free_sees_a_listening_socket():
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        assert not devstack.port_free(port)
    assert devstack.port_free(port)


def test_stale_pid_file_is_removed(state):
    state.redis_dir.mkdir(parents=True)
    state.redis_pidfile.write_text(str(_dead_pid()))
    assert devstack.read_pid(state.redis_pidfile, "redis-server") is None
    assert not state.redis_pidfile.exists()


def test_pid_reused_by_another_program_is_not_ours(state):
    state.redis_dir.mkdir(parents=True)
    state.redis_pidfile.write_text(str(os.getpid()))  # alive, but pytest is no redis-server
    assert devstack.read_pid(state.redis_pidfile, "redis-server") is None


def test_config_is_written_and_secrets_survive_a_rewrite(state):
    first = devstack.write_config(state, "postgresql://db/ckan", "redis://127.0.0.1:1/0", "http://127.0.0.1:5000")
    text = first.read_text()
    assert "sqlalchemy.url = postgresql://db/ckan" in text
    assert "ckan.redis.url = redis://127.0.0.1:1/0" in text
    assert "ckan.site_url = http://127.0.0.1:5000" in text
    assert "hamm_search" in text and "$" not in text
    secret_line = next(line for line in text.splitlines() if line.startswith("SECRET_KEY"))
    devstack.write_config(state, "postgresql://db/other", "redis://127.0.0.1:1/0", "http://127.0.0.1:5001")
    assert secret_line in state.ini.read_text()
    assert oct(state.secrets_file.stat().st_mode & 0o777) == "0o600"


def test_external_services_from_environment_start_nothing(state, monkeypatch):
    monkeypatch.setenv("CKAN_SQLALCHEMY_URL", "postgresql://ext@db.example/ckan")
    monkeypatch.setenv("CKAN_REDIS_URL", "redis://redis.example:6379/0")
    env = devstack.services(state, "ckan")
    assert env == {"CKAN_SQLALCHEMY_URL": "postgresql://ext@db.example/ckan",
                   "CKAN_REDIS_URL": "redis://redis.example:6379/0"}
    assert not state.root.exists()
    # the DataStore of an external PostgreSQL is named by the environment as well
    monkeypatch.setenv("CKAN_DATASTORE_WRITE_URL", "postgresql://ext@db.example/ckan_datastore")
    monkeypatch.setenv("CKAN_DATASTORE_READ_URL", "postgresql://ro@db.example/ckan_datastore")
    assert devstack.services(state, "ckan")["CKAN_DATASTORE_READ_URL"] == "postgresql://ro@db.example/ckan_datastore"


def test_config_names_the_datastore_of_its_database(state):
    text = devstack.write_config(state, "postgresql://postgres:@/ckan?host=/run/pg", "redis://127.0.0.1:1/0",
                                 "http://127.0.0.1:5000").read_text()
    assert "ckan.datastore.write_url = postgresql://postgres:@/ckan_datastore?host=/run/pg" in text
    assert "ckan.datastore.read_url = postgresql://datastore_ro@/ckan_datastore?host=/run/pg" in text
    assert "ckanext.xloader.api_token = NOT_SET" in text  # until `ckan hamm loader-token` made one
    devstack.save_secret(state, "xloader_api_token", "abc.def.ghi")
    text = devstack.write_config(state, "postgresql://db/ckan", "redis://127.0.0.1:1/0", "http://x").read_text()
    assert "ckanext.xloader.api_token = abc.def.ghi" in text
    assert "SECRET_KEY = " in text and "$" not in text


def test_redis_starts_is_reused_and_stops(state):
    url = devstack.redis_url(state)
    port = int(url.rsplit(":", 1)[1].split("/")[0])
    assert devstack.redis_ping(port)
    pid = int(state.redis_pidfile.read_text())
    assert devstack.redis_url(state) == url  # reuse, no second server
    assert int(state.redis_pidfile.read_text()) == pid
    assert devstack.stop_redis(state)
    assert not devstack.redis_ping(port)
    assert not devstack.stop_redis(state)  # nothing left to stop


def test_redis_killed_hard_is_restarted(state):
    url = devstack.redis_url(state)
    os.kill(int(state.redis_pidfile.read_text()), signal.SIGKILL)
    time.sleep(0.2)
    assert devstack.redis_url(state) == url
    assert devstack.redis_ping(int(state.redis_portfile.read_text()))


def test_redis_moves_to_another_port_when_its_port_is_taken(state):
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        taken = squatter.getsockname()[1]
        state.redis_dir.mkdir(parents=True)
        state.redis_portfile.write_text(str(taken))
        url = devstack.redis_url(state)
    assert f":{taken}/" not in url


def test_serving_on_a_taken_port_says_what_to_do(state):
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        port = squatter.getsockname()[1]
        with pytest.raises(DevStackError, match=f"PORT={port + 1}"):
            devstack.check_port(state, "127.0.0.1", port)


def test_half_initialised_postgres_folder_is_refused_and_kept(state):
    state.pgdata.mkdir(parents=True)
    (state.pgdata / "base").mkdir()
    with pytest.raises(DevStackError, match="Nothing was deleted"):
        devstack.postgres_url(state)
    assert (state.pgdata / "base").exists()


def test_postgres_starts_creates_databases_survives_a_kill_and_stops(state):
    import psycopg2

    server = devstack.postgres_url(state)
    url = devstack.ensure_database(server, "ckan_demo")
    assert devstack.ensure_database(server, "ckan_demo") == url  # idempotent
    psycopg2.connect(url).close()

    # The DataStore: a database of its own, read through a role that may only read.
    write, read = devstack.ensure_datastore(server, "ckan_demo")
    assert devstack.ensure_datastore(server, "ckan_demo") == (write, read)  # idempotent
    with psycopg2.connect(write) as writer, writer.cursor() as cursor:
        cursor.execute('CREATE TABLE "res-1" (zaehlstelle text)')
        cursor.execute("""INSERT INTO "res-1" VALUES ('HAM-01')""")
    reader = psycopg2.connect(read)
    try:
        with reader.cursor() as cursor:
            cursor.execute('SELECT zaehlstelle FROM "res-1"')
            assert cursor.fetchall() == [("HAM-01",)]
        for statement in ("""INSERT INTO "res-1" VALUES ('x')""", "CREATE TABLE sneaky (x int)"):
            with pytest.raises(psycopg2.errors.InsufficientPrivilege), reader.cursor() as cursor:
                cursor.execute(statement)
            reader.rollback()
    finally:
        reader.close()

    postmaster = int((state.pgdata / "postmaster.pid").read_text().split()[0])
    os.kill(postmaster, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while devstack.pid_alive(postmaster) and time.monotonic() < deadline:
        time.sleep(0.1)
    # A killed server leaves its postmaster.pid behind; the next start recovers.
    devstack.postgres_url(state)
    psycopg2.connect(url).close()

    assert devstack.stop_postgres(state)
    with pytest.raises(psycopg2.OperationalError):
        psycopg2.connect(url, connect_timeout=2).close()


@pytest.mark.parametrize("argv, pytest_args", [
    (["test", "-k", "search"], ["-k", "search"]),  # docs/development.md: make test PYTEST_ARGS="-k search"
    (["test", "-x", "tests/search", "-k", "facet"], ["-x", "tests/search", "-k", "facet"]),
    (["--port", "5100", "test", "tests/devstack"], ["tests/devstack"]),
    (["test"], []),
])
def test_test_command_hands_every_argument_to_pytest(argv, pytest_args):
    from ckanext.hamm.devstack.__main__ import parse_args

    args = parse_args(argv)
    assert args.command == "test"
    assert args.pytest_args == pytest_args


def test_the_suite_runs_on_two_workers_and_prints_its_slowest_tests():
    """Issue 27: `make test` within 15 minutes on two cores, the 25 slowest tests named."""
    from ckanext.hamm.devstack.__main__ import pytest_command

    command = pytest_command(["-n", "0", "tests/devstack"])
    defaults = command[:command.index("tests/devstack") - 2]
    assert defaults[-5:] == ["-n", "2", "--dist", "loadgroup", "--durations=25"]
    assert command[-3:] == ["-n", "0", "tests/devstack"]  # given last: pytest lets it win


def test_each_file_and_each_shared_portal_folder_stays_on_one_worker():
    """Under xdist a file's module fixtures are built once, the browser portal once per run."""
    from tests.conftest import work_unit

    assert work_unit("tests/browser/test_reflow.py::test_steps_fit_a_phone[320]") == "tests/browser"
    assert work_unit("tests/server/test_worker.py::test_x") == work_unit("tests/server/test_wsgi.py::y")
    assert work_unit("tests/search/test_lucene.py::test_q[a::b]") == "tests/search/test_lucene.py"
    assert work_unit("tests/test_docs.py::test_readme") == "tests/test_docs.py"


def test_a_throwaway_ckan_never_sees_the_test_sessions_database(monkeypatch):
    """Its ini decides: the session's CKAN_* overrides would point it at the suite's own database."""
    from ckanext.hamm.devstack import throwaway

    monkeypatch.setenv("CKAN_SQLALCHEMY_URL", "postgresql://suite/ckan_test")
    monkeypatch.setenv("CKAN_INI", "/elsewhere/test.ini")
    monkeypatch.setenv("HAMM_SOMETHING", "kept")
    env = throwaway.clean_env(CKAN_INI="/tmp/throwaway.ini")
    assert "CKAN_SQLALCHEMY_URL" not in env and env["CKAN_INI"] == "/tmp/throwaway.ini"
    assert env["HAMM_SOMETHING"] == "kept"
    assert devstack.port_free(throwaway.free_port())


def test_other_commands_still_reject_unknown_arguments():
    from ckanext.hamm.devstack.__main__ import parse_args

    with pytest.raises(SystemExit):
        parse_args(["status", "-k", "x"])


def test_only_the_demo_ini_lets_the_harvest_fetch_the_local_fake_rvr(state):
    """Issue 26: "Neu ernten" of the demo source failed with "nur https" (the fake is http on
    127.0.0.1); the demo's ini allows that, any other ini (and production) keeps the defaults."""
    from ckanext.hamm import devstack as ds

    demo = ds.write_config(state, "postgresql://db/ckan", "redis://127.0.0.1:1/0", "http://127.0.0.1:5000",
                           demo=True).read_text()
    assert "ckanext.hamm.harvest.allow_http = true" in demo
    assert "ckanext.hamm.harvest.allow_loopback = true" in demo
    assert "ckanext.hamm.harvest.allowed_hosts = opendata.ruhr 127.0.0.1" in demo
    other = ds.write_config(state, "postgresql://db/ckan", "redis://127.0.0.1:1/0",
                            "http://127.0.0.1:5000").read_text()
    assert "allow_http" not in other and "allow_loopback" not in other and "$" not in other


def test_the_demo_keeps_its_fake_rvr_running_on_a_port_of_its_own():
    from ckanext.hamm.devstack.__main__ import parse_args
    from ckanext.hamm.devstack.processes import demo_processes
    from ckanext.hamm.server import procfile

    assert "rvr" not in procfile() and not any("fake_rvr" in c for c in procfile().values())
    first, second = parse_args(["--port", "5106", "demo"]), parse_args(["--port", "5107", "demo"])
    assert first.rvr_port != second.rvr_port != second.port
    assert parse_args(["--port", "5106", "--rvr-port", "7001", "demo"]).rvr_port == 7001
    assert demo_processes(first.rvr_port)["rvr"].endswith(f"-m ckanext.hamm.demo.fake_rvr --port {first.rvr_port}")


def test_the_fake_rvr_serves_on_the_port_it_is_given():
    import json
    import subprocess
    import sys
    import time
    import urllib.request

    port = _free_port_for_fake()
    process = subprocess.Popen([sys.executable, "-m", "ckanext.hamm.demo.fake_rvr", "--port", str(port),
                                "--count", "3"], stdout=subprocess.PIPE, text=True)
    try:
        assert f"127.0.0.1:{port}" in process.stdout.readline()
        url = f"http://127.0.0.1:{port}/api/3/action/package_search?rows=10"
        with urllib.request.urlopen(url, timeout=10) as response:
            assert json.loads(response.read())["result"]["count"] == 3
    finally:
        process.terminate()
        assert process.wait(10) == 0
        time.sleep(0)


def _free_port_for_fake() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
