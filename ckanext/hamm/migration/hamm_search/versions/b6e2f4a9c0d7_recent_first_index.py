"""Search index layout 3.1: an index in CKAN's default order (newest first, then index id).

Replaces the plain ``metadata_modified`` index. Only an index changes, built from the
rows already there: no ``ckan search-index rebuild`` is needed.

Revision ID: b6e2f4a9c0d7
Revises: 9d4b2e6f1a83
Create Date: 2026-12-05
"""
from alembic import op

from ckanext.hamm.search import table

revision = "b6e2f4a9c0d7"
down_revision = "9d4b2e6f1a83"
branch_labels = None
depends_on = None


def upgrade():
    for statement in table.RECENT_INDEX_STATEMENTS:
        op.execute(statement)


def downgrade():
    op.execute(f"DROP INDEX IF EXISTS {table.TABLE}_recent_idx")
    op.execute(f"CREATE INDEX IF NOT EXISTS {table.TABLE}_modified_idx ON {table.TABLE} (metadata_modified)")
