"""The inventory's history: one row per workflow step and one per change of a watched field.

A table of its own rather than CKAN's activity stream: the activity plugin is not
loaded on this portal, and the Kennzahlen need the steps as data (oldest open
decisions), not as rendered activities.

Two kinds of rows (column ``kind``):

- ``schritt``: a workflow step, from which state to which, with the decision and note;
- ``feld``: a change of a watched field (``field``, ``old_value`` → ``new_value``; which
  fields is the inventory's rule, ``inventory.WATCHED``), whoever made it and on whichever
  path (workflow, form, API, import, harvest). A step's own changes carry the step's time
  and follow it.
"""
from __future__ import annotations

import datetime
import uuid
from typing import Any, Iterable, Optional

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model
from sqlalchemy.orm import Mapped, mapped_column

STEP, CHANGE = "schritt", "feld"
# Optional reason for a field change over the API (``package_update``/``package_patch``), kept in the history.
REASON_KEY = "hamm_begruendung"
# A workflow step collects the changes of its own package_patch here (a list in the context).
CHANGES_CONTEXT_KEY = "hamm_inventory_changes"


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
    kind: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False, default=STEP, server_default=STEP)
    field: Mapped[Optional[str]] = mapped_column(sa.UnicodeText)
    old_value: Mapped[Optional[str]] = mapped_column(sa.UnicodeText)
    new_value: Mapped[Optional[str]] = mapped_column(sa.UnicodeText)

    def as_dict(self) -> dict[str, Any]:
        row = {"kind": self.kind or STEP, "from": self.from_state, "to": self.to_state, "decision": self.decision,
               "note": self.note, "user": self.user_name,
               "created": self.created.isoformat() if self.created else None}
        if row["kind"] == CHANGE:
            row.update({"field": self.field, "old": self.old_value, "new": self.new_value})
        return row


def record(package_id: str, from_state: str, to_state: str, user_name: str,
           decision: Optional[str] = None, note: Optional[str] = None,
           changed: Iterable[tuple[str, str, str]] = ()) -> InventarSchritt:
    """A workflow step and the field changes it made, in this order, in one commit."""
    when = datetime.datetime.utcnow()
    step = InventarSchritt(package_id=package_id, from_state=from_state, to_state=to_state,
                           user_name=user_name, decision=decision, note=note or None, created=when)
    model.Session.add(step)
    _add_changes(package_id, to_state, user_name, None, changed, when)
    model.Session.commit()
    return step


def record_changes(package_id: str, state: str, user_name: str, changed: Iterable[tuple[str, str, str]],
                   note: Optional[str] = None, commit: bool = True) -> None:
    """Field changes made outside the workflow (form, API, import, harvest)."""
    changed = list(changed)
    if changed and _table_exists():
        _add_changes(package_id, state, user_name, note, changed, datetime.datetime.utcnow())
        if commit:
            model.Session.commit()


def _add_changes(package_id: str, state: str, user_name: str, note: Optional[str],
                 changed: Iterable[tuple[str, str, str]], when: datetime.datetime) -> None:
    for number, (field, old, new) in enumerate(changed, start=1):
        model.Session.add(InventarSchritt(
            package_id=package_id, from_state=state, to_state=state, user_name=user_name or "?", note=note or None,
            kind=CHANGE, field=field, old_value=old, new_value=new,
            created=when + datetime.timedelta(microseconds=number)))


def _table_exists() -> bool:
    """False until ``ckan db upgrade -p hamm`` made the table: the dataset page must not fail before."""
    return sa.inspect(model.Session.connection()).has_table(InventarSchritt.__tablename__)


def steps(package_id: str) -> list[dict[str, Any]]:
    """The dataset's steps and field changes, oldest first (none before the table exists)."""
    if not _table_exists():
        return []
    rows = (model.Session.query(InventarSchritt).filter(InventarSchritt.package_id == package_id)
            .order_by(InventarSchritt.created).all())
    return [row.as_dict() for row in rows]


def latest_old_value(package_id: str, field: str) -> Optional[str]:
    """The value ``field`` had before its latest change; None if it never changed (or was empty)."""
    if not _table_exists():
        return None
    row = (model.Session.query(InventarSchritt.old_value)
           .filter(InventarSchritt.package_id == package_id, InventarSchritt.kind == CHANGE,
                   InventarSchritt.field == field)
           .order_by(InventarSchritt.created.desc()).first())
    return row[0] if row and row[0] else None


def ever_changed(package_id: str, field: str) -> bool:
    """``field`` of the entry was changed at least once."""
    if not _table_exists():
        return False
    return model.Session.query(
        model.Session.query(InventarSchritt).filter(
            InventarSchritt.package_id == package_id, InventarSchritt.kind == CHANGE,
            InventarSchritt.field == field).exists()).scalar()
