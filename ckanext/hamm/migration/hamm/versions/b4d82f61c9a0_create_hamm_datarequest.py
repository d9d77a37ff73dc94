"""Create the Datenwunsch tables: requests, votes and their change history.

Revision ID: b4d82f61c9a0
Revises: 7e3a91c4d5b2
Create Date: 2026-11-23
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "b4d82f61c9a0"
down_revision = "7e3a91c4d5b2"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "hamm_datarequest",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("title", sa.UnicodeText, nullable=False),
        sa.Column("description", sa.UnicodeText, nullable=False),
        sa.Column("handlungsfeld", sa.UnicodeText, nullable=False),
        sa.Column("zielgruppe", sa.UnicodeText, nullable=False),
        sa.Column("persona", sa.UnicodeText),
        sa.Column("email", sa.UnicodeText),
        sa.Column("owner_org", sa.UnicodeText, sa.ForeignKey("group.id", ondelete="SET NULL")),
        sa.Column("status", sa.UnicodeText, nullable=False, server_default="neu"),
        sa.Column("status_reason", sa.UnicodeText),
        sa.Column("dataset_id", sa.UnicodeText, sa.ForeignKey("package.id", ondelete="SET NULL")),
        sa.Column("user_id", sa.UnicodeText, sa.ForeignKey("user.id", ondelete="SET NULL")),
        sa.Column("language", sa.UnicodeText),
        sa.Column("vote_count", sa.Integer, nullable=False, server_default="0"),
        sa.Column("created", sa.DateTime, nullable=False, server_default=sa.func.now()),
        sa.Column("modified", sa.DateTime, nullable=False, server_default=sa.func.now()),
    )
    op.create_index("hamm_datarequest_status_idx", "hamm_datarequest", ["status", "created"])
    op.create_index("hamm_datarequest_org_idx", "hamm_datarequest", ["owner_org"])
    op.create_table(
        "hamm_datarequest_vote",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("datarequest_id", sa.UnicodeText,
                  sa.ForeignKey("hamm_datarequest.id", ondelete="CASCADE"), nullable=False),
        sa.Column("voter", sa.UnicodeText, nullable=False),
        sa.Column("client", sa.UnicodeText, nullable=False),
        sa.Column("created", sa.DateTime, nullable=False, server_default=sa.func.now()),
        sa.UniqueConstraint("datarequest_id", "voter", name="hamm_datarequest_vote_once"),
    )
    op.create_index("hamm_datarequest_vote_client_idx", "hamm_datarequest_vote",
                    ["datarequest_id", "client"])
    op.create_table(
        "hamm_datarequest_history",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("datarequest_id", sa.UnicodeText,
                  sa.ForeignKey("hamm_datarequest.id", ondelete="CASCADE"), nullable=False),
        sa.Column("timestamp", sa.DateTime, nullable=False, server_default=sa.func.now()),
        sa.Column("user_id", sa.UnicodeText, sa.ForeignKey("user.id", ondelete="SET NULL")),
        sa.Column("old_status", sa.UnicodeText),
        sa.Column("new_status", sa.UnicodeText, nullable=False),
        sa.Column("reason", sa.UnicodeText),
        sa.Column("changes", JSONB, nullable=False, server_default=sa.text("'{}'::jsonb")),
    )
    op.create_index("hamm_datarequest_history_idx", "hamm_datarequest_history",
                    ["datarequest_id", "timestamp"])


def downgrade():
    op.drop_table("hamm_datarequest_history")
    op.drop_table("hamm_datarequest_vote")
    op.drop_table("hamm_datarequest")
