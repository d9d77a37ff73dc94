"""Benchmark of the RVR harvester: hamm_rvr against stock ckan_harvester on the same fake RVR.

    .venv/bin/python bench/harvest.py [--datasets 2000] [--stock-datasets 2000]

The fake RVR (ckanext/hamm/demo/fake_rvr.py, real HTTP on 127.0.0.1) serves
``--datasets`` generated Hamm datasets. Each harvester runs in its own child
process against a fresh database ``hamm_bench_harvest`` (never the portal's):
a first full harvest (datasets/s), then for hamm_rvr an incremental no-change
re-sync and a full no-change comparison (seconds). Peak RSS is the child's
maximum resident set (CKAN itself included). Prints one table.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench import search as search_bench  # noqa: E402  (shared helpers: DB reset, ckan CLI, ini)

PLUGINS = {
    "hamm_rvr": "hamm_search hamm scheming_datasets dcat harvest hamm_rvr ckan_harvester",
    # Stock ckan_harvester cannot create datasets under the Hamm schema (Handlungsfeld is
    # required, dcat-ap.de licences, strict tags), so it runs on CKAN's core schema: less
    # validation work per dataset than hamm_rvr does, i.e. in stock's favour.
    "ckan": "hamm_search harvest ckan_harvester",
}
STOCK_CONFIG = '{"clean_tags": true}'
SETTINGS = """
ckan.plugins = {plugins}
scheming.dataset_schemas = ckanext.hamm.schemas:dataset.yaml
scheming.presets = ckanext.scheming:presets.json ckanext.dcat.schemas:presets.yaml
ckanext.hamm.harvest.allowed_hosts = 127.0.0.1
ckanext.hamm.harvest.allow_http = true
ckanext.hamm.harvest.allow_loopback = true
"""


def _ini(workdir: Path, db_url: str, redis_url: str, plugins: str) -> Path:
    base = search_bench.INI.format(db_url=db_url.replace("%", "%%"), port=5999, storage=workdir, redis_url=redis_url)
    lines = [line for line in base.splitlines() if not line.startswith("ckan.plugins")]
    ini = workdir / "ckan.ini"
    settings = SETTINGS.format(plugins=plugins).strip().splitlines()
    ini.write_text("\n".join(lines[:2] + settings + lines[2:]) + "\n")
    return ini


def prepare(database: str, workdir: Path, harvester: str = "hamm_rvr") -> tuple[Path, dict[str, str]]:
    from ckanext.hamm import devstack

    state = devstack.default_state(REPO)
    services = devstack.services(state, "postgres")
    db_url = search_bench._reset_database(devstack.postgres_url(state), database)
    ini = _ini(workdir, db_url, services["CKAN_REDIS_URL"].rsplit("/", 1)[0] + "/10", PLUGINS[harvester])
    env = {k: v for k, v in os.environ.items() if not k.startswith("CKAN_")}
    search_bench._ckan(ini, "db", "init", env=env)
    for plugin in ("harvest", "hamm_search"):
        search_bench._ckan(ini, "db", "upgrade", "-p", plugin, env=env)
    return ini, env


# -- child: one harvester, in-process ---------------------------------------------------
def child(harvester: str, ini: Path, url: str, workers: int = 1) -> dict[str, Any]:
    import ckan.plugins.toolkit as tk
    from ckan import model
    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    app = make_app(load_config(str(ini)))
    with app._wsgi_app.test_request_context():
        site = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
        context = {"user": site, "ignore_auth": True}
        org = tk.get_action("organization_create")(dict(context), {"name": "stadt-hamm", "title": "Stadt Hamm"})
        source = tk.get_action("harvest_source_create")(dict(context), {
            "name": f"rvr-{harvester}", "title": "RVR", "url": url, "source_type": harvester,
            "owner_org": org["id"], "frequency": "MANUAL", "config": "" if harvester == "hamm_rvr" else STOCK_CONFIG})
        result: dict[str, Any] = {"harvester": harvester, "workers": workers if harvester == "hamm_rvr" else 1}
        started = time.perf_counter()
        if harvester == "hamm_rvr":
            from ckanext.hamm.harvesters import sync
            from ckanext.harvest.model import HarvestSource

            report = sync.run(HarvestSource.get(source["id"]), full=True, workers=workers)
            result.update(first_s=time.perf_counter() - started, created=report.added, errors=len(report.errors))
            started = time.perf_counter()
            again = sync.run(HarvestSource.get(source["id"]))
            result.update(resync_s=time.perf_counter() - started, resync_changed=again.added + again.updated)
            started = time.perf_counter()
            full = sync.run(HarvestSource.get(source["id"]), full=True)
            result.update(full_resync_s=time.perf_counter() - started, full_changed=full.added + full.updated)
        else:
            from ckanext.harvest import queue
            from ckanext.harvest.model import HarvestJob
            from ckanext.harvest.tests.lib import run_harvest_job

            job = tk.get_action("harvest_job_create")(dict(context), {"source_id": source["id"], "run": False})
            results = run_harvest_job(HarvestJob.get(job["id"]), queue.get_harvester(harvester))
            result.update(first_s=time.perf_counter() - started,
                          created=sum(1 for r in results.values() if r.get("report_status") == "added"),
                          errors=sum(1 for r in results.values() if r.get("state") == "ERROR"))
        result["datasets"] = model.Session.query(model.Package).filter_by(type="dataset", state="active").count()
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


def run_child(harvester: str, ini: Path, env: dict[str, str], url: str, workers: int) -> dict[str, Any]:
    out = subprocess.run([sys.executable, __file__, "--child", harvester, "--ini", str(ini), "--url", url,
                          "--workers", str(workers)],
                         env=env, capture_output=True, text=True)
    if out.returncode:
        sys.exit(f"{harvester} run failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def print_table(rows: list[dict[str, Any]], count: int) -> None:
    print(f"\nRVR harvest benchmark — fake RVR with {count} datasets, fresh database per harvester\n")
    print("| harvester | import workers | datasets created | first harvest (s) | datasets/s | no-change re-sync (s) | "
          "full no-change comparison (s) | errors | peak RSS (MB) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        rate = row["created"] / row["first_s"] if row["first_s"] else 0
        print(f"| {row['harvester']} | {row['workers']} | {row['created']} | {row['first_s']:.1f} | {rate:.1f} | "
              f"{row.get('resync_s', float('nan')):.1f} | {row.get('full_resync_s', float('nan')):.1f} | "
              f"{row['errors']} | {row['peak_rss_mb']:.0f} |")
    stock = next((r for r in rows if r["harvester"] == "ckan" and r["created"]), None)
    if stock:
        stock_rate = stock["created"] / stock["first_s"]
        for row in rows:
            if row["harvester"] == "hamm_rvr" and row["first_s"]:
                print(f"hamm_rvr with {row['workers']} worker(s): "
                      f"{row['created'] / row['first_s'] / stock_rate:.1f}× the datasets/s of ckan_harvester")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--datasets", type=int, default=2000)
    parser.add_argument("--database", default="hamm_bench_harvest")
    parser.add_argument("--only", choices=["hamm_rvr", "ckan"], default=None)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2],
                        help="hamm_rvr import workers to measure (each a separate run)")
    parser.add_argument("--child", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--ini", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--url", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, Path(args.ini), args.url, args.workers[0])))
        return
    from ckanext.hamm.demo.fake_rvr import FakeRVR

    rows = []
    with tempfile.TemporaryDirectory(prefix="hamm-bench-harvest-") as tmp, FakeRVR(args.datasets) as rvr:
        runs = [("hamm_rvr", w) for w in args.workers] + [("ckan", 1)]
        for harvester, workers in runs:
            if args.only and args.only != harvester:
                continue
            ini, env = prepare(args.database, Path(tmp), harvester)
            print(f"[bench] {harvester} ({workers} worker(s)): harvesting {args.datasets} datasets …",
                  file=sys.stderr, flush=True)
            rows.append(run_child(harvester, ini, env, rvr.url, workers))
            print(f"[bench] {json.dumps(rows[-1])}", file=sys.stderr, flush=True)
    print_table(rows, args.datasets)


if __name__ == "__main__":
    main()
