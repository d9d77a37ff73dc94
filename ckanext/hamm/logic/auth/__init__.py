"""Auth functions of ckanext-hamm, one per action, same names; one module per area."""
from __future__ import annotations

__all__: list[str] = []
