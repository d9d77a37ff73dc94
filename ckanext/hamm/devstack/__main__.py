"""Command line of the embedded stack: ``python -m ckanext.hamm.devstack COMMAND``.

Commands: ``demo`` (everything, then the production process set of
``ckanext/hamm/server/Procfile``), ``dev`` (the same with CKAN's development
server and the Werkzeug debugger instead, for developers only), ``up``
(services, config, database), ``serve`` (the process set), ``stop``, ``status``,
``env`` (export lines for a shell), ``backup`` and ``restore ARCHIVE``
(``ckan hamm backup|restore`` for the embedded services) and ``test`` (run pytest against the
embedded services, then stop what it started).
"""
from __future__ import annotations

import argparse
import os
import shlex
import subprocess
import sys
import time

from . import (
    DevStackError,
    State,
    ckan,
    default_state,
    init_database,
    load_secrets,
    log,
    pycsw,
    read_pid,
    redis_ping,
    save_secret,
    serve,
    services,
    stop_all,
    write_config,
)
from .processes import demo_processes, process_set_status, run_process_set


def up(state: State, host: str, port: int) -> None:
    env = services(state, "ckan")
    datastore = (env["CKAN_DATASTORE_WRITE_URL"], env["CKAN_DATASTORE_READ_URL"]) \
        if "CKAN_DATASTORE_WRITE_URL" in env else None

    def configure() -> None:
        write_config(state, env["CKAN_SQLALCHEMY_URL"], env["CKAN_REDIS_URL"], f"http://{host}:{port}",
                     datastore=datastore, demo=True)

    configure()
    init_database(state)
    if ensure_loader_token(state, env["CKAN_SQLALCHEMY_URL"]):
        configure()


def ensure_loader_token(state: State, database_url: str) -> bool:
    """The site user's API token for the DataStore loader, kept in the state folder.

    Checked against the database first (no CKAN start); a missing or stale token (a new
    database) is replaced through ``ckan hamm loader-token``. True when it changed.
    """
    kept = load_secrets(state).get("xloader_api_token", "")
    if kept and api_token_exists(database_url, kept):
        return False
    result = ckan(state, "hamm", "loader-token", "--keep", kept, capture=True)
    token = result.stdout.strip().splitlines()[-1]
    save_secret(state, "xloader_api_token", token)
    return token != kept


def api_token_exists(database_url: str, token: str) -> bool:
    """Whether CKAN's ``api_token`` table still holds the token's id (its JWT ``jti``)."""
    import base64
    import json

    import psycopg2

    try:
        payload = token.split(".")[1]
        token_id = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))["jti"]
        connection = psycopg2.connect(database_url)
    except (IndexError, ValueError, KeyError, psycopg2.Error):
        return False
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM api_token WHERE id = %s", (token_id,))
            return cursor.fetchone() is not None
    except psycopg2.Error:
        return False
    finally:
        connection.close()


def debug_wanted(args: argparse.Namespace) -> bool:
    """The debugger shows tracebacks and a console to anyone: only on explicit request."""
    return args.command == "dev" or os.environ.get("HAMM_DEBUG") == "1"


def cmd_demo(args: argparse.Namespace, state: State) -> int:
    started = time.monotonic()
    up(state, args.host, args.port)
    # Seed, then harvest the local fake RVR once, so the demo shows harvested datasets
    # with provenance; a failed harvest is reported but never stops the demo.
    # The fake RVR then keeps running on its port in the demo's process set ("Neu ernten").
    ckan(state, "hamm", "demo", "seed", "--with-rvr", "--rvr-port", str(args.rvr_port))
    # The demo geoportal (pycsw, if installed) is harvested once and keeps running beside it.
    geoportal = pycsw.demo_geoportal(state, args.rvr_port + 2)
    log(f"ready to serve after {time.monotonic() - started:.1f} s: http://{args.host}:{args.port}/ "
        f"(Ctrl-C or `make stop` ends it; `make token` prints an API token)")
    try:
        if debug_wanted(args):
            log("development server with the Werkzeug debugger (never expose it)")
            return serve(state, args.host, args.port)
        return run_process_set(state, args.host, args.port, extra={**demo_processes(args.rvr_port), **geoportal})
    finally:
        if not args.keep_services:
            stopped = stop_all(state)
            if stopped:
                log("stopped " + ", ".join(stopped))


def cmd_up(args: argparse.Namespace, state: State) -> int:
    up(state, args.host, args.port)
    log(f"services up; config in {state.ini}")
    return 0


cmd_dev = cmd_demo


def cmd_serve(args: argparse.Namespace, state: State) -> int:
    if not state.ini.exists():
        raise DevStackError(f"{state.ini} is missing: run `make demo` (or `... devstack up`) first")
    services(state, "ckan")  # PostgreSQL and Redis run (again) before the portal starts
    if debug_wanted(args):
        return serve(state, args.host, args.port)
    return run_process_set(state, args.host, args.port)


def cmd_stop(args: argparse.Namespace, state: State) -> int:
    stopped = stop_all(state)
    log("stopped " + ", ".join(stopped) if stopped else "nothing of ours was running")
    return 0


def cmd_status(args: argparse.Namespace, state: State) -> int:
    postgres = (state.pgdata / "postmaster.pid").exists()
    redis_pid = read_pid(state.redis_pidfile, "redis-server")
    ckan_pid = read_pid(state.ckan_pidfile, "ckan")
    print(f"state folder: {state.root}")
    print(f"PostgreSQL:   {'running' if postgres else 'stopped'}")
    redis_port = state.redis_portfile.read_text() if state.redis_portfile.exists() else "-"
    redis_up = redis_pid is not None and redis_ping(int(redis_port))
    print(f"Redis:        {'running on port ' + redis_port if redis_up else 'stopped'}")
    print(f"portal:       {'running (pid %s)' % ckan_pid if ckan_pid else 'stopped'}")
    for name, pid, children in process_set_status(state):
        extra = f", {children} workers" if name == "web" and children else ""
        print(f"  {name + ':':<11} {f'running (pid {pid}{extra})' if pid else 'stopped'}")
    return 0


def cmd_token(args: argparse.Namespace, state: State) -> int:
    """A fresh API token of the demo sysadmin, from this state folder's portal."""
    if not state.ini.exists():
        up(state, args.host, args.port)
    else:
        services(state, "ckan")  # make sure PostgreSQL and Redis run
    result = ckan(state, "hamm", "demo", "token", capture=True)
    print(result.stdout.strip().splitlines()[-1])
    return 0


def cmd_backup(args: argparse.Namespace, state: State) -> int:
    """``ckan hamm backup`` of this state folder's portal into ``BACKUP_DIR`` (default: its ``backups``)."""
    if not state.ini.exists():
        raise DevStackError(f"{state.ini} is missing: nothing to back up in {state.root}")
    services(state, "ckan")
    ckan(state, "hamm", "backup", "--dir", os.environ.get("BACKUP_DIR") or str(state.root / "backups"))
    return 0


def cmd_restore(args: argparse.Namespace, state: State) -> int:
    """An archive into this state folder: empty databases and config first (no ``db init``),
    then ``ckan hamm restore``, which refuses a portal that holds data unless ``--force``."""
    archive = os.path.abspath(args.archive)
    env = services(state, "ckan")
    datastore = (env["CKAN_DATASTORE_WRITE_URL"], env["CKAN_DATASTORE_READ_URL"]) \
        if "CKAN_DATASTORE_WRITE_URL" in env else None

    def configure() -> None:
        write_config(state, env["CKAN_SQLALCHEMY_URL"], env["CKAN_REDIS_URL"], f"http://{args.host}:{args.port}",
                     datastore=datastore, demo=True)

    configure()
    ckan(state, "hamm", "restore", archive, *(["--force"] if args.force else []))
    if ensure_loader_token(state, env["CKAN_SQLALCHEMY_URL"]):
        configure()
    log(f"restored into {state.root}; start it with "
        f"`{sys.executable} -m ckanext.hamm.devstack --port {args.port} serve`")
    return 0


def cmd_env(args: argparse.Namespace, state: State) -> int:
    for key, value in services(state, args.database).items():
        print(f"export {key}={shlex.quote(value)}")
    return 0


# Two pytest-xdist workers (the machine's two cores); tests sharing a session portal stay on one
# worker (tests/conftest.py groups them); the 25 slowest are printed so a slow newcomer shows.
SUITE_DEFAULTS = ("-n", "2", "--dist", "loadgroup", "--durations=25")


def pytest_command(pytest_args: list[str]) -> list[str]:
    """pytest with the suite's defaults first, so an argument given (``-n 0``) wins over them."""
    return [sys.executable, "-m", "pytest", *SUITE_DEFAULTS, *pytest_args]


def cmd_test(args: argparse.Namespace, state: State) -> int:
    was_running = (state.pgdata / "postmaster.pid").exists() or read_pid(state.redis_pidfile, "redis-server")
    # HAMM_TEST_EMBEDDED: the suite's workers (pytest-xdist) may make databases of their own here.
    env = dict(os.environ, **services(state, "ckan_test"), HAMM_TEST_EMBEDDED="1")
    try:
        return subprocess.call(pytest_command(args.pytest_args), env=env)
    finally:
        if not was_running and not args.keep_services:
            stop_all(state)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Read the command line; everything after ``test`` goes to pytest unchanged.

    argparse (REMAINDER included) rejects pytest options such as ``-k search`` after
    the command, so the pytest part is cut off before argparse sees the line.
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    pytest_args: list[str] = []
    if "test" in argv:
        cut = argv.index("test") + 1
        argv, pytest_args = argv[:cut], argv[cut:]
    parser = argparse.ArgumentParser(prog="python -m ckanext.hamm.devstack", description=__doc__)
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "5000")))
    parser.add_argument("--rvr-port", type=int, default=int(os.environ.get("RVR_PORT", "0")),
                        help="port of the demo's fake RVR (default: the portal's port + 1000)")
    parser.add_argument("--keep-services", action="store_true",
                        help="leave PostgreSQL and Redis running afterwards")
    commands = parser.add_subparsers(dest="command", required=True)
    for name in ("demo", "dev", "up", "serve", "stop", "status", "token"):
        commands.add_parser(name)
    commands.add_parser("backup")
    restore_parser = commands.add_parser("restore")
    restore_parser.add_argument("archive")
    restore_parser.add_argument("--force", action="store_true", help="restore over a portal that holds data")
    env_parser = commands.add_parser("env")
    env_parser.add_argument("--database", default="ckan_test")
    commands.add_parser("test")
    args = parser.parse_args(argv)
    args.pytest_args = pytest_args
    args.rvr_port = args.rvr_port or args.port + 1000  # two demos on two ports never share it
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    handler = globals()[f"cmd_{args.command}"]
    try:
        return handler(args, default_state())
    except DevStackError as error:
        log(f"error: {error}")
        return 2
    except subprocess.CalledProcessError as error:
        log(f"error: {' '.join(map(str, error.cmd[:6]))} … failed with exit code {error.returncode}")
        return error.returncode or 1


if __name__ == "__main__":
    sys.exit(main())
