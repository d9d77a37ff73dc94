"""Benchmark of the RVR publisher: Hamm's datasets written to a real stock CKAN standing in for RVR.

    .venv/bin/python bench/publish.py [--datasets 1000]

The stand-in (tests/publish/standin.py: stock CKAN from this venv, own database
``hamm_bench_rvr``, own port) receives ``--datasets`` datasets made in a fresh Hamm
portal database ``hamm_bench_publish`` (never the portal's). Measured in a child
process: the first publish (datasets/s, one package_create each), the incremental
no-change re-run and a ``--full`` no-change comparison (seconds, write calls).
Prints one table.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench import harvest as harvest_bench  # noqa: E402  (fresh portal database with the Hamm plugins)

TOPICS = ["Baumkataster", "Luftqualität", "Radverkehr", "Grünflächen", "Schulen", "Haltestellen", "Lärmkarte",
          "Wahlergebnisse", "Spielplätze", "Ladesäulen"]
FIELDS = ["umwelt", "mobilitaet", "digitale-bildung", "soziales", "digitale-verwaltung"]
THEMES = ["ENVI", "TRAN", "EDUC", "SOCI", "GOVE", "HEAL"]


def dataset(n: int, org: str) -> dict[str, Any]:
    topic = TOPICS[n % len(TOPICS)]
    return {"name": f"bench-{n:05d}", "title": f"{topic} {n}", "owner_org": org, "license_id": "dl-by-de/2.0",
            "notes": f"{topic} in Hamm, Teil {n}: äöüß.", "tags": [{"name": topic}, {"name": "Hamm"}],
            "handlungsfeld": [FIELDS[n % len(FIELDS)]], "zielgruppe": ["buergerinnen"],
            "persona": ["klimaaktive-buergerin"] if n % 3 == 0 else [],
            "theme": [f"http://publications.europa.eu/resource/authority/data-theme/{THEMES[n % len(THEMES)]}"],
            "resources": [{"url": f"https://www.hamm.de/opendata/{n}.csv", "name": topic, "format": "CSV"},
                          {"url": f"https://www.hamm.de/opendata/{n}.json", "name": topic, "format": "JSON"}]}


def child(ini: Path, url: str, count: int) -> dict[str, Any]:
    import ckan.plugins.toolkit as tk
    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    app = make_app(load_config(str(ini)))
    with app._wsgi_app.test_request_context():
        from ckanext.hamm.publish import publisher

        site = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
        context = {"user": site, "ignore_auth": True}
        org = tk.get_action("organization_create")(dict(context), {"name": "umweltamt", "title": "Umweltamt"})
        for n in range(count):
            tk.get_action("package_create")(dict(context, return_id_only=True), dataset(n, org["id"]))
        result: dict[str, Any] = {"datasets": count}
        for label, kwargs in (("first", {}), ("again", {}), ("full", {"full": True})):
            started = time.perf_counter()
            report = publisher.publish(url=url, **kwargs)
            result[label] = {"seconds": time.perf_counter() - started, "created": report.created,
                             "updated": report.updated, "unchanged": report.unchanged,
                             "writes": report.write_calls, "reads": report.read_calls, "errors": report.errors[:3]}
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--datasets", type=int, default=1000)
    parser.add_argument("--database", default="hamm_bench_publish")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--ini", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--url", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(Path(args.ini), args.url, args.datasets)))
        return
    from tests.publish.standin import StandIn

    with tempfile.TemporaryDirectory(prefix="hamm-bench-publish-") as tmp, \
            StandIn(Path(tmp) / "rvr", database="hamm_bench_rvr") as rvr:
        ini, env = harvest_bench.prepare(args.database, Path(tmp), "hamm_rvr")
        env = dict(env, HAMM_RVR_API_TOKEN=rvr.tokens["hamm-redaktion"])
        print(f"[bench] creating {args.datasets} Hamm datasets, then publishing to {rvr.url} …", file=sys.stderr)
        out = subprocess.run([sys.executable, __file__, "--child", "--ini", str(ini), "--url", rvr.url,
                              "--datasets", str(args.datasets)], env=env, capture_output=True, text=True)
        if out.returncode:
            sys.exit(f"publish run failed:\n{out.stderr[-3000:]}")
        result = json.loads(out.stdout.strip().splitlines()[-1])
        at_rvr = len(rvr.sql("SELECT id FROM package WHERE type = 'dataset' AND state = 'active'"))
    first, again, full = result["first"], result["again"], result["full"]
    print(f"\nRVR publish benchmark — {result['datasets']} Hamm datasets to a stock CKAN stand-in "
          f"(2 resources, 3–4 tags, 1 group each)\n")
    print("| run | seconds | datasets/s | created | updated | unchanged | write calls | read calls | errors |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for label, row in (("first publish", first), ("no-change re-run", again), ("no-change --full", full)):
        rate = f"{row['created'] / row['seconds']:.1f}" if row["created"] else "–"
        print(f"| {label} | {row['seconds']:.2f} | {rate} | {row['created']} | {row['updated']} | "
              f"{row['unchanged']} | {row['writes']} | {row['reads']} | {len(row['errors'])} |")
    print(f"datasets active at the stand-in afterwards: {at_rvr}")
    if any(row["errors"] for row in (first, again, full)):
        print(f"errors: {first['errors'] or again['errors'] or full['errors']}")


if __name__ == "__main__":
    main()
