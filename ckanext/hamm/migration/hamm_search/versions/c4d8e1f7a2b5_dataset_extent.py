"""Search index layout 3.2: the dataset's extent (``minx`` … ``maxy``) for ``ext_bbox``.

Adds nullable columns and a GiST index over their box; existing rows have no extent
until ``ckan search-index rebuild`` (or the dataset's next update) fills them.

Revision ID: c4d8e1f7a2b5
Revises: b6e2f4a9c0d7
Create Date: 2026-12-07
"""
from alembic import op

from ckanext.hamm.search import table

revision = "c4d8e1f7a2b5"
down_revision = "b6e2f4a9c0d7"
branch_labels = None
depends_on = None


def upgrade():
    for statement in table.SPATIAL_STATEMENTS:
        op.execute(statement)


def downgrade():
    op.execute(f"DROP INDEX IF EXISTS {table.TABLE}_bbox_idx")
    for column in table.BBOX_COLUMNS:
        op.execute(f"ALTER TABLE {table.TABLE} DROP COLUMN IF EXISTS {column}")
