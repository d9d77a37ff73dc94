"""Blueprints of ckanext-hamm, one module per area, collected here."""
from __future__ import annotations

__all__: list[str] = []
