"""Processes and ports: PID files, waiting, stopping, and the CKAN processes."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from .state import DevStackError, State, log


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


def read_pid(pidfile: Path, expect: str) -> int | None:
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
    if pid is not None:
        stop_pid(pid, seconds=30)
        state.ckan_pidfile.unlink(missing_ok=True)
    return stop_process_set(state) or pid is not None


# -- the production process set (ckanext/hamm/server/Procfile) ----------------------------
def process_set_env(state: State, host: str, port: int) -> dict[str, str]:
    """What every process of the set reads: the ini, the address, the venv's commands first."""
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    return dict(os.environ, CKAN_INI=str(state.ini), HOST=host, PORT=str(port), PATH=path,
                PYTHONUNBUFFERED="1")


def demo_processes(rvr_port: int) -> dict[str, str]:
    """What the demo runs beside the Procfile: the fake RVR its harvest source points to."""
    return {"rvr": f"{sys.executable} -m ckanext.hamm.demo.fake_rvr --port {rvr_port}"}


def run_process_set(state: State, host: str, port: int, extra: dict[str, str] | None = None) -> int:
    """Run every process of the Procfile (honcho), plus ``extra``, until Ctrl-C, SIGTERM or one ends."""
    from honcho.manager import Manager

    from ckanext.hamm.server import procfile

    check_port(state, host, port)
    env = process_set_env(state, host, port)
    manager = Manager()
    for name, command in {**procfile(), **(extra or {})}.items():
        manager.add_process(name, command, env=env)
    # a closed terminal (SIGHUP) ends the set like Ctrl-C, never leaving it running unseen
    signal.signal(signal.SIGHUP, lambda signum, frame: manager.terminate())
    state.ckan_pidfile.write_text(str(os.getpid()))
    try:
        manager.loop()
    finally:
        state.ckan_pidfile.unlink(missing_ok=True)
    return 0 if manager.returncode in (None, 0, 130, 143) else manager.returncode


def _processes_of(state: State) -> list[tuple[int, int, str]]:
    """(pid, parent pid, command line) of every process started with this state's ``CKAN_INI``.

    Found through /proc rather than through the manager, so processes that outlived
    a killed ``make demo`` are still listed and stopped.
    """
    marker = f"CKAN_INI={state.ini}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if marker not in (entry / "environ").read_bytes().split(b"\0"):
                continue
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        found.append((int(entry.name), parent, process_name(int(entry.name))))
    return found


def process_set_status(state: State) -> list[tuple[str, int | None, int]]:
    """(name, pid or None, child processes) for every process of the Procfile."""
    from ckanext.hamm.server import procfile

    running = [p for p in _processes_of(state) if not p[2].startswith("/bin/sh")]
    result = []
    for name, command in procfile().items():
        matches = {pid: parent for pid, parent, cmdline in running if command in cmdline}
        main = next((pid for pid, parent in matches.items() if parent not in matches), None)
        children = sum(1 for _, parent, _ in running if parent == main) if main else 0
        result.append((name, main, children))
    return result


def process_tree(state: State, name: str) -> list[int]:
    """PIDs of one process of the set and its children (gunicorn's workers), for measuring."""
    main = {n: pid for n, pid, _ in process_set_status(state)}.get(name)
    return [main] + [pid for pid, parent, _ in _processes_of(state) if parent == main] if main else []


def stop_process_set(state: State) -> bool:
    """Stop what runs of the set (each process group, as honcho would); True if anything ran."""
    pids = [pid for _, pid, _ in process_set_status(state) if pid]
    pids += [pid for pid, _, cmdline in _processes_of(state) if "ckanext.hamm.demo.fake_rvr" in cmdline]
    for pid in pids:
        try:
            os.killpg(os.getpgid(pid), signal.SIGTERM)
        except (ProcessLookupError, PermissionError):
            continue
    for pid in pids:
        stop_pid(pid, seconds=25)
    return bool(pids)
