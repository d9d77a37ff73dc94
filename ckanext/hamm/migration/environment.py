"""The Alembic environment both ckanext-hamm plugins' migrations run in.

Each plugin keeps its own version table (``<folder>_alembic_version``), as CKAN
expects of plugin migrations; only the folder differs, so the body lives here once.
"""
from __future__ import annotations

import os

from alembic import context
from sqlalchemy import engine_from_config, pool


def run(env_file: str) -> None:
    """Run the migrations of the plugin whose ``env.py`` is ``env_file``."""
    config = context.config
    # No logging.config.fileConfig(alembic.ini) here (CKAN's own env.py leaves it out too):
    # migrations run inside a CKAN process whose logging is already set up, and fileConfig would
    # disable every existing logger of that process (a test's clean_db silenced ckanext.hamm).
    version_table = f"{os.path.basename(os.path.dirname(env_file))}_alembic_version"
    if context.is_offline_mode():
        context.configure(url=config.get_main_option("sqlalchemy.url"), literal_binds=True,
                          version_table=version_table)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = engine_from_config(config.get_section(config.config_ini_section) or {},
                                prefix="sqlalchemy.", poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection, version_table=version_table)
        with context.begin_transaction():
            context.run_migrations()
