"""Search index: German compound parts (dictionary, text search configurations, functions).

Documents indexed before this migration have no compound parts until
``ckan search-index rebuild`` indexes them again.

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
    table.create(op.get_bind())


def downgrade():
    op.execute(table.DROP_COMPOUND_STATEMENT)
