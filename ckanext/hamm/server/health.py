"""``/healthz``: one request tells monitoring whether the portal can serve.

Checks the database, Redis and the search index (PostgreSQL with
``hamm_search``, else Solr) and answers 200, or 503 naming the parts that
fail. The answer never carries error text (it is public); the log has it.

It is a WSGI middleware in front of CKAN, not a view: CKAN's request set-up
reads the database before any view runs, so a view could never report a
database that is down.
"""
from __future__ import annotations

import json
import logging
from typing import Any, Callable

import sqlalchemy as sa
from ckan import model

log = logging.getLogger(__name__)
PATH = "/healthz"


def check_database() -> None:
    with model.meta.engine.connect() as connection:
        connection.execute(sa.text("SELECT 1"))


def check_redis() -> None:
    from ckan.lib.redis import connect_to_redis

    connect_to_redis().ping()


def check_search() -> None:
    from ckan.lib.search import common

    common.make_connection().search(q="*:*", rows=0)


CHECKS: dict[str, Callable[[], None]] = {
    "database": check_database, "redis": check_redis, "search": check_search,
}


def report() -> tuple[int, dict[str, Any]]:
    results = {}
    for name, check in CHECKS.items():
        try:
            check()
            results[name] = "ok"
        except Exception:  # any failure is a finding, never a 500
            log.exception("health check %s failed", name)
            results[name] = "failing"
    failing = [name for name, result in results.items() if result != "ok"]
    return (503 if failing else 200), {"status": "failing" if failing else "ok", "checks": results,
                                       "failing": failing}


class HealthMiddleware:
    """Answers GET /healthz itself; every other request goes to CKAN."""

    def __init__(self, app: Callable) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Any:
        if environ.get("PATH_INFO") != PATH or environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            return self.app(environ, start_response)
        from ckanext.hamm.views.headers import fixed_headers

        status, body = report()
        payload = json.dumps(body).encode()
        start_response("200 OK" if status == 200 else "503 Service Unavailable",
                       [("Content-Type", "application/json"), ("Content-Length", str(len(payload))),
                        ("Cache-Control", "no-store"), *fixed_headers().items()])
        return [payload]
