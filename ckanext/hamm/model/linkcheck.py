"""The link checks of resource URLs, kept as history (table ``hamm_link_check``).

One row per check: what was asked (the URL), when, and what came back (class, status,
content type, size, time). Not a flag: whether a link counts as broken is read from the
last checks of its current URL (``checks/links.py`` ``link_state``); the last
``ckanext.hamm.links.keep`` checks of a resource are kept.
"""
from __future__ import annotations

import datetime
from typing import Any, Iterable, Optional

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model
from sqlalchemy.orm import Mapped, mapped_column


class HammLinkCheck(tk.BaseModel):
    __tablename__ = "hamm_link_check"

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    resource_id: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    package_id: Mapped[str] = mapped_column(sa.UnicodeText, sa.ForeignKey("package.id", ondelete="CASCADE"),
                                            nullable=False)
    url: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    checked_at: Mapped[datetime.datetime] = mapped_column(sa.DateTime(timezone=True), nullable=False)
    day: Mapped[datetime.date] = mapped_column(sa.Date, nullable=False)
    outcome: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    status: Mapped[Optional[int]] = mapped_column(sa.Integer)
    content_type: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False, default="")
    size: Mapped[Optional[int]] = mapped_column(sa.BigInteger)
    elapsed_ms: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)
    final_url: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False, default="")
    method: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False, default="")
    detail: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False, default="")


COLUMNS = ("resource_id", "package_id", "url", "outcome", "status", "content_type", "size", "elapsed_ms",
           "final_url", "method", "detail")

_PRUNE = sa.text("""
    DELETE FROM hamm_link_check WHERE id IN (
        SELECT id FROM (SELECT id, row_number() OVER (PARTITION BY resource_id ORDER BY checked_at DESC, id DESC) AS n
                        FROM hamm_link_check WHERE resource_id = ANY(:ids)) ranked
        WHERE n > :keep)
""")


def record(results: Iterable[Any], checked_at: datetime.datetime, day: datetime.date, keep: int) -> int:
    """Store the results (``checks.links.Result``-shaped) and keep the last ``keep`` per resource."""
    rows = [dict({c: getattr(r, c) for c in COLUMNS}, checked_at=checked_at, day=day) for r in results]
    if not rows:
        return 0
    model.Session.execute(sa.insert(HammLinkCheck), rows)
    model.Session.execute(_PRUNE, {"ids": sorted({r["resource_id"] for r in rows}), "keep": keep})
    model.Session.commit()
    return len(rows)


def last_checked(resource_ids: Optional[list[str]] = None) -> dict[str, tuple[str, datetime.datetime]]:
    """``{resource_id: (url, checked_at)}`` of each resource's latest check."""
    query = (model.Session.query(HammLinkCheck.resource_id, HammLinkCheck.url, HammLinkCheck.checked_at)
             .distinct(HammLinkCheck.resource_id)
             .order_by(HammLinkCheck.resource_id, HammLinkCheck.checked_at.desc(), HammLinkCheck.id.desc()))
    if resource_ids is not None:
        query = query.filter(HammLinkCheck.resource_id.in_(resource_ids))
    return {rid: (url, at) for rid, url, at in query}


def history(resource_ids: list[str]) -> dict[str, list[HammLinkCheck]]:
    """Each resource's kept checks, newest first."""
    found: dict[str, list[HammLinkCheck]] = {rid: [] for rid in resource_ids}
    if not resource_ids:
        return found
    rows = (model.Session.query(HammLinkCheck).filter(HammLinkCheck.resource_id.in_(resource_ids))
            .order_by(HammLinkCheck.resource_id, HammLinkCheck.checked_at.desc(), HammLinkCheck.id.desc()))
    for row in rows:
        found[row.resource_id].append(row)
    return found
