"""The ``hamm_search_index`` table: its DDL, and a cheap check that it exists.

The migration creates the table. CKAN's test fixtures (``reset_db``) drop every
table in the database and re-create only core's, so the backend re-creates the
table itself when it finds it missing instead of failing every later test.
"""
from __future__ import annotations

import logging

import sqlalchemy as sa

log = logging.getLogger(__name__)

TABLE = "hamm_search_index"

CREATE_STATEMENTS = (
    f"""
    CREATE TABLE IF NOT EXISTS {TABLE} (
        index_id text PRIMARY KEY,
        id text NOT NULL,
        site_id text NOT NULL,
        name text,
        title_string text,
        metadata_created timestamptz,
        metadata_modified timestamptz,
        fields jsonb NOT NULL,
        stored jsonb NOT NULL,
        data_dict text,
        validated_data_dict text,
        tsv tsvector NOT NULL
    )
    """,
    f"CREATE INDEX IF NOT EXISTS {TABLE}_fields_idx ON {TABLE} USING gin (fields jsonb_path_ops)",
    f"CREATE INDEX IF NOT EXISTS {TABLE}_tsv_idx ON {TABLE} USING gin (tsv)",
    f"CREATE INDEX IF NOT EXISTS {TABLE}_id_idx ON {TABLE} (id)",
    f"CREATE INDEX IF NOT EXISTS {TABLE}_name_idx ON {TABLE} (name)",
    f"CREATE INDEX IF NOT EXISTS {TABLE}_modified_idx ON {TABLE} (metadata_modified)",
)

DROP_STATEMENT = f"DROP TABLE IF EXISTS {TABLE}"


def create(connection: sa.engine.Connection) -> None:
    for statement in CREATE_STATEMENTS:
        connection.execute(sa.text(statement))


def ensure(session) -> None:
    """Re-create the table (in its own transaction) if something dropped it."""
    exists = session.execute(sa.text(f"SELECT to_regclass('{TABLE}') IS NOT NULL")).scalar()
    if exists:
        return
    log.warning("Search index table %s was missing; creating it (run `ckan search-index rebuild`).", TABLE)
    with session.get_bind().engine.begin() as connection:
        create(connection)
