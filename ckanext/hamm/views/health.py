"""``/healthz``: one request tells monitoring whether the portal can serve.

Checks the database, Redis and the search index (PostgreSQL with
``hamm_search``, else Solr) and answers 200, or 503 naming the parts that
fail. The answer never carries error text (it is public); the log has it.
"""
from __future__ import annotations

import logging
from typing import Callable

import sqlalchemy as sa
from flask import Blueprint, jsonify

from ckan import model

__all__ = ["hamm_health"]

log = logging.getLogger(__name__)
hamm_health = Blueprint("hamm_health", __name__)


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


def healthz():
    results = {}
    for name, check in CHECKS.items():
        try:
            check()
            results[name] = "ok"
        except Exception:  # any failure is a finding, never a 500
            log.exception("health check %s failed", name)
            results[name] = "failing"
    failing = [name for name, result in results.items() if result != "ok"]
    response = jsonify({"status": "failing" if failing else "ok", "checks": results, "failing": failing})
    response.status_code = 503 if failing else 200
    response.headers["Cache-Control"] = "no-store"
    return response


hamm_health.add_url_rule("/healthz", view_func=healthz, methods=["GET"])
