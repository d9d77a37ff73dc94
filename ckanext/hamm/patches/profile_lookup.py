"""Remember where ckanext-dcat's RDF profiles live instead of searching on every request.

ckanext-dcat resolves each profile name through ``importlib.metadata.entry_points``
whenever it builds a serializer, which reads the entry-point files of every installed
distribution: 3 ms per profile, twice per DCAT page with our stack. Installed
distributions do not change while the portal runs, so the answer is kept.
"""
from __future__ import annotations

import functools
import importlib.metadata
from typing import Any

_MODULE = "ckanext.dcat.processors"


@functools.lru_cache(maxsize=64)
def _lookup(selection: tuple[tuple[str, str], ...]) -> Any:
    return importlib.metadata.entry_points(**dict(selection))


def entry_points(**selection: str) -> Any:
    """``importlib.metadata.entry_points`` with keyword selection, answered from memory."""
    if not selection:
        return importlib.metadata.entry_points()
    return _lookup(tuple(sorted(selection.items())))


def install() -> None:
    """Point ckanext-dcat's serializer and parser at the remembered lookup (idempotent)."""
    importlib.import_module(_MODULE).entry_points = entry_points  # type: ignore[attr-defined]
