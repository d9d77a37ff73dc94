"""The link check job (``ckan hamm links check``, run by the scheduler): which URLs, and where results go.

Every active resource of a public, active dataset is checked, harvested ones too: their
results go into the same history and the same report (the fix belongs to the source, so
nothing here withdraws or changes a dataset). A resource whose current URL was checked
within ``ckanext.hamm.links.interval_hours`` is left out, so a run more often than daily
asks nobody twice. ``states`` reads the history back for the quality score and the report.
"""
from __future__ import annotations

import collections
import datetime
import logging
from typing import Any, Optional
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from ckan import model

from ckanext.hamm import config as hamm_config
from ckanext.hamm.checks.links import LinkChecker, Settings, Target, due, link_state
from ckanext.hamm.model import linkcheck

log = logging.getLogger(__name__)

_TARGETS = sa.text("""
    SELECT r.id, r.url, r.url_type, r.format, p.id AS package_id, p.name
    FROM resource r JOIN package p ON p.id = r.package_id
    WHERE r.state = 'active' AND p.state = 'active' AND NOT p.private AND p.type = 'dataset'
      AND coalesce(r.url, '') <> ''
    ORDER BY p.name, r.position
""")


def settings() -> Settings:
    site = hamm_config.site_url()
    timeout = float(hamm_config.links_timeout())
    return Settings(user_agent=f"Open Data Hamm Linkpruefung (+{site})" if site else "Open Data Hamm Linkpruefung",
                    connect_timeout=min(timeout, 10.0), read_timeout=timeout,
                    per_host=hamm_config.links_per_host(), overall=hamm_config.links_overall(),
                    allow_loopback=hamm_config.links_allow_loopback())


def targets() -> list[Target]:
    """The resource URLs of public datasets; an uploaded file by its download address."""
    site = hamm_config.site_url()
    found = []
    for rid, url, url_type, fmt, package_id, _name in model.Session.execute(_TARGETS):
        if url_type == "upload" and "://" not in url:
            url = f"{site}/dataset/{package_id}/resource/{rid}/download/{url.rsplit('/', 1)[-1]}"
        found.append(Target(rid, url.strip(), fmt or "", package_id))
    return found


def now_and_today() -> tuple[datetime.datetime, datetime.date]:
    now = datetime.datetime.now(datetime.timezone.utc)
    return now, now.astimezone(ZoneInfo(hamm_config.ui_timezone())).date()


def run(force: bool = False, limit: Optional[int] = None, checker: Optional[LinkChecker] = None) -> dict[str, Any]:
    """Check what is due, store it, and say what was found (for the command's output)."""
    now, today = now_and_today()
    every = targets()
    wanted = every if force else due(every, linkcheck.last_checked(), now,
                                     datetime.timedelta(hours=hamm_config.links_interval_hours()))
    if limit is not None:
        wanted = wanted[:limit]
    checker = checker or LinkChecker(settings())
    results = checker.check_all(wanted)
    linkcheck.record(results, now, today, hamm_config.links_keep())
    outcomes = collections.Counter(r.outcome for r in results)
    log.info("link check: %d of %d resources checked (%s)", len(results), len(every),
             ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items())))
    return {"resources": len(every), "checked": len(results), "skipped": len(every) - len(wanted),
            "requests": sum(checker.requests_made.values()), "outcomes": dict(outcomes)}


def states(resources: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Per resource (dicts with ``id`` and ``url``) the state of its current URL and its latest check.

    ``state`` is ``ok``, ``failing``, ``broken`` or ``unchecked`` (a changed URL starts unchecked).
    """
    ids = [r["id"] for r in resources if r.get("id")]
    kept = linkcheck.history(ids)
    broken_after = hamm_config.links_broken_after_days()
    found = {}
    for resource in resources:
        rows = [row for row in kept.get(resource.get("id") or "", []) if row.url == (resource.get("url") or "").strip()
                or resource.get("url_type") == "upload"]
        latest = rows[0] if rows else None
        found[resource.get("id") or ""] = {
            "state": link_state([(row.day, row.outcome) for row in rows], broken_after),
            "outcome": latest.outcome if latest else None,
            "status": latest.status if latest else None,
            "content_type": latest.content_type if latest else "",
            "checked_at": latest.checked_at.isoformat() if latest else None,
            "detail": latest.detail if latest else "",
        }
    return found
