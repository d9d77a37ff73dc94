"""Search index layout 3: German compound parts (dictionary, text search configurations,
functions) and the ``made_here`` column that ranks the city's own datasets before harvested ones.

The index is derived data, so the table is replaced rather than converted:
run ``ckan search-index rebuild`` after this migration.

Revision ID: 9d4b2e6f1a83
Revises: 7c3e91a4d5f2
Create Date: 2026-12-05
"""
from alembic import op

from ckanext.hamm.search import table

revision = "9d4b2e6f1a83"
down_revision = "7c3e91a4d5f2"
branch_labels = None
depends_on = None


def upgrade():
    op.execute(table.DROP_STATEMENT)
    table.create(op.get_bind())


def downgrade():
    # Layout 2 is no longer built by this code; the next search re-creates layout 3.
    op.execute(table.DROP_STATEMENT)
    op.execute(table.DROP_COMPOUND_STATEMENT)
