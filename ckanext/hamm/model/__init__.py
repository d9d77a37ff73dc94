"""Tables of the ``hamm`` plugin, one module per table; created by the alembic
migrations in ``migration/hamm`` (``ckan db upgrade -p hamm``)."""
