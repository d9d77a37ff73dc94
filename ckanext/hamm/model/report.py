"""Problem reports ("Fehler melden") that citizens send about a dataset.

Stored so the owning organisation can work through them even when no mail
server is configured; only the reporter's optional e-mail is personal data.
"""
from __future__ import annotations

import datetime
import uuid
from typing import Any, Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

import ckan.plugins.toolkit as tk
from ckan import model

CATEGORIES = ("content", "link", "metadata", "licence", "other")
STATES = ("open", "closed")


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
    state: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False, default="open")
    created: Mapped[datetime.datetime] = mapped_column(sa.DateTime, nullable=False,
                                                       default=datetime.datetime.utcnow)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "package_id": self.package_id, "owner_org": self.owner_org,
            "category": self.category, "message": self.message, "email": self.email,
            "language": self.language, "state": self.state,
            "created": self.created.isoformat() if self.created else None,
        }


def add(**values: Any) -> HammReport:
    report = HammReport(**values)
    model.Session.add(report)
    model.Session.commit()
    return report


def for_organization(org_id: str, limit: int, offset: int = 0) -> tuple[int, list[HammReport]]:
    """Reports about one organisation's datasets, newest first, with the total count."""
    query = model.Session.query(HammReport).filter(HammReport.owner_org == org_id)
    total = query.count()
    rows = query.order_by(HammReport.created.desc()).offset(offset).limit(limit).all()
    return total, rows
