"""Which RVR dataset each Hamm-mastered dataset is (table ``hamm_rvr_publish``).

A row means Hamm is the master: the publisher writes to ``remote_id`` and the
``hamm_rvr`` harvester leaves that remote dataset alone. Rows come from a first
publish or from a takeover of a harvested dataset. The API token is never here.
"""
from __future__ import annotations

import datetime
from typing import Optional

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model
from sqlalchemy.orm import Mapped, mapped_column

TABLE = "hamm_rvr_publish"


class RvrLink(tk.BaseModel):
    __tablename__ = TABLE

    package_id: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True)
    remote_id: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False, unique=True)
    remote_name: Mapped[Optional[str]] = mapped_column(sa.UnicodeText)
    remote_modified: Mapped[Optional[str]] = mapped_column(sa.UnicodeText)  # RVR's metadata_modified after our write
    fingerprint: Mapped[Optional[str]] = mapped_column(sa.UnicodeText)      # what we last sent (None: never sent)
    rules_version: Mapped[Optional[str]] = mapped_column(sa.UnicodeText)
    source_modified: Mapped[Optional[datetime.datetime]] = mapped_column(sa.DateTime)  # Hamm's, when we last sent
    published: Mapped[Optional[datetime.datetime]] = mapped_column(sa.DateTime)
    remote_deleted: Mapped[Optional[datetime.datetime]] = mapped_column(sa.DateTime)
    taken_over_by: Mapped[Optional[str]] = mapped_column(sa.UnicodeText)
    taken_over: Mapped[Optional[datetime.datetime]] = mapped_column(sa.DateTime)


def table_exists() -> bool:
    """False before ``ckan db upgrade -p hamm``: then nothing is Hamm-mastered yet (one catalogue lookup)."""
    return sa.inspect(model.Session.connection()).has_table(TABLE)


def hamm_mastered_package_ids() -> set[str]:
    """Local datasets Hamm masters (the harvester must neither update nor withdraw them)."""
    if not table_exists():
        return set()
    return {row[0] for row in model.Session.query(RvrLink.package_id)}


def get(package_id: str) -> Optional[RvrLink]:
    return model.Session.get(RvrLink, package_id) if table_exists() else None


def all_links() -> dict[str, RvrLink]:
    return {link.package_id: link for link in model.Session.query(RvrLink)}
