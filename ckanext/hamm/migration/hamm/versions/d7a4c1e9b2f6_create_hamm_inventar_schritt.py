"""Create hamm_inventar_schritt: the history of the Dateninventur's workflow steps.

Revision ID: d7a4c1e9b2f6
Revises: d8b3f1a6e2c7
Create Date: 2026-12-05
"""
import sqlalchemy as sa
from alembic import op

revision = "d7a4c1e9b2f6"
down_revision = "d8b3f1a6e2c7"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "hamm_inventar_schritt",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("package_id", sa.UnicodeText, sa.ForeignKey("package.id", ondelete="CASCADE"), nullable=False),
        sa.Column("from_state", sa.UnicodeText, nullable=False),
        sa.Column("to_state", sa.UnicodeText, nullable=False),
        sa.Column("decision", sa.UnicodeText),
        sa.Column("note", sa.UnicodeText),
        sa.Column("user_name", sa.UnicodeText, nullable=False),
        sa.Column("created", sa.DateTime, nullable=False),
    )
    op.create_index("idx_hamm_inventar_schritt_package", "hamm_inventar_schritt", ["package_id", "created"])


def downgrade():
    op.drop_table("hamm_inventar_schritt")
