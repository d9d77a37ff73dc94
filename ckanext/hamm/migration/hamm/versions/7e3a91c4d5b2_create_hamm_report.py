"""Create the hamm_report table for "Fehler melden" reports on datasets.

First revision of the ``hamm`` plugin's migrations; later ones (e.g. data
requests) chain after it.

Revision ID: 7e3a91c4d5b2
Revises:
Create Date: 2026-11-23
"""
import sqlalchemy as sa
from alembic import op

revision = "7e3a91c4d5b2"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "hamm_report",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("package_id", sa.UnicodeText,
                  sa.ForeignKey("package.id", ondelete="CASCADE"), nullable=False),
        sa.Column("owner_org", sa.UnicodeText, nullable=True),
        sa.Column("category", sa.UnicodeText, nullable=False),
        sa.Column("message", sa.UnicodeText, nullable=False),
        sa.Column("email", sa.UnicodeText, nullable=True),
        sa.Column("language", sa.UnicodeText, nullable=True),
        sa.Column("state", sa.UnicodeText, nullable=False, server_default="open"),
        sa.Column("created", sa.DateTime, nullable=False, server_default=sa.func.now()),
    )
    op.create_index("hamm_report_owner_org_idx", "hamm_report", ["owner_org", "created"])
    op.create_index("hamm_report_package_id_idx", "hamm_report", ["package_id"])


def downgrade():
    op.drop_table("hamm_report")
