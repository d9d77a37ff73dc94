"""Validators (``hamm_<verb>_<noun>``) used by the scheming schema."""
from __future__ import annotations

__all__: list[str] = []
