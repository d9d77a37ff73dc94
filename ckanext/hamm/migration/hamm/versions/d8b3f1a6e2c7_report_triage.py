"""Triage of "Fehler melden" reports: a status (neu / in_bearbeitung / erledigt) instead of
open/closed, a modification time and a history of staff changes and replies.

Revision ID: d8b3f1a6e2c7
Revises: c5e7a2d94b18
Create Date: 2026-12-05
"""
import sqlalchemy as sa
from alembic import op

revision = "d8b3f1a6e2c7"
down_revision = "c5e7a2d94b18"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("hamm_report", sa.Column("status", sa.UnicodeText, nullable=False, server_default="neu"))
    op.add_column("hamm_report", sa.Column("modified", sa.DateTime, nullable=True))
    op.execute("UPDATE hamm_report SET status = CASE WHEN state = 'closed' THEN 'erledigt' ELSE 'neu' END, "
               "modified = created")
    op.drop_column("hamm_report", "state")
    op.create_index("hamm_report_org_status_idx", "hamm_report", ["owner_org", "status"])
    op.create_table(
        "hamm_report_history",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("report_id", sa.UnicodeText, sa.ForeignKey("hamm_report.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("timestamp", sa.DateTime, nullable=False, server_default=sa.func.now()),
        sa.Column("user_id", sa.UnicodeText, sa.ForeignKey("user.id", ondelete="SET NULL"), nullable=True),
        sa.Column("old_status", sa.UnicodeText, nullable=True),
        sa.Column("new_status", sa.UnicodeText, nullable=False),
        sa.Column("note", sa.UnicodeText, nullable=True),
        sa.Column("reply", sa.UnicodeText, nullable=True),
        sa.Column("reply_sent", sa.Boolean, nullable=False, server_default=sa.false()),
    )
    op.create_index("hamm_report_history_idx", "hamm_report_history", ["report_id", "timestamp"])


def downgrade():
    op.drop_table("hamm_report_history")
    op.drop_index("hamm_report_org_status_idx", "hamm_report")
    op.add_column("hamm_report", sa.Column("state", sa.UnicodeText, nullable=False, server_default="open"))
    op.execute("UPDATE hamm_report SET state = CASE WHEN status = 'erledigt' THEN 'closed' ELSE 'open' END")
    op.drop_column("hamm_report", "modified")
    op.drop_column("hamm_report", "status")
