"""Benchmark of the Dateninventur spreadsheet import (and the staff page /inventar at that size).

    .venv/bin/python bench/inventory.py [--rows 10000]

A child process against a fresh database ``hamm_bench_inventory`` (never the portal's)
imports a generated .xlsx of ``--rows`` rows over four departments (the test suite's
rows: tests/inventory/sheets.py) as the site user: the first import (seconds, rows/s,
peak RSS of the child, CKAN included), then the same file again (no change, no write).
If the page ``/inventar`` exists on this branch, its p50/p95 for a sysadmin at that size
(in-process test client, 30 requests after one warm-up). Then the stock path beside it:
1,000 further rows as one ``package_create`` each. Prints one markdown table.
``--page-only`` measures the page again on the database a previous run left behind.
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench import harvest as harvest_bench  # noqa: E402  (fresh portal database with the Hamm plugins)
from bench import search as search_bench  # noqa: E402

DEPARTMENTS = [("umweltamt", "Umweltamt"), ("planungsamt", "Stadtplanungsamt"), ("ordnungsamt", "Ordnungsamt"),
               ("schulamt", "Schulverwaltungsamt")]
PAGE_REQUESTS = 30
STOCK_ROWS = 1000  # the stock path: further rows, already mapped, one package_create each


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _rows(count: int) -> list[dict[str, str]]:
    from tests.inventory.sheets import good_row

    rows = []
    for i in range(count):
        row = good_row(i)
        row["Abteilung"] = DEPARTMENTS[i % len(DEPARTMENTS)][i % 2]  # names and titles mixed
        rows.append(row)
    return rows


def child(ini: Path, count: int) -> dict[str, Any]:
    # First of all: once CKAN's modules are imported, a top-level "tests" resolves to ckan/tests.
    from tests.inventory.sheets import xlsx  # isort: skip

    import ckan.plugins.toolkit as tk
    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    app = make_app(load_config(str(ini)))
    flask_app = app._wsgi_app
    with flask_app.test_request_context():
        from ckanext.hamm.inventory import importer, spreadsheet

        site = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
        for name, title in DEPARTMENTS:
            tk.get_action("organization_create")({"user": site, "ignore_auth": True}, {"name": name, "title": title})
        data = xlsx(_rows(count))
        result: dict[str, Any] = {"rows": count, "file_mb": len(data) / 1_000_000, "rss_before": _rss_mb()}
        for label in ("first", "again"):
            started = time.perf_counter()
            sheet = spreadsheet.read(data, "inventur.xlsx", count + 1, 10**9)
            report = importer.run(sheet, site)
            result[label] = {"seconds": time.perf_counter() - started, "created": report.created,
                             "updated": report.updated, "unchanged": report.unchanged,
                             "problems": [p.as_dict() for p in report.problems[:3]], "rss": _rss_mb()}
    result["page"] = _page(flask_app, site)
    with flask_app.test_request_context():
        result["stock"] = _stock_path(site, count, min(count, STOCK_ROWS))
    return result


def _stock_path(site: str, offset: int, count: int) -> dict[str, Any]:
    """What a script over CKAN's API does: one ``package_create`` per dataset (each committed
    and indexed on its own), given the dataset dicts the import's check has already built."""
    import ckan.plugins.toolkit as tk

    from ckanext.hamm.inventory import importer, spreadsheet
    from tests.inventory.sheets import xlsx

    data = xlsx(_rows(offset + count)[offset:])
    _report, writes = importer.plan(spreadsheet.read(data, "stock.xlsx", count + 1, 10**9), site)
    started = time.perf_counter()
    for _number, _action, dataset in writes:
        tk.get_action("package_create")({"user": site}, dict(dataset))
    return {"rows": len(writes), "seconds": time.perf_counter() - started}


def page_only(ini: Path) -> dict[str, Any]:
    import ckan.plugins.toolkit as tk
    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    app = make_app(load_config(str(ini)))
    with app._wsgi_app.test_request_context():
        site = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
        count = tk.get_action("package_search")({"user": site}, {"q": "*:*", "rows": 0, "include_private": True})
    return {"rows": count["count"], "page": _page(app._wsgi_app, site)}


def _page(flask_app: Any, site: str) -> dict[str, Any]:
    if not any(rule.rule == "/inventar" for rule in flask_app.url_map.iter_rules()):
        return {}
    import ckan.plugins.toolkit as tk

    with flask_app.test_request_context():
        try:
            sysadmin = tk.get_action("user_show")({"ignore_auth": True}, {"id": "bench-admin"})
        except tk.ObjectNotFound:
            sysadmin = tk.get_action("user_create")({"user": site, "ignore_auth": True}, {
                "name": "bench-admin", "email": "bench@hamm.example", "password": "Bench-Passwort-42",
                "sysadmin": True})
        token = tk.get_action("api_token_create")({"user": site, "ignore_auth": True},
                                                  {"user": sysadmin["name"], "name": "bench"})["token"]
    client = flask_app.test_client()
    headers = {"Authorization": token}
    status = client.get("/inventar", headers=headers).status_code
    times = []
    for _ in range(PAGE_REQUESTS):
        started = time.perf_counter()
        client.get("/inventar", headers=headers)
        times.append((time.perf_counter() - started) * 1000)
    return {"status": status, "p50": search_bench._percentile(times, 0.5),
            "p95": search_bench._percentile(times, 0.95)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10000)
    parser.add_argument("--database", default="hamm_bench_inventory")
    parser.add_argument("--page-only", action="store_true", help="only /inventar, on the last run's database")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--ini", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(page_only(Path(args.ini)) if args.page_only else child(Path(args.ini), args.rows)))
        return
    if args.page_only:
        _page_only(args.database)
        return
    with tempfile.TemporaryDirectory(prefix="hamm-bench-inventory-") as tmp:
        ini, env = harvest_bench.prepare(args.database, Path(tmp), "hamm_rvr")
        search_bench._ckan(ini, "db", "upgrade", "-p", "hamm", env=env)
        print(f"[bench] importing {args.rows} inventory rows …", file=sys.stderr)
        out = subprocess.run([sys.executable, __file__, "--child", "--ini", str(ini), "--rows", str(args.rows)],
                             env=env, capture_output=True, text=True)
        if out.returncode:
            sys.exit(f"inventory run failed:\n{out.stderr[-3000:]}")
        result = json.loads(out.stdout.strip().splitlines()[-1])
    first, again, page = result["first"], result["again"], result["page"]
    print(f"\nDateninventur import benchmark — {result['rows']:,} rows (.xlsx, {result['file_mb']:.1f} MB), "
          f"fresh database, one process\n")
    print("| measure | value |")
    print("|---|---:|")
    print(f"| first import: seconds (rows/s) | {first['seconds']:.1f} ({result['rows'] / first['seconds']:.0f}/s) |")
    print(f"| first import: created / failed rows | {first['created']} / {len(first['problems'])} |")
    written = again["created"] + again["updated"]
    print(f"| re-import, no change: seconds (written) | {again['seconds']:.1f} ({written}) |")
    print(f"| peak RSS of the process (before import → after) | {result['rss_before']:.0f} → "
          f"{max(first['rss'], again['rss']):.0f} MB |")
    stock = result["stock"]
    if stock["rows"]:
        ours, theirs = result["rows"] / first["seconds"], stock["rows"] / stock["seconds"]
        print(f"| stock path, same process: {stock['rows']:,} further rows by `package_create` one at a time | "
              f"{stock['seconds']:.1f} s ({theirs:.0f}/s; the import writes {ours / theirs:.1f}× as many rows/s, "
              f"checks included) |")
    if page:
        print(f"| /inventar p50 / p95 (sysadmin, {result['rows']:,} entries, HTTP {page['status']}) | "
              f"{page['p50']:.0f} / {page['p95']:.0f} ms |")
    else:
        print("| /inventar p50 / p95 | n/a: page not on this branch |")
    if first["problems"]:
        print(f"\nproblems: {first['problems']}")


def _page_only(database: str) -> None:
    import os

    from ckanext.hamm import devstack

    state = devstack.default_state(REPO)
    services = devstack.services(state, "postgres")
    server = devstack.postgres_url(state)
    db_url = server.replace("/postgres?", f"/{database}?")
    with tempfile.TemporaryDirectory(prefix="hamm-bench-inventory-") as tmp:
        ini = harvest_bench._ini(Path(tmp), db_url, services["CKAN_REDIS_URL"].rsplit("/", 1)[0] + "/10",
                                 harvest_bench.PLUGINS["hamm_rvr"])
        env = {k: v for k, v in os.environ.items() if not k.startswith("CKAN_")}
        search_bench._ckan(ini, "db", "upgrade", "-p", "hamm", env=env)
        out = subprocess.run([sys.executable, __file__, "--child", "--page-only", "--ini", str(ini)],
                             env=env, capture_output=True, text=True)
        if out.returncode:
            sys.exit(f"page run failed:\n{out.stderr[-3000:]}")
        result = json.loads(out.stdout.strip().splitlines()[-1])
    page = result["page"]
    print("| measure | value |")
    print("|---|---:|")
    if page:
        print(f"| /inventar p50 / p95 (sysadmin, {result['rows']:,} entries, HTTP {page['status']}) | "
              f"{page['p50']:.0f} / {page['p95']:.0f} ms |")
    else:
        print("| /inventar p50 / p95 | n/a: page not on this branch |")


if __name__ == "__main__":
    main()
