"""Create hamm_usage: page views and downloads per dataset and day, no personal data.

Revision ID: f1a8c3e5d7b9
Revises: e3f9b7c2a4d1
Create Date: 2026-12-07
"""
import sqlalchemy as sa
from alembic import op

revision = "f1a8c3e5d7b9"
down_revision = "e3f9b7c2a4d1"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "hamm_usage",
        sa.Column("package_id", sa.UnicodeText, sa.ForeignKey("package.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("day", sa.Date, primary_key=True),
        sa.Column("kind", sa.UnicodeText, primary_key=True),
        sa.Column("count", sa.Integer, nullable=False, server_default="0"),
    )
    op.create_index("idx_hamm_usage_day", "hamm_usage", ["day", "kind"])


def downgrade():
    op.drop_table("hamm_usage")
