"""hamm_inventar_schritt keeps field changes, too: every change of Zugang and Datenschutz decision.

Revision ID: e3f9b7c2a4d1
Revises: d7a4c1e9b2f6
Create Date: 2026-12-07
"""
import sqlalchemy as sa
from alembic import op

revision = "e3f9b7c2a4d1"
down_revision = "d7a4c1e9b2f6"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("hamm_inventar_schritt",
                  sa.Column("kind", sa.UnicodeText, nullable=False, server_default="schritt"))
    op.add_column("hamm_inventar_schritt", sa.Column("field", sa.UnicodeText))
    op.add_column("hamm_inventar_schritt", sa.Column("old_value", sa.UnicodeText))
    op.add_column("hamm_inventar_schritt", sa.Column("new_value", sa.UnicodeText))


def downgrade():
    op.execute("DELETE FROM hamm_inventar_schritt WHERE kind = 'feld'")
    for column in ("new_value", "old_value", "field", "kind"):
        op.drop_column("hamm_inventar_schritt", column)
