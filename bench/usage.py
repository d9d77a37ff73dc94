"""What one counted page view costs: the direct upsert of ``model/usage.py`` against a Redis
increment (which a scheduler would then have to flush into the table).

    HAMM_STATE_DIR=/tmp/state-x .venv/bin/python bench/usage.py [--visits 2000]

Uses the embedded PostgreSQL and Redis of the state folder, a database of its own
(``hamm_bench_usage``: a minimal ``package`` table with 200 datasets and ``hamm_usage``)
and Redis database 15. Each visit is one call as the request hook makes it (a fresh
transaction from the pool). Prints one markdown table: per-visit p50/p95 and visits/s.
"""
from __future__ import annotations

import argparse
import datetime
import random
import statistics
import sys
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

DATASETS = 200


def _timed(calls: int, call) -> list[float]:
    times = []
    for i in range(calls):
        start = time.perf_counter()
        call(i)
        times.append((time.perf_counter() - start) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--visits", type=int, default=2000)
    args = parser.parse_args()

    import redis
    import sqlalchemy as sa

    from ckanext.hamm import devstack
    from ckanext.hamm.model import usage

    env = devstack.services(devstack.default_state(REPO), "hamm_bench_usage")
    engine = sa.create_engine(env["CKAN_SQLALCHEMY_URL"])
    with engine.begin() as connection:
        connection.execute(sa.text("DROP TABLE IF EXISTS hamm_usage; DROP TABLE IF EXISTS package"))
        connection.execute(sa.text("CREATE TABLE package (id text PRIMARY KEY, name text UNIQUE, state text)"))
        connection.execute(sa.text("""CREATE TABLE hamm_usage (package_id text REFERENCES package(id) ON DELETE CASCADE,
            day date, kind text, count integer NOT NULL DEFAULT 0, PRIMARY KEY (package_id, day, kind))"""))
        connection.execute(sa.text("INSERT INTO package VALUES (:id, :name, 'active')"),
                           [{"id": str(uuid.uuid4()), "name": f"datensatz-{i}"} for i in range(DATASETS)])
    names = [f"datensatz-{random.randrange(DATASETS)}" for _ in range(args.visits)]
    day = datetime.date.today()
    upsert = usage._UPSERT

    def by_upsert_synchronous(i: int) -> None:
        with engine.begin() as connection:
            connection.execute(upsert, {"ref": names[i], "kind": "view", "day": day})

    def by_upsert(i: int) -> None:  # what model/usage.py count_one does
        with engine.begin() as connection:
            connection.execute(usage._NO_DISK_WAIT)
            connection.execute(upsert, {"ref": names[i], "kind": "view", "day": day})

    client = redis.Redis.from_url(env["CKAN_REDIS_URL"].rsplit("/", 1)[0] + "/15")
    client.delete("hamm:bench:usage")

    def by_redis(i: int) -> None:
        client.hincrby("hamm:bench:usage", f"{day.isoformat()}:view:{names[i]}", 1)

    rows = []
    for label, call in (("direct upsert, waiting for the disk", by_upsert_synchronous),
                        ("direct upsert, synchronous_commit off (count_one)", by_upsert),
                        ("Redis HINCRBY (still to be flushed)", by_redis)):
        _timed(50, call)  # warm-up: connections, plans
        times = _timed(args.visits, call)
        quantiles = statistics.quantiles(times, n=20)
        rows.append((label, statistics.median(times), quantiles[18], 1000 / statistics.mean(times)))
    with engine.connect() as connection:
        counted = connection.execute(sa.text("SELECT sum(count) FROM hamm_usage")).scalar()
    client.delete("hamm:bench:usage")
    print(f"{args.visits} visits over {DATASETS} datasets; counted in the table: {counted - 100}")
    print("| way | p50 ms | p95 ms | visits/s (one process) |\n|---|---:|---:|---:|")
    for label, p50, p95, rate in rows:
        print(f"| {label} | {p50:.3f} | {p95:.3f} | {rate:,.0f} |")


if __name__ == "__main__":
    main()
