"""Create the hamm_search_index table.

Revision ID: 5a1c0e7d2b11
Revises:
Create Date: 2026-11-22
"""
from alembic import op

from ckanext.hamm.search import table

revision = "5a1c0e7d2b11"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    table.create(op.get_bind())


def downgrade():
    op.execute(table.DROP_STATEMENT)
