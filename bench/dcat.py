"""Benchmark of the DCAT-AP.de output (profile ``hamm_dcat_ap_de``) at 1k and 10k datasets.

    .venv/bin/python bench/dcat.py --sizes 1000 10000

For each size: a fresh database (``hamm_bench_dcat``, never the portal's) filled by the
search benchmark's bulk loader, enriched with the Hamm/DCAT fields the profile works on,
indexed by ``ckan search-index rebuild``. Then, in each of five child processes, one
``/catalog.ttl`` page (100 datasets) through ``dcat_catalog_show`` with ``euro_dcat_ap_3``
alone and with ``euro_dcat_ap_3 hamm_dcat_ap_de`` (median of rounds); the ratio is the
median over the processes, because on a shared 2-core machine a single process's ratio
ranged from 1.21 to 1.52 for the same code. Then ``ckan hamm dcat dump`` of the
whole catalogue (wall time, peak RSS of the dump process). Prints one table.

    .venv/bin/python bench/dcat.py --patches --sizes 1000 --processes 3 --rounds 9

measures the DCAT speed patches instead (``turtle``, ``profile_lookup``, ``young_garbage``):
a rendered catalogue page and dataset page with all of them and without each one, a page
served by the page cache, and the dump without the Turtle writer (docs/upstream.md).
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench import search as search_bench  # noqa: E402  (shared helpers: DB reset, ckan CLI)

PLUGINS = "hamm_search hamm scheming_datasets dcat"
SETTINGS = f"""
ckan.plugins = {PLUGINS}
scheming.dataset_schemas = ckanext.hamm.schemas:dataset.yaml
scheming.presets = ckanext.scheming:presets.json ckanext.dcat.schemas:presets.yaml
ckanext.dcat.rdf.profiles = euro_dcat_ap_3 hamm_dcat_ap_de
ckanext.dcat.base_uri = https://opendata.hamm.de
"""
PROFILES = {"euro_dcat_ap_3": ["euro_dcat_ap_3"],
            "euro_dcat_ap_3 hamm_dcat_ap_de": ["euro_dcat_ap_3", "hamm_dcat_ap_de"]}
ENRICH = """
UPDATE package SET extras = COALESCE(extras, '{}'::jsonb) || jsonb_build_object(
  'handlungsfeld', '["umwelt", "mobilitaet"]', 'zielgruppe', '["buergerinnen"]',
  'theme', '["http://publications.europa.eu/resource/authority/data-theme/ENVI"]',
  'frequency', 'http://publications.europa.eu/resource/authority/frequency/ANNUAL',
  'contact', '[{"name": "Open Data Hamm", "email": "opendata@stadt.hamm.de"}]',
  'temporal_coverage', '[{"start": "2020-01-01", "end": "2024-12-31"}]',
  'spatial_coverage', '[{"uri": "http://dcat-ap.de/def/politicalGeocoding/municipalityKey/05915000"}]')
"""


def _ini(workdir: Path, db_url: str, redis_url: str, port: int) -> Path:
    base = search_bench.INI.format(db_url=db_url.replace("%", "%%"), port=port, storage=workdir,
                                   redis_url=redis_url)
    lines = [line for line in base.splitlines() if not line.startswith("ckan.plugins")]
    head, rest = lines[:2], lines[2:]
    ini = workdir / "ckan.ini"
    ini.write_text("\n".join(head + SETTINGS.strip().splitlines() + rest) + "\n")
    return ini


def prepare(size: int, database: str, workdir: Path, reuse: bool = False) -> dict[str, Any]:
    import os

    import psycopg2

    from bench import search_data
    from ckanext.hamm import devstack

    state = devstack.default_state(REPO)
    services = devstack.services(state, "postgres")
    server = devstack.postgres_url(state)
    db_url = (devstack.with_database(server, database) if reuse
              else search_bench._reset_database(server, database))
    redis_url = services["CKAN_REDIS_URL"].rsplit("/", 1)[0] + "/8"
    ini = _ini(workdir, db_url, redis_url, search_bench._free_port())
    env = {k: v for k, v in os.environ.items() if not k.startswith("CKAN_")}
    if reuse:  # the database of the last run at this size: measure again without reloading
        with psycopg2.connect(db_url) as connection, connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM package WHERE state = 'active' AND NOT private")
            return {"ini": ini, "env": env, "public": cursor.fetchone()[0], "rebuild_s": float("nan")}
    search_bench._ckan(ini, "db", "init", env=env)
    search_bench._ckan(ini, "db", "upgrade", "-p", "hamm_search", env=env)
    connection = psycopg2.connect(db_url)
    search_data.load(connection, size)
    with connection.cursor() as cursor:
        cursor.execute(ENRICH)
        cursor.execute("SELECT count(*) FROM package WHERE state = 'active' AND NOT private")
        public = cursor.fetchone()[0]
    connection.commit()
    connection.close()
    rebuild_s = search_bench._ckan(ini, "search-index", "rebuild", "-q", env=env)
    return {"ini": ini, "env": env, "public": public, "rebuild_s": rebuild_s}


def measure_page(ini: Path, rounds: int) -> dict[str, float]:
    """Child process: median time of one /catalog.ttl page per profile stack.

    The stacks take turns round by round, so drift of a shared machine hits both alike.
    """
    import ckan.plugins.toolkit as tk
    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    app = make_app(load_config(str(ini)))
    timings: dict[str, list[float]] = {label: [] for label in PROFILES}
    with app._wsgi_app.test_request_context("/catalog.ttl"):
        show = tk.get_action("dcat_catalog_show")
        for profiles in PROFILES.values():
            show({}, {"page": 1, "format": "ttl", "profiles": profiles})  # warm up
        for _ in range(rounds):
            for label, profiles in PROFILES.items():
                started = time.perf_counter()
                show({}, {"page": 1, "format": "ttl", "profiles": profiles})
                timings[label].append(time.perf_counter() - started)
    return {label: statistics.median(values) for label, values in timings.items()}


def _speed_patches() -> dict[str, tuple[Any, Any]]:
    """Each DCAT speed patch of ``ckanext/hamm/patches/`` as (switch off, switch on)."""
    import contextlib
    import importlib.metadata

    from rdflib import plugin
    from rdflib.serializer import Serializer

    from ckanext.dcat import processors
    from ckanext.hamm.logic.action import dcat as dcat_actions
    from ckanext.hamm.patches import profile_lookup, turtle, young_garbage

    def rdflib_turtle() -> None:
        for name in turtle.FORMAT_NAMES:
            plugin.register(name, Serializer, "rdflib.plugins.serializers.turtle", "TurtleSerializer")

    def no_pause() -> None:
        dcat_actions.collected_when_done = contextlib.nullcontext  # type: ignore[assignment]

    def pause() -> None:
        dcat_actions.collected_when_done = young_garbage.collected_when_done

    return {"turtle": (rdflib_turtle, turtle.install),
            "profile_lookup": (lambda: setattr(processors, "entry_points", importlib.metadata.entry_points),
                               profile_lookup.install),
            "young_garbage": (no_pause, pause)}


def measure_patches(ini: Path, rounds: int) -> dict[str, Any]:
    """Child process: a /catalog.ttl page (100 datasets) and a /dataset/<id>.ttl page, rendered
    (a page-cache miss) with all speed patches and without each one, the variants taking turns
    round by round; then the catalogue page as the page cache serves it."""
    import ckan.plugins.toolkit as tk
    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    app = make_app(load_config(str(ini)))
    switches = _speed_patches()
    variants = ["all", *(f"without {name}" for name in switches)]
    profiles = PROFILES["euro_dcat_ap_3 hamm_dcat_ap_de"]
    figures: dict[str, Any] = {}
    with app._wsgi_app.test_request_context("/catalog.ttl"):
        dataset_id = tk.get_action("package_search")({}, {"rows": 1})["results"][0]["id"]
        pages = {"catalog": ("dcat_catalog_show", {"page": 1, "format": "ttl", "profiles": profiles}),
                 "dataset": ("dcat_dataset_show", {"id": dataset_id, "format": "ttl", "profiles": profiles})}
        for page, (action, data_dict) in pages.items():
            show = tk.get_action(action)
            show({}, dict(data_dict))  # warm up
            timings: dict[str, list[float]] = {label: [] for label in variants}
            for _ in range(rounds if page == "catalog" else rounds * 10):
                for label in variants:
                    name = label.removeprefix("without ")
                    if name in switches:
                        switches[name][0]()
                    started = time.perf_counter()
                    show({}, dict(data_dict))
                    timings[label].append(time.perf_counter() - started)
                    if name in switches:
                        switches[name][1]()
            figures[page] = {label: statistics.median(v) for label, v in timings.items()}
    client = app._wsgi_app.test_client()
    hits, cached = [], None
    for _ in range(rounds + 1):
        started = time.perf_counter()
        response = client.get("/catalog.ttl?page=1")
        hits.append(time.perf_counter() - started)
        cached = response.headers.get("X-Hamm-Page-Cache")
    figures["cache"] = {"hit": statistics.median(hits[1:]), "first": hits[0], "header": cached}
    return figures


def run_patches(args: argparse.Namespace) -> None:
    """``--patches``: the speed patches' worth per page, median over the measuring processes."""
    size = args.sizes[0]
    with tempfile.TemporaryDirectory(prefix="hamm-bench-dcat-") as tmp:
        prepared = prepare(size, args.database, Path(tmp), args.reuse)
        runs = []
        for _ in range(args.processes):
            child = subprocess.run(
                [sys.executable, __file__, "--measure-patches", str(prepared["ini"]), "--rounds", str(args.rounds)],
                check=True, env=prepared["env"], stdout=subprocess.PIPE, text=True)
            runs.append(json.loads(child.stdout.strip().splitlines()[-1]))
            print(json.dumps(runs[-1]), file=sys.stderr)
        dumps = {label: [measure_dump(prepared, Path(tmp), without_turtle=label == "without turtle")["dump_s"]
                         for _ in range(args.processes)] for label in ("all", "without turtle")}
        print(json.dumps(dumps), file=sys.stderr)
    print(f"\n{size:,} datasets ({prepared['public']:,} public); medians over {args.processes} processes "
          f"of the per-process medians ({args.rounds} rounds catalogue, {args.rounds * 10} rounds dataset)\n")
    print("| variant | /catalog.ttl page (100 datasets) | vs all | /dataset/<id>.ttl | vs all |")
    print("|---|---:|---:|---:|---:|")
    base = {page: statistics.median(r[page]["all"] for r in runs) for page in ("catalog", "dataset")}
    for label in runs[0]["catalog"]:
        cells = []
        for page in ("catalog", "dataset"):
            value = statistics.median(r[page][label] for r in runs)
            cells += [f"{value * 1000:.1f} ms", f"{value / base[page]:.2f}"]
        print(f"| {label} | " + " | ".join(cells) + " |")
    hit = statistics.median(r["cache"]["hit"] for r in runs)
    print(f"| served by the page cache (any variant) | {hit * 1000:.1f} ms | {hit / base['catalog']:.2f} | | |")
    dump = {label: statistics.median(values) for label, values in dumps.items()}
    print(f"\n``ckan hamm dcat dump --format ttl`` (whole catalogue, median of {args.processes}): "
          f"{dump['all']:.1f} s with all patches, {dump['without turtle']:.1f} s with rdflib's Turtle writer "
          f"({dump['without turtle'] / dump['all']:.2f})")


# ``ckan`` with the Turtle patch left out (the plugin calls ``turtle.install`` when it loads)
WITHOUT_TURTLE = ("import sys; from ckanext.hamm.patches import turtle; turtle.install = lambda: None; "
                  "from ckan.cli.cli import ckan; sys.argv[0] = 'ckan'; ckan()")


def measure_dump(prepared: dict[str, Any], workdir: Path, without_turtle: bool = False) -> dict[str, float]:
    """``ckan hamm dcat dump`` in its own process; peak RSS read from that process's rusage."""
    target = workdir / "dump.ttl"
    probe = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
             "subprocess.run(sys.argv[1:], check=True, stderr=subprocess.DEVNULL); "
             "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    ckan = [sys.executable, "-c", WITHOUT_TURTLE] if without_turtle else [str(Path(sys.executable).with_name("ckan"))]
    result = subprocess.run(
        [sys.executable, "-c", probe, *ckan, "-c", str(prepared["ini"]), "hamm", "dcat", "dump",
         "--format", "ttl", "--output", str(target)],
        check=True, env=prepared["env"], stdout=subprocess.PIPE, text=True)
    seconds, rss_kb = result.stdout.split()
    return {"dump_s": float(seconds), "rss_mb": int(rss_kb) / 1024, "dump_mb": target.stat().st_size / 1e6}


def run_size(size: int, args: argparse.Namespace) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="hamm-bench-dcat-") as tmp:
        prepared = prepare(size, args.database, Path(tmp), args.reuse)
        pages = []
        for _ in range(args.processes):
            child = subprocess.run(
                [sys.executable, __file__, "--measure", str(prepared["ini"]), "--rounds", str(args.rounds)],
                check=True, env=prepared["env"], stdout=subprocess.PIPE, text=True)
            pages.append(json.loads(child.stdout.strip().splitlines()[-1]))
        ratios = sorted(p["euro_dcat_ap_3 hamm_dcat_ap_de"] / p["euro_dcat_ap_3"] for p in pages)
        figures = {"size": size, "public": prepared["public"], "rebuild_s": prepared["rebuild_s"],
                   "plain_s": statistics.median(p["euro_dcat_ap_3"] for p in pages),
                   "hamm_s": statistics.median(p["euro_dcat_ap_3 hamm_dcat_ap_de"] for p in pages),
                   "ratio": statistics.median(ratios), "ratio_min": ratios[0], "ratio_max": ratios[-1]}
        figures.update(measure_dump(prepared, Path(tmp)))
        return figures


def print_table(results: list[dict[str, Any]]) -> None:
    print("\n| datasets (public) | page euro_dcat_ap_3 | page + hamm_dcat_ap_de | ratio (range) "
          "| full dump (ttl) | dump peak RSS | dump size |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        print(f"| {r['size']:,} ({r['public']:,}) | {r['plain_s'] * 1000:.0f} ms | {r['hamm_s'] * 1000:.0f} ms "
              f"| {r['ratio']:.2f} ({r['ratio_min']:.2f}–{r['ratio_max']:.2f}) | {r['dump_s']:.1f} s "
              f"| {r['rss_mb']:.0f} MB | {r['dump_mb']:.1f} MB |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--database", default="hamm_bench_dcat")
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--processes", type=int, default=5,
                        help="measuring processes; the ratio is their median (one process can be off by 0.2)")
    parser.add_argument("--reuse", action="store_true",
                        help="measure the database left by the last run (one size) again")
    parser.add_argument("--patches", action="store_true",
                        help="measure the speed patches instead: a page with all, without each, from the cache")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    parser.add_argument("--measure-patches", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure_page(Path(args.measure), args.rounds)))
        return
    if args.measure_patches:
        print(json.dumps(measure_patches(Path(args.measure_patches), args.rounds)))
        return
    if args.patches:
        run_patches(args)
        return
    results = []
    for size in args.sizes:
        results.append(run_size(size, args))
        print(json.dumps(results[-1]), file=sys.stderr)
    print_table(results)


if __name__ == "__main__":
    main()
