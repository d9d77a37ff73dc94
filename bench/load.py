"""Load test of a running portal: concurrent clients over the pages citizens use.

    make demo                                   # in one terminal (the production process set)
    .venv/bin/python bench/load.py              # 20 clients, 60 s against http://127.0.0.1:5000
    .venv/bin/python bench/load.py --server ckan-run   # the same against `ckan run` (the old way)
    .venv/bin/python bench/load.py --huge-description  # first try to store a 6 MB description

Every client requests the URL kinds in turn (home page, search, facets, the
package_search API, a dataset page, the DCAT catalogue, a Handlungsfeld page)
and records the time of each answer. ``--server ckan-run`` starts CKAN's
development server on the same state folder (``HAMM_STATE_DIR``) and port+1.
CPU is the server's processes' CPU time over the run (``/proc``), as cores busy,
and the machine's in total. Not a timed test: the figures depend on the machine.
"""
from __future__ import annotations

import argparse
import collections
import itertools
import json
import os
import statistics
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

import requests

from ckanext.hamm import devstack
from ckanext.hamm.devstack import processes

REPO = Path(__file__).resolve().parent.parent

WORDS = ["Baum", "Verkehr", "Schule", "Luft", "Parken", "Radweg", "Wahlen", "Kita"]
TICKS = os.sysconf("SC_CLK_TCK")


def url_kinds(base: str, dataset_names: list[str]) -> dict[str, itertools.cycle]:
    """URL kind → endless supply of URLs of that kind."""
    api = base + "/api/3/action/package_search?rows=20&facet.field=" + json.dumps(
        ["vocab_handlungsfeld", "vocab_zielgruppe", "res_format", "organization"]) + "&q="
    return {
        "home": itertools.cycle([base + "/"]),
        "search": itertools.cycle([f"{base}/dataset?q={w}" for w in WORDS]),
        "facets": itertools.cycle([f"{base}/dataset?vocab_handlungsfeld=umwelt",
                                   f"{base}/dataset?vocab_zielgruppe=buergerinnen&res_format=CSV"]),
        "package_search": itertools.cycle([api + w for w in WORDS]),
        "dataset": itertools.cycle([f"{base}/dataset/{n}" for n in dataset_names] or [base + "/dataset"]),
        "catalog.ttl": itertools.cycle([base + "/catalog.ttl"]),
        "handlungsfeld": itertools.cycle([base + "/handlungsfeld/umwelt"]),
    }


def cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12]) + int(fields[13]) + int(fields[14])  # incl. reaped children
    return total / TICKS


def machine_busy() -> tuple[float, float]:
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]
    return (sum(values) - idle) / TICKS, sum(values) / TICKS


class Recorder:
    def __init__(self) -> None:
        self.times: dict[str, list[float]] = collections.defaultdict(list)
        self.errors: collections.Counter = collections.Counter()
        self.lock = threading.Lock()

    def add(self, kind: str, seconds: float, ok: bool) -> None:
        with self.lock:
            self.times[kind].append(seconds)
            if not ok:
                self.errors[kind] += 1


def client(number: int, kinds: dict[str, itertools.cycle], stop_at: float, recorder: Recorder,
           lock: threading.Lock) -> None:
    session = requests.Session()
    order = list(kinds)
    order = order[number % len(order):] + order[:number % len(order)]
    for kind in itertools.cycle(order):
        if time.monotonic() >= stop_at:
            return
        with lock:
            url = next(kinds[kind])
        started = time.monotonic()
        try:
            response = session.get(url, timeout=60)
            ok = response.status_code == 200
        except requests.RequestException:
            ok = False
        recorder.add(kind, time.monotonic() - started, ok)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def run(base: str, clients: int, seconds: float, server_pids: list[int]) -> dict[str, Any]:
    names = [d["name"] for d in requests.get(base + "/api/3/action/package_search?rows=20", timeout=60)
             .json()["result"]["results"]]
    kinds = url_kinds(base, names)
    for kind in kinds:  # warm-up: one of each
        requests.get(next(kinds[kind]), timeout=120)
    recorder, lock = Recorder(), threading.Lock()
    cpu_before, (busy_before, all_before) = cpu_seconds(server_pids), machine_busy()
    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(n, kinds, started + seconds, recorder, lock))
               for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.monotonic() - started
    busy_after, all_after = machine_busy()
    return {"recorder": recorder, "wall": wall, "server_cpu": (cpu_seconds(server_pids) - cpu_before) / wall,
            "machine_cpu": (busy_after - busy_before) / max(all_after - all_before, 1e-9) * os.cpu_count()}


def print_table(title: str, result: dict[str, Any]) -> None:
    recorder, wall = result["recorder"], result["wall"]
    print(f"\n{title}")
    print(f"| {'URL kind':<15} | {'requests':>8} | {'errors':>6} | {'p50 ms':>7} | {'p95 ms':>7} | {'req/s':>6} |")
    print(f"|{'-' * 17}|{'-' * 10}:|{'-' * 8}:|{'-' * 9}:|{'-' * 9}:|{'-' * 8}:|")
    everything: list[float] = []
    for kind, times in recorder.times.items():
        everything += times
        print(f"| {kind:<15} | {len(times):>8} | {recorder.errors[kind]:>6} | {percentile(times, .5) * 1000:>7.0f} "
              f"| {percentile(times, .95) * 1000:>7.0f} | {len(times) / wall:>6.1f} |")
    print(f"| {'all':<15} | {len(everything):>8} | {sum(recorder.errors.values()):>6} "
          f"| {percentile(everything, .5) * 1000:>7.0f} | {percentile(everything, .95) * 1000:>7.0f} "
          f"| {len(everything) / wall:>6.1f} |")
    print(f"CPU: server {result['server_cpu']:.2f} cores, machine {result['machine_cpu']:.2f} of "
          f"{os.cpu_count()} cores (load generator included); mean answer "
          f"{statistics.mean(everything) * 1000:.0f} ms over {wall:.0f} s")


def start_ckan_run(state: devstack.State, port: int) -> subprocess.Popen:
    """The old way: CKAN's development server, and no page cache (it came with the process set)."""
    ini = state.root / "bench-ckan-run.ini"
    ini.write_text(state.ini.read_text().replace("\n[loggers]", "\nckanext.hamm.cache.pages = false\n\n[loggers]", 1))
    server = subprocess.Popen(devstack.ckan_command() + ["-c", str(ini), "run", "-H", "127.0.0.1",
                                                         "-p", str(port), "--disable-reloader"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    devstack.wait_for(lambda: not devstack.port_free(port), 120, "ckan run")
    return server


def try_huge_description(state: devstack.State, base: str, megabytes: float) -> str:
    token = devstack.ckan(state, "hamm", "demo", "token", capture=True).stdout.strip().splitlines()[-1]
    headers = {"Authorization": token}
    org = requests.get(base + "/api/3/action/organization_list", timeout=30).json()["result"][0]
    text = ("Sehr lange Beschreibung. " * int(megabytes * 1_000_000 / 25))
    response = requests.post(base + "/api/3/action/package_create", headers=headers, timeout=300, json={
        "name": "riesige-beschreibung", "title": "Riesige Beschreibung", "owner_org": org, "notes": text,
        "handlungsfeld": ["umwelt"], "license_id": "dl-by-de/2.0"})
    if response.status_code == 200:
        return f"stored ({len(text) / 1e6:.1f} MB description): list pages now include it"
    message = json.dumps(response.json().get("error", {}), ensure_ascii=False)[:240]
    return f"refused with HTTP {response.status_code}: {message}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default=f"http://127.0.0.1:{os.environ.get('PORT', '5000')}")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--server", choices=["running", "ckan-run"], default="running",
                        help="measure the running portal (make demo), or start `ckan run` on port+1 "
                             "without the page cache (the old way)")
    parser.add_argument("--huge-description", type=float, nargs="?", const=6.0, default=None, metavar="MB",
                        help="first try to create a dataset with a description of MB megabytes (default 6)")
    args = parser.parse_args()
    state = devstack.default_state(REPO)
    base, server = args.url.rstrip("/"), None
    if args.server == "ckan-run":
        port = int(base.rsplit(":", 1)[1]) + 1
        server = start_ckan_run(state, port)
        base, pids, title = f"http://127.0.0.1:{port}", [server.pid], "ckan run (no page cache)"
    else:
        pids = processes.process_tree(state, "web")
        title = f"process set of make demo (gunicorn, {max(len(pids) - 1, 0)} workers)"
    try:
        if args.huge_description:
            print("6 MB description:", try_huge_description(state, base, args.huge_description))
        result = run(base, args.clients, args.seconds, pids)
        print_table(f"{title}: {args.clients} clients, {args.seconds:.0f} s, {base}", result)
    finally:
        if server is not None:
            server.terminate()
            server.wait(30)


if __name__ == "__main__":
    main()
