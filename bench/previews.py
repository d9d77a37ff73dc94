"""How many public datasets show their data: a table or a map, in real Chromium, offline.

    HAMM_STATE_DIR=/tmp/state-x PORT=5160 make demo      # in another shell
    .venv/bin/python bench/previews.py --url http://127.0.0.1:5160 [--wait 20]

Walks every public dataset with a tabular or geo file (CSV, TSV, XLS(X), JSON, GeoJSON,
WMS, WFS) and opens the page of each such file. A file has a working preview when its
view shows table rows or map features (markers, shapes, or a drawn WMS layer); a dataset
counts when at least one of its files has one. Every request that leaves the portal's
host (127.0.0.1, so the demo's local file and map hosts stay reachable) is refused: the
demo must work without internet. It first waits until the DataStore loader is idle
(``--wait``: at most so many minutes). Prints one table: total, with preview, share,
per format, failures by reason.
"""
from __future__ import annotations

import argparse
import collections
import json
import sys
import time
import urllib.parse
import urllib.request
from typing import Any

TABULAR = {"csv", "tsv", "xls", "xlsx", "json"}
GEO = {"geojson", "wms", "wfs"}
CHROMIUM = "/usr/bin/chromium"
# Rows of a table, features of a Leaflet or OpenLayers map, the bars or points of a chart.
ROWS = "table.dataTable tbody tr td:not(.dataTables_empty), table.hamm-table tbody tr td"
FEATURES = ".leaflet-marker-icon, .leaflet-overlay-pane path, .ol-layer canvas, .ol-layer img"


def api(base: str, action: str, **params: Any) -> Any:
    query = urllib.parse.urlencode(params)
    with urllib.request.urlopen(f"{base}/api/3/action/{action}?{query}", timeout=60) as response:
        return json.load(response)["result"]


def datasets(base: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    while True:
        page = api(base, "package_search", rows=500, start=len(found), include_private="false")
        found += page["results"]
        if not page["results"] or len(found) >= page["count"]:
            return found


def kind(resource: dict[str, Any]) -> str:
    return (resource.get("format") or "").strip().lower()


def wait_for_loader(base: str, resources: list[dict[str, Any]], minutes: float) -> None:
    """Until every loadable file's xloader job has ended (or the time is up)."""
    deadline = time.monotonic() + minutes * 60
    pending = [r for r in resources if kind(r) in {"csv", "tsv", "xls", "xlsx"}]
    while pending and time.monotonic() < deadline:
        still = []
        for resource in pending:
            try:
                status = api(base, "xloader_status", resource_id=resource["id"]).get("status")
            except Exception:  # no job at all (not loadable): nothing to wait for
                status = None
            if status in ("pending", "running", "submitting"):
                still.append(resource)
        pending = still
        if pending:
            print(f"waiting for the loader: {len(pending)} files", file=sys.stderr, flush=True)
            time.sleep(10)


def check(page: Any, base: str, dataset: str, resource: dict[str, Any], seconds: float) -> str:
    """'' when the resource page shows rows or features, else the reason why not."""
    page.goto(f"{base}/dataset/{dataset}/resource/{resource['id']}", wait_until="load")
    frames = page.locator("iframe[src*='/view/']")
    inline = page.locator(".resource-view table.hamm-table, .resource-view figure.hamm-chart")
    if frames.count() == 0 and inline.count() == 0:
        return "keine Ansicht / no view"
    view = page.frame_locator("iframe[src*='/view/']").first if frames.count() else page
    wanted = view.locator(f"{ROWS}, {FEATURES}")
    try:
        wanted.first.wait_for(state="attached", timeout=seconds * 1000)
        return ""
    except Exception:
        if view.locator(".dataTables_empty, .alert, .loading-dialog").count():
            return "Ansicht leer oder Fehler / view empty or failed"
        return "Zeitüberschreitung / timed out"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default="http://127.0.0.1:5000")
    parser.add_argument("--wait", type=float, default=20, help="minutes to wait for the loader")
    parser.add_argument("--seconds", type=float, default=10, help="per file, until rows or features show")
    parser.add_argument("--first", action="store_true",
                        help="per dataset, stop at the first file with a preview (quicker; the per-format "
                             "figures then count only the files opened)")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    base = args.url.rstrip("/")
    from playwright.sync_api import sync_playwright

    wanted = [d for d in datasets(base) if any(kind(r) in TABULAR | GEO for r in d.get("resources", []))]
    wait_for_loader(base, [r for d in wanted for r in d["resources"]], args.wait)
    per_format: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0])
    reasons: collections.Counter[str] = collections.Counter()
    origin = urllib.parse.urlsplit(base).hostname
    shown = 0
    started = time.monotonic()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.route("**/*", lambda route: route.continue_()
                   if urllib.parse.urlsplit(route.request.url).hostname == origin else route.abort())
        for dataset in wanted:
            works = False
            for resource in dataset["resources"]:
                fmt = kind(resource)
                if fmt not in TABULAR | GEO:
                    continue
                reason = check(page, base, dataset["name"], resource, args.seconds)
                per_format[fmt][0] += 1
                if reason:
                    reasons[f"{fmt}: {reason}"] += 1
                else:
                    per_format[fmt][1] += 1
                    works = True
                    if args.first:
                        break
            shown += works
        browser.close()
    total = len(wanted)
    figures = {"total": total, "with_preview": shown, "share": round(100 * shown / total, 1) if total else 0.0,
               "per_format": {k: {"files": v[0], "with_preview": v[1]} for k, v in sorted(per_format.items())},
               "failures": dict(reasons.most_common()), "seconds": round(time.monotonic() - started)}
    print(f"{'public datasets with a tabular or geo file':<48} {total:>6}")
    print(f"{'… with a working preview':<48} {shown:>6}")
    print(f"{'share':<48} {figures['share']:>5} %")
    print("\nformat        files  with preview")
    for fmt, (files, ok) in sorted(per_format.items()):
        print(f"{fmt:<12} {files:>6}  {ok:>6}")
    print("\nfailures by reason")
    for reason, count in reasons.most_common():
        print(f"{count:>6}  {reason}")
    print(f"\n({figures['seconds']} s{', first file with a preview per dataset' if args.first else ''})")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as out:
            json.dump(figures, out, indent=1, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
