"""Handlungsfeld and Zielgruppe of a data request become optional (staff set them in triage).

Revision ID: c5e7a2d94b18
Revises: c5e2a9d4f1b3
Create Date: 2026-12-05
"""
from alembic import op

revision = "c5e7a2d94b18"
down_revision = "c5e2a9d4f1b3"
branch_labels = None
depends_on = None


def upgrade():
    op.alter_column("hamm_datarequest", "handlungsfeld", nullable=True)
    op.alter_column("hamm_datarequest", "zielgruppe", nullable=True)


def downgrade():
    op.execute("UPDATE hamm_datarequest SET handlungsfeld = '' WHERE handlungsfeld IS NULL")
    op.execute("UPDATE hamm_datarequest SET zielgruppe = '' WHERE zielgruppe IS NULL")
    op.alter_column("hamm_datarequest", "handlungsfeld", nullable=False)
    op.alter_column("hamm_datarequest", "zielgruppe", nullable=False)
