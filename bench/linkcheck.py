"""The link checker against 1,000 resource URLs on a local fake server (issue 29).

    .venv/bin/python bench/linkcheck.py [--urls 1000] [--hosts 4] [--per-host 4] [--overall 16]

The fake server (``ckanext/hamm/devstack/fake_links.py``) listens on 127.0.0.1 … 127.0.0.<hosts>
and answers by path: 200s, 301s to a 200, HEAD refused (ranged GET), 404/410, 500, stalls longer
than the read timeout, slow bodies, redirect loops, redirects to 10.0.0.1 and 169.254.169.254, and
HTML where a CSV is declared, some busy once with ``Retry-After``. Loopback is allowed the way
the tests allow it (``allow_loopback``); internal addresses stay refused. Needs no database.

Prints two markdown tables: per class the URLs expected and classified; then requests made,
requests outside the policy, the most concurrent requests one host saw (server side) against
the cap, wall time and requests/s, and the re-check run within the interval.
"""
from __future__ import annotations

import argparse
import collections
import datetime
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from ckanext.hamm.checks.links import LinkChecker, Settings, Target, due  # noqa: E402
from ckanext.hamm.devstack.fake_links import FakeLinkServer  # noqa: E402

# path kind, declared format, expected class, share of the URLs (per mille)
MIX = (
    ("ok", "CSV", "ok", 300), ("moved", "CSV", "ok", 50), ("nohead", "JSON", "ok", 50),
    ("slow", "CSV", "ok", 50), ("retry", "CSV", "ok", 20), ("wrongtype", "HTML", "ok", 30),
    ("notfound", "CSV", "broken", 130), ("gone", "CSV", "broken", 20), ("error", "CSV", "server_error", 100),
    ("timeout", "CSV", "timeout", 50), ("loop", "CSV", "redirect_loop", 50),
    ("private", "CSV", "refused", 50), ("wrongtype", "CSV", "wrong_type", 100),
)


def targets(server: FakeLinkServer, count: int) -> tuple[list[Target], dict[str, str]]:
    plan: list[tuple[str, str, str]] = []
    for kind, fmt, expected, share in MIX:
        plan += [(kind, fmt, expected)] * (count * share // 1000)
    plan += [("ok", "CSV", "ok")] * (count - len(plan))
    found, expected_by_id = [], {}
    for number, (kind, fmt, expected) in enumerate(plan):
        resource_id = f"r{number:05d}"
        found.append(Target(resource_id, server.url(number, kind, f"{number}.{fmt.lower()}"), fmt))
        expected_by_id[resource_id] = expected
    return found, expected_by_id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--urls", type=int, default=1000)
    parser.add_argument("--hosts", type=int, default=4)
    parser.add_argument("--per-host", type=int, default=4)
    parser.add_argument("--overall", type=int, default=16)
    parser.add_argument("--read-timeout", type=float, default=1.0)
    args = parser.parse_args()

    settings = Settings(user_agent="Open Data Hamm Linkprüfung (bench)", connect_timeout=1.0,
                        read_timeout=args.read_timeout, per_host=args.per_host, overall=args.overall,
                        max_wait=5.0, allow_loopback=True)
    with FakeLinkServer(hosts=args.hosts, latency=0.01, stall=args.read_timeout * 3) as server:
        wanted, expected = targets(server, args.urls)
        checker = LinkChecker(settings)
        started = time.perf_counter()
        results = checker.check_all(wanted)
        wall = time.perf_counter() - started
        made = sum(checker.requests_made.values())
        served = sum(server.stats.requests.values())
        fake_hosts = {s.server_address[0] for s in server.servers}
        outside = sum(n for host, n in checker.requests_made.items() if host not in fake_hosts)
        most = max(server.stats.most.values())  # counted by the server, not by the checker

        now = datetime.datetime.now(datetime.timezone.utc)
        last = {r.resource_id: (r.url, now) for r in results}
        server.stats.reset()
        again = LinkChecker(settings)
        again.check_all(due(wanted, last, now + datetime.timedelta(hours=1), datetime.timedelta(hours=24)))
        recheck_requests = sum(again.requests_made.values()) + sum(server.stats.requests.values())

    want = collections.Counter(expected.values())
    got = collections.Counter(r.outcome for r in results)
    right = collections.Counter(r.outcome for r in results if r.outcome == expected[r.resource_id])
    print("| class | expected | classified | correct |\n|---|---:|---:|---:|")
    for name in sorted(set(want) | set(got), key=lambda n: -want[n]):
        print(f"| {name} | {want[name]} | {got[name]} | {right[name]} |")
    wrong = sum(1 for r in results if r.outcome != expected[r.resource_id])
    print(f"| **all** | {len(wanted)} | {len(results)} | {len(results) - wrong} |\n")
    print("| figure | value |\n|---|---:|")
    print(f"| URLs checked | {len(results)} |")
    print(f"| requests made (HEAD + ranged GET) | {made} |")
    print(f"| requests the fake server received | {served} |")
    print(f"| requests outside the policy | {outside} |")
    print(f"| most concurrent requests on one host (cap {args.per_host}) | {most} |")
    print(f"| wall time | {wall:.2f} s |")
    print(f"| requests/s | {made / wall:.0f} |")
    print(f"| URLs/s | {len(results) / wall:.0f} |")
    print(f"| re-check within the interval: requests | {recheck_requests} |")
    if wrong or outside or most > args.per_host or recheck_requests or served != made:
        sys.exit(1)


if __name__ == "__main__":
    main()
