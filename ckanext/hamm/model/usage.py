"""Usage figures per dataset and day, without personal data.

One row per dataset, day and kind (``view`` of the dataset page, ``download`` of a
file) holding a count: no address, no cookie, no user, no time of day is kept, so
nothing in the table can tell one visitor from another. A visit adds one with a
single upsert (``count_one``), measured in ``docs/reuse.md`` (``bench/usage.py``).
"""
from __future__ import annotations

import datetime
from typing import Any, Optional
from zoneinfo import ZoneInfo

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model
from sqlalchemy.orm import Mapped, mapped_column

from ckanext.hamm import config as hamm_config

KINDS = ("view", "download")

# One round trip: the dataset is found by id or name, and unknown or deleted ones count nothing.
_UPSERT = sa.text("""
    INSERT INTO hamm_usage (package_id, day, kind, count)
    SELECT id, :day, :kind, 1 FROM package WHERE (id = :ref OR name = :ref) AND state = 'active'
    ON CONFLICT (package_id, day, kind) DO UPDATE SET count = hamm_usage.count + 1
""")
_NO_DISK_WAIT = sa.text("SET LOCAL synchronous_commit = off")


class HammUsage(tk.BaseModel):
    __tablename__ = "hamm_usage"

    package_id: Mapped[str] = mapped_column(sa.UnicodeText, sa.ForeignKey("package.id", ondelete="CASCADE"),
                                            primary_key=True)
    day: Mapped[datetime.date] = mapped_column(sa.Date, primary_key=True)
    kind: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True)
    count: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)


def today() -> datetime.date:
    """The day in the portal's time zone: a visit at 00:30 in Hamm counts for that day."""
    return datetime.datetime.now(ZoneInfo(hamm_config.ui_timezone())).date()


def count_one(ref: str, kind: str, day: datetime.date) -> None:
    """Add one ``kind`` for the dataset ``ref`` (id or name) on ``day``, in a transaction of its own
    (the request's session stays untouched, a failure here never fails the page)."""
    with model.meta.engine.begin() as connection:
        # A counter may lose its last fraction of a second in a crash: no wait for the disk.
        connection.execute(_NO_DISK_WAIT)
        connection.execute(_UPSERT, {"ref": ref, "kind": kind, "day": day})


def totals(package_ids: Optional[list[str]] = None, since: Optional[datetime.date] = None) -> dict[str, int]:
    """``{"view": n, "download": n}`` over the given datasets (all when None) since a day."""
    query = model.Session.query(HammUsage.kind, sa.func.sum(HammUsage.count))
    if package_ids is not None:
        query = query.filter(HammUsage.package_id.in_(package_ids))
    if since is not None:
        query = query.filter(HammUsage.day >= since)
    found = {kind: int(total or 0) for kind, total in query.group_by(HammUsage.kind)}
    return {kind: found.get(kind, 0) for kind in KINDS}


def by_day(package_id: str, since: datetime.date) -> list[dict[str, Any]]:
    """Per day since ``since``: ``{"day": "2026-12-07", "view": n, "download": n}``, oldest first."""
    rows = (model.Session.query(HammUsage.day, HammUsage.kind, HammUsage.count)
            .filter(HammUsage.package_id == package_id, HammUsage.day >= since).order_by(HammUsage.day))
    days: dict[datetime.date, dict[str, Any]] = {}
    for day, kind, count in rows:
        days.setdefault(day, {"day": day.isoformat(), **{k: 0 for k in KINDS}})[kind] = count
    return list(days.values())


def top(kind: str, since: datetime.date, package_ids: Any, limit: int = 10) -> list[tuple[str, int]]:
    """The datasets (among ``package_ids``, a list or subquery of ids) with the most ``kind`` since a day."""
    total = sa.func.sum(HammUsage.count).label("total")
    rows = (model.Session.query(HammUsage.package_id, total)
            .filter(HammUsage.kind == kind, HammUsage.day >= since, HammUsage.package_id.in_(package_ids))
            .group_by(HammUsage.package_id).order_by(total.desc(), HammUsage.package_id).limit(limit))
    return [(package_id, int(count)) for package_id, count in rows]
