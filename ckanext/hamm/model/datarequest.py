"""Tables of the Datenwunsch (data request) feature: requests, votes and their history.

Created by the ``hamm`` plugin's alembic migrations (``ckan db upgrade -p hamm``),
never by ``metadata.create_all``. ``vote_count`` is kept on the request row so the
public list can sort by demand without counting votes on every page view.
"""
from __future__ import annotations

import datetime
from typing import Any, Optional

import ckan.model.meta as meta
import ckan.model.types as _types
from ckan.model.base import BaseModel
from ckan.model.domain_object import DomainObject
from sqlalchemy import Column, ForeignKey, Index, Table, UniqueConstraint, types
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped

__all__ = ["DataRequest", "DataRequestVote", "DataRequestHistory", "STATUSES", "OPEN_STATUSES"]

# The order is the workflow; "abgelehnt" may end any open request.
STATUSES = ("neu", "in_pruefung", "geplant", "veroeffentlicht", "abgelehnt")
OPEN_STATUSES = ("neu", "in_pruefung", "geplant")
CLOSED_STATUSES = ("veroeffentlicht", "abgelehnt")


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


class DataRequest(DomainObject, BaseModel):
    """A wish for data; ``email`` is private to the staff who triage it."""

    __table__ = Table(
        "hamm_datarequest",
        BaseModel.metadata,
        Column("id", types.UnicodeText, primary_key=True, default=_types.make_uuid),
        Column("title", types.UnicodeText, nullable=False),
        Column("description", types.UnicodeText, nullable=False),
        Column("handlungsfeld", types.UnicodeText),
        Column("zielgruppe", types.UnicodeText),
        Column("persona", types.UnicodeText),
        Column("email", types.UnicodeText),
        Column("owner_org", types.UnicodeText, ForeignKey("group.id", ondelete="SET NULL")),
        Column("status", types.UnicodeText, nullable=False, default="neu"),
        Column("status_reason", types.UnicodeText),
        Column("dataset_id", types.UnicodeText, ForeignKey("package.id", ondelete="SET NULL")),
        Column("user_id", types.UnicodeText, ForeignKey("user.id", ondelete="SET NULL")),
        Column("language", types.UnicodeText),
        Column("vote_count", types.Integer, nullable=False, default=0),
        Column("created", types.DateTime, nullable=False, default=_now),
        Column("modified", types.DateTime, nullable=False, default=_now),
        Index("hamm_datarequest_status_idx", "status", "created"),
        Index("hamm_datarequest_org_idx", "owner_org"),
    )

    id: Mapped[str]
    title: Mapped[str]
    description: Mapped[str]
    handlungsfeld: Mapped[str]
    zielgruppe: Mapped[str]
    persona: Mapped[Optional[str]]
    email: Mapped[Optional[str]]
    owner_org: Mapped[Optional[str]]
    status: Mapped[str]
    status_reason: Mapped[Optional[str]]
    dataset_id: Mapped[Optional[str]]
    user_id: Mapped[Optional[str]]
    language: Mapped[Optional[str]]
    vote_count: Mapped[int]
    created: Mapped[datetime.datetime]
    modified: Mapped[datetime.datetime]

    @classmethod
    def get(cls, id: Optional[str]) -> Optional["DataRequest"]:
        if not id or not isinstance(id, str):
            return None
        return meta.Session.get(cls, id)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class DataRequestVote(DomainObject, BaseModel):
    """One "Ich brauche das auch" per voter: ``voter`` is ``user:<id>`` or a hashed cookie.

    ``client`` is a keyed hash of the network address, never the address itself;
    it caps how many votes one address can give to one request.
    """

    __table__ = Table(
        "hamm_datarequest_vote",
        BaseModel.metadata,
        Column("id", types.UnicodeText, primary_key=True, default=_types.make_uuid),
        Column("datarequest_id", types.UnicodeText,
               ForeignKey("hamm_datarequest.id", ondelete="CASCADE"), nullable=False),
        Column("voter", types.UnicodeText, nullable=False),
        Column("client", types.UnicodeText, nullable=False),
        Column("created", types.DateTime, nullable=False, default=_now),
        UniqueConstraint("datarequest_id", "voter", name="hamm_datarequest_vote_once"),
        Index("hamm_datarequest_vote_client_idx", "datarequest_id", "client"),
    )

    id: Mapped[str]
    datarequest_id: Mapped[str]
    voter: Mapped[str]
    client: Mapped[str]
    created: Mapped[datetime.datetime]


class DataRequestHistory(DomainObject, BaseModel):
    """Every change of a request: who, when, status before/after and the changed fields."""

    __table__ = Table(
        "hamm_datarequest_history",
        BaseModel.metadata,
        Column("id", types.UnicodeText, primary_key=True, default=_types.make_uuid),
        Column("datarequest_id", types.UnicodeText,
               ForeignKey("hamm_datarequest.id", ondelete="CASCADE"), nullable=False),
        Column("timestamp", types.DateTime, nullable=False, default=_now),
        Column("user_id", types.UnicodeText, ForeignKey("user.id", ondelete="SET NULL")),
        Column("old_status", types.UnicodeText),
        Column("new_status", types.UnicodeText, nullable=False),
        Column("reason", types.UnicodeText),
        Column("changes", JSONB, nullable=False, default=dict),
        Index("hamm_datarequest_history_idx", "datarequest_id", "timestamp"),
    )

    id: Mapped[str]
    datarequest_id: Mapped[str]
    timestamp: Mapped[datetime.datetime]
    user_id: Mapped[Optional[str]]
    old_status: Mapped[Optional[str]]
    new_status: Mapped[str]
    reason: Mapped[Optional[str]]
    changes: Mapped[dict[str, Any]]
