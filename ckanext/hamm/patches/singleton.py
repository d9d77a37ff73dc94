"""One instance per plugin class, also for a plugin class that inherits from another.

CKAN's ``SingletonPlugin.__new__`` finds its instance with ``hasattr(cls, "_instance")``,
which also sees the parent class's instance: a subclass made after its parent *is* the
parent (``hamm_dcat`` then registered as a second ``hamm_rvr``; ``hamm_geojson_view``
became ``geojson_view``). Mixed in before the CKAN base, this looks only at the class itself.
"""
from __future__ import annotations

from typing import Any


class OwnInstance:
    """Mixin for plugin classes that inherit from another plugin class."""

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        if "_instance" not in cls.__dict__:
            cls._instance = object.__new__(cls)
        return cls.__dict__["_instance"]
