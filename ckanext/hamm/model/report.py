"""Problem reports ("Fehler melden") that citizens send about a dataset.

Stored so the owning organisation can work through them even when no mail
server is configured; only the reporter's optional e-mail is personal data.
Staff move a report from ``neu`` through ``in_bearbeitung`` to ``erledigt``;
every change (status, internal note, reply to the reporter) is one history row.
"""
from __future__ import annotations

import datetime
import uuid
from typing import Any, Optional

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model
from sqlalchemy.orm import Mapped, mapped_column

CATEGORIES = ("content", "link", "metadata", "licence", "other")
# The order is the workflow; a finished report may be reopened.
STATUSES = ("neu", "in_bearbeitung", "erledigt")
OPEN_STATUSES = ("neu", "in_bearbeitung")


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


class HammReport(tk.BaseModel):
    __tablename__ = "hamm_report"

    id: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True, default=lambda: str(uuid.uuid4()))
    package_id: Mapped[str] = mapped_column(sa.UnicodeText, sa.ForeignKey("package.id", ondelete="CASCADE"),
                                             nullable=False)
    owner_org: Mapped[Optional[str]] = mapped_column(sa.UnicodeText)
    category: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    message: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    email: Mapped[Optional[str]] = mapped_column(sa.UnicodeText)
    language: Mapped[Optional[str]] = mapped_column(sa.UnicodeText)
    status: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False, default="neu")
    created: Mapped[datetime.datetime] = mapped_column(sa.DateTime, nullable=False, default=_now)
    modified: Mapped[Optional[datetime.datetime]] = mapped_column(sa.DateTime, default=_now)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "package_id": self.package_id, "owner_org": self.owner_org,
            "category": self.category, "message": self.message, "email": self.email,
            "language": self.language, "status": self.status,
            "created": self.created.isoformat() if self.created else None,
            "modified": self.modified.isoformat() if self.modified else None,
        }


class HammReportHistory(tk.BaseModel):
    """One staff change of a report: who, when, status before/after, internal note, reply sent."""

    __tablename__ = "hamm_report_history"

    id: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True, default=lambda: str(uuid.uuid4()))
    report_id: Mapped[str] = mapped_column(sa.UnicodeText, sa.ForeignKey("hamm_report.id", ondelete="CASCADE"),
                                           nullable=False)
    timestamp: Mapped[datetime.datetime] = mapped_column(sa.DateTime, nullable=False, default=_now)
    user_id: Mapped[Optional[str]] = mapped_column(sa.UnicodeText, sa.ForeignKey("user.id", ondelete="SET NULL"))
    old_status: Mapped[Optional[str]] = mapped_column(sa.UnicodeText)
    new_status: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    note: Mapped[Optional[str]] = mapped_column(sa.UnicodeText)
    reply: Mapped[Optional[str]] = mapped_column(sa.UnicodeText)
    reply_sent: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=False)

    def as_dict(self) -> dict[str, Any]:
        return {"timestamp": self.timestamp.isoformat(), "old_status": self.old_status,
                "new_status": self.new_status, "note": self.note, "reply": self.reply,
                "reply_sent": self.reply_sent}


def add(**values: Any) -> HammReport:
    report = HammReport(**values)
    model.Session.add(report)
    model.Session.commit()
    return report


def get(report_id: Any) -> Optional[HammReport]:
    if not report_id or not isinstance(report_id, str):
        return None
    return model.Session.get(HammReport, report_id)


def history(report_id: str) -> list[tuple[HammReportHistory, Optional[str]]]:
    """The report's changes, oldest first, each with the name of the staff member."""
    return (model.Session.query(HammReportHistory, model.User.name)
            .outerjoin(model.User, model.User.id == HammReportHistory.user_id)
            .filter(HammReportHistory.report_id == report_id)
            .order_by(HammReportHistory.timestamp, HammReportHistory.id).all())


def record(report: HammReport, user_id: Optional[str], old_status: str, note: Optional[str],
           reply: Optional[str], reply_sent: bool) -> HammReportHistory:
    """Apply the change to ``report`` (its status is already set) and keep it in the history."""
    entry = HammReportHistory(report_id=report.id, user_id=user_id, old_status=old_status,
                              new_status=report.status, note=note, reply=reply, reply_sent=reply_sent)
    report.modified = entry.timestamp = _now()
    model.Session.add(entry)
    model.Session.commit()
    return entry


def counts(org_ids: list[str]) -> dict[str, dict[str, int]]:
    """Reports per organisation and status: ``{org_id: {status: n}}`` (zeros included)."""
    result = {org_id: dict.fromkeys(STATUSES, 0) for org_id in org_ids}
    if not org_ids:
        return result
    rows = (model.Session.query(HammReport.owner_org, HammReport.status, sa.func.count())
            .filter(HammReport.owner_org.in_(org_ids)).group_by(HammReport.owner_org, HammReport.status))
    for org_id, status, count in rows:
        if status in result[org_id]:
            result[org_id][status] = int(count)
    return result


def for_organization(org_id: str, limit: int, offset: int = 0,
                     statuses: tuple[str, ...] = ()) -> tuple[int, list[HammReport]]:
    """Reports about one organisation's datasets, newest first, with the total count."""
    query = model.Session.query(HammReport).filter(HammReport.owner_org == org_id)
    if statuses:
        query = query.filter(HammReport.status.in_(statuses))
    total = query.count()
    rows = query.order_by(HammReport.created.desc()).offset(offset).limit(limit).all()
    return total, rows
