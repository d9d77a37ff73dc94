"""Create hamm_link_check: the history of resource URL checks.

Revision ID: a9c4e2f7b1d3
Revises: f1a8c3e5d7b9
Create Date: 2026-12-08
"""
import sqlalchemy as sa
from alembic import op

revision = "a9c4e2f7b1d3"
down_revision = "f1a8c3e5d7b9"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "hamm_link_check",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("resource_id", sa.UnicodeText, nullable=False),
        sa.Column("package_id", sa.UnicodeText, sa.ForeignKey("package.id", ondelete="CASCADE"), nullable=False),
        sa.Column("url", sa.UnicodeText, nullable=False),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("outcome", sa.UnicodeText, nullable=False),
        sa.Column("status", sa.Integer),
        sa.Column("content_type", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("size", sa.BigInteger),
        sa.Column("elapsed_ms", sa.Integer, nullable=False, server_default="0"),
        sa.Column("final_url", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("method", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("detail", sa.UnicodeText, nullable=False, server_default=""),
    )
    op.create_index("idx_hamm_link_check_resource", "hamm_link_check", ["resource_id", "checked_at"])
    op.create_index("idx_hamm_link_check_package", "hamm_link_check", ["package_id"])


def downgrade():
    op.drop_table("hamm_link_check")
