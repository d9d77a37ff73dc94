"""Search index layout 2: visibility columns, inline facet arrays, out-of-line documents.

The index is derived data, so the table is replaced rather than converted:
run ``ckan search-index rebuild`` after this migration.

Revision ID: 7c3e91a4d5f2
Revises: 5a1c0e7d2b11
Create Date: 2026-11-22
"""
from alembic import op

from ckanext.hamm.search import table

revision = "7c3e91a4d5f2"
down_revision = "5a1c0e7d2b11"
branch_labels = None
depends_on = None


def upgrade():
    op.execute(table.DROP_STATEMENT)
    table.create(op.get_bind())


def downgrade():
    # Layout 1 is no longer built by this code; the next search re-creates layout 2.
    op.execute(table.DROP_STATEMENT)
