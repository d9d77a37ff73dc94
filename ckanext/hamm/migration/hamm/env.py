"""Alembic environment of the ``hamm`` plugin (the shared body: ../environment.py)."""
from ckanext.hamm.migration.environment import run

run(__file__)
