"""Benchmark of the PostgreSQL search backend (``hamm_search``) at 1k/10k/50k datasets.

    .venv/bin/python bench/search.py --sizes 1000 10000 50000

For each size: a fresh database (``hamm_bench``, never the portal's), datasets
bulk-inserted into CKAN's tables (``search_data.py``), ``ckan search-index
rebuild`` and ``rebuild-fast`` timed, then ``package_search`` p50/p95 in-process over a fixed query
mix, ``/dataset`` p50 over HTTP from a real ``ckan run`` server on a free port,
and the index size on disk. Prints one table; not part of ``make test``.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any, Iterator

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

# CKAN's logging sections for the stock instances the benchmarks and the RVR stand-in start:
# warnings and errors to stderr, nothing else.
LOGGING_SECTIONS = """[loggers]
keys = root
[handlers]
keys = console
[formatters]
keys = generic
[logger_root]
level = WARNING
handlers = console
[handler_console]
class = StreamHandler
args = (sys.stderr,)
level = NOTSET
formatter = generic
[formatter_generic]
format = %(levelname)s [%(name)s] %(message)s
"""

INI = """[app:main]
use = egg:ckan
SECRET_KEY = bench-only
WTF_CSRF_SECRET_KEY = bench-only
api_token.jwt.encode.secret = string:bench-only
api_token.jwt.decode.secret = string:bench-only
sqlalchemy.url = {db_url}
ckan.redis.url = {redis_url}
solr_url = http://127.0.0.1:1/solr/unused
ckan.site_id = hamm-bench
ckan.site_url = http://127.0.0.1:{port}
ckan.locale_default = de
ckan.storage_path = {storage}
ckan.views.default_views =
ckan.plugins = hamm_search
ckan.search.default_include_private = true
search.facets = organization groups tags res_format license_id vocab_handlungsfeld

""" + LOGGING_SECTIONS

FACETS = ["organization", "groups", "tags", "res_format", "license_id", "vocab_handlungsfeld"]


def query_mix(size: int) -> dict[str, dict[str, Any]]:
    """The fixed mix: what citizens and the /dataset page ask most often."""
    return {
        "free text": {"q": "Baumkataster Uentrop"},
        "free text 3 words": {"q": "Grünflächen Pelkum 2020"},
        "fq org + handlungsfeld": {"fq": "organization:amt-03 AND vocab_handlungsfeld:umwelt"},
        "6 facets": {"facet.field": json.dumps(FACETS), "rows": 20},
        "text + 6 facets": {"q": "Verkehr", "facet.field": json.dumps(FACETS), "rows": 20},
        "sorted by modified": {"sort": "metadata_modified desc", "rows": 20},
        "deep page": {"sort": "title_string asc", "start": size // 2, "rows": 20},
    }


def _free_port() -> int:
    from ckanext.hamm.devstack import throwaway

    return throwaway.free_port()


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def _ckan(ini: Path, *args: str, env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run([str(Path(sys.executable).with_name("ckan")), "-c", str(ini), *args],
                   check=True, env=env, stdout=subprocess.DEVNULL, timeout=3600)
    return time.perf_counter() - started


def _reset_database(server_url: str, database: str) -> str:
    """A fresh, empty database (ckanext/hamm/devstack/throwaway.py, shared with the tests)."""
    from ckanext.hamm.devstack import throwaway

    return throwaway.fresh_database(server_url, database)


def prepare(size: int, database: str, workdir: Path) -> dict[str, Any]:
    """Fresh database with ``size`` datasets, indexed by ``ckan search-index rebuild``."""
    import psycopg2

    from bench import search_data
    from ckanext.hamm import devstack

    state = devstack.default_state(REPO)
    services = devstack.services(state, "postgres")
    db_url = _reset_database(devstack.postgres_url(state), database)
    port = _free_port()
    ini = workdir / "ckan.ini"
    ini.write_text(INI.format(db_url=db_url.replace("%", "%%"), port=port, storage=workdir,
                              redis_url=services["CKAN_REDIS_URL"].rsplit("/", 1)[0] + "/9"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("CKAN_")}
    _ckan(ini, "db", "init", env=env)
    _ckan(ini, "db", "upgrade", "-p", "hamm_search", env=env)
    started = time.perf_counter()
    connection = psycopg2.connect(db_url)
    search_data.load(connection, size)
    load_s = time.perf_counter() - started
    # as after any bulk load: statistics and visibility map in place, so the rebuild below is
    # not timed against the autovacuum run the load would otherwise trigger in the middle of it
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    connection.close()
    rebuild_s = _ckan(ini, "search-index", "rebuild", "-q", env=env)
    # CKAN's parallel variant (one process per core, active datasets only) over the same data
    rebuild_fast_s = _ckan(ini, "search-index", "rebuild-fast", env=env)
    connection = psycopg2.connect(db_url)
    connection.autocommit = True
    with connection.cursor() as cursor:  # the second rebuild left every row once dead: size as built once
        cursor.execute("VACUUM FULL ANALYZE hamm_search_index")
    connection.close()
    return {"ini": ini, "port": port, "env": env, "db_url": db_url, "load_s": load_s, "rebuild_s": rebuild_s,
            "rebuild_fast_s": rebuild_fast_s}


def measure_in_process(ini: Path, size: int, rounds: int) -> dict[str, Any]:
    """Run in a child process: load CKAN once, time package_search over the mix."""
    import ckan.logic as logic
    import sqlalchemy as sa
    from ckan import model
    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    from ckanext.hamm.search import cache

    app = make_app(load_config(str(ini)))
    figures: dict[str, Any] = {}
    with app._wsgi_app.test_request_context():
        search = logic.get_action("package_search")
        mix = query_mix(size)
        # cold: the facet cache disabled, every query computed; warm: as a portal runs
        for mode, entries in (("cold", 0), ("warm", cache.MAX_ENTRIES)):
            cache.MAX_ENTRIES = entries
            cache._facets.size = entries  # the store is sized when it is made: without this "cold" stayed warm
            timings: dict[str, list[float]] = {}
            for params in mix.values():  # fill PostgreSQL's buffers (and the cache) once
                search({"user": ""}, dict(params))
            for _ in range(rounds):
                for label, params in mix.items():
                    started = time.perf_counter()
                    result = search({"user": ""}, dict(params))
                    timings.setdefault(label, []).append((time.perf_counter() - started) * 1000)
                    figures.setdefault("counts", {})[label] = result["count"]
            every = [t for values in timings.values() for t in values]
            prefix = "" if mode == "warm" else "cold_"
            figures[f"{prefix}p50"] = _percentile(every, 0.5)
            figures[f"{prefix}p95"] = _percentile(every, 0.95)
            figures[f"{prefix}per_query"] = {k: round(statistics.median(v), 1) for k, v in timings.items()}
        figures["index_mb"] = model.Session.execute(
            sa.text("SELECT pg_total_relation_size('hamm_search_index')")).scalar() / 1e6
    return figures


@contextlib.contextmanager
def server(prepared: dict[str, Any]) -> Iterator[str]:
    """A real ``ckan run`` on a free port, ended (by its pid) afterwards."""
    base = f"http://127.0.0.1:{prepared['port']}"
    process = subprocess.Popen(
        [str(Path(sys.executable).with_name("ckan")), "-c", str(prepared["ini"]), "run",
         "-H", "127.0.0.1", "-p", str(prepared["port"]), "-r", "-t"],
        env=prepared["env"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/3/action/status_show", timeout=2).read()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("ckan run did not start") from None
                time.sleep(0.3)
        yield base
    finally:
        process.terminate()
        process.wait(10)


def measure_http(prepared: dict[str, Any], rounds: int) -> float:
    with server(prepared) as base:
        for _ in range(2):
            urllib.request.urlopen(f"{base}/dataset/", timeout=30).read()
        timings = []
        for _ in range(rounds):
            started = time.perf_counter()
            with urllib.request.urlopen(f"{base}/dataset/", timeout=30) as response:
                response.read()
                assert response.status == 200
            timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def run_size(size: int, args: argparse.Namespace) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="hamm-bench-") as tmp:
        prepared = prepare(size, args.database, Path(tmp))
        child = subprocess.run(
            [sys.executable, __file__, "--measure", str(prepared["ini"]), "--sizes", str(size),
             "--rounds", str(args.rounds)],
            check=True, env=prepared["env"], stdout=subprocess.PIPE, text=True)
        figures = json.loads(child.stdout.strip().splitlines()[-1])
        figures["dataset_p50"] = measure_http(prepared, args.http_rounds)
        figures.update(size=size, load_s=prepared["load_s"], rebuild_s=prepared["rebuild_s"],
                       rebuild_fast_s=prepared.get("rebuild_fast_s"))
        return figures


def print_table(results: list[dict[str, Any]]) -> None:
    print("\n| datasets | package_search p50 / p95 (facet cache warm) | p50 / p95 (cold) | /dataset p50 "
          "| index size | rebuild / rebuild-fast | bulk load |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        rebuild = (f"{r['rebuild_s']:.0f} s / {r['rebuild_fast_s']:.0f} s"
                   if r.get("rebuild_s") is not None and r.get("rebuild_fast_s") is not None else "–")
        print(f"| {r['size']:,} | {r['p50']:.1f} / {r['p95']:.1f} ms | {r['cold_p50']:.1f} / {r['cold_p95']:.1f} ms "
              f"| {r['dataset_p50']:.0f} ms | {r['index_mb']:.0f} MB | {rebuild} | {r['load_s']:.1f} s |")
    print("\nmedian per query shape, cold (ms):")
    for r in results:
        print(f"  {r['size']:>6}: " + ", ".join(f"{k} {v}" for k, v in r["cold_per_query"].items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 50000])
    parser.add_argument("--database", default="hamm_bench")
    parser.add_argument("--rounds", type=int, default=15, help="repetitions of the query mix")
    parser.add_argument("--http-rounds", type=int, default=15)
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure_in_process(Path(args.measure), args.sizes[0], args.rounds)))
        return
    results = []
    for size in args.sizes:
        results.append(run_size(size, args))
        print(f"done {size}: {json.dumps(results[-1])}", file=sys.stderr)
    print_table(results)


if __name__ == "__main__":
    main()
