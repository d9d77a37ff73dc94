"""The workflow's history: one row per step (who, when, from which state to which, the decision).

A table of its own rather than CKAN's activity stream: the activity plugin is not
loaded on this portal, and the Kennzahlen need the steps as data (oldest open
decisions), not as rendered activities.
"""
from __future__ import annotations

import datetime
import uuid
from typing import Any, Optional

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model
from sqlalchemy.orm import Mapped, mapped_column


class InventarSchritt(tk.BaseModel):
    __tablename__ = "hamm_inventar_schritt"

    id: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True, default=lambda: str(uuid.uuid4()))
    package_id: Mapped[str] = mapped_column(sa.UnicodeText, sa.ForeignKey("package.id", ondelete="CASCADE"),
                                            nullable=False)
    from_state: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    to_state: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    decision: Mapped[Optional[str]] = mapped_column(sa.UnicodeText)
    note: Mapped[Optional[str]] = mapped_column(sa.UnicodeText)
    user_name: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    created: Mapped[datetime.datetime] = mapped_column(sa.DateTime, nullable=False,
                                                       default=datetime.datetime.utcnow)

    def as_dict(self) -> dict[str, Any]:
        return {"from": self.from_state, "to": self.to_state, "decision": self.decision, "note": self.note,
                "user": self.user_name, "created": self.created.isoformat() if self.created else None}


def record(package_id: str, from_state: str, to_state: str, user_name: str,
           decision: Optional[str] = None, note: Optional[str] = None) -> InventarSchritt:
    step = InventarSchritt(package_id=package_id, from_state=from_state, to_state=to_state,
                           user_name=user_name, decision=decision, note=note or None)
    model.Session.add(step)
    model.Session.commit()
    return step


def _table_exists() -> bool:
    """False until ``ckan db upgrade -p hamm`` made the table: the dataset page must not fail before."""
    return sa.inspect(model.Session.connection()).has_table(InventarSchritt.__tablename__)


def steps(package_id: str) -> list[dict[str, Any]]:
    """The dataset's steps, oldest first (none before the table exists)."""
    if not _table_exists():
        return []
    rows = (model.Session.query(InventarSchritt).filter(InventarSchritt.package_id == package_id)
            .order_by(InventarSchritt.created).all())
    return [row.as_dict() for row in rows]
