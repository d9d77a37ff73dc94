"""Create hamm_rvr_publish: which RVR dataset each Hamm-mastered dataset is.

Revision ID: c5e2a9d4f1b3
Revises: b4d82f61c9a0
Create Date: 2026-12-05
"""
import sqlalchemy as sa
from alembic import op

revision = "c5e2a9d4f1b3"
down_revision = "b4d82f61c9a0"
branch_labels = None
depends_on = None


def upgrade():
    # No foreign key to package: a purged dataset must still be deleted at RVR.
    op.create_table(
        "hamm_rvr_publish",
        sa.Column("package_id", sa.UnicodeText, primary_key=True),
        sa.Column("remote_id", sa.UnicodeText, nullable=False, unique=True),
        sa.Column("remote_name", sa.UnicodeText),
        sa.Column("remote_modified", sa.UnicodeText),
        sa.Column("fingerprint", sa.UnicodeText),
        sa.Column("rules_version", sa.UnicodeText),
        sa.Column("source_modified", sa.DateTime),
        sa.Column("published", sa.DateTime),
        sa.Column("remote_deleted", sa.DateTime),
        sa.Column("taken_over_by", sa.UnicodeText),
        sa.Column("taken_over", sa.DateTime),
    )


def downgrade():
    op.drop_table("hamm_rvr_publish")
