"""Actions of ckanext-hamm, one module per area; registered by the ``hamm`` plugin's blanket.

Each action has an auth function of the same name in ``logic/auth`` and calls
``check_access`` first (``tests/logic/test_auth_coverage.py`` enforces it).
"""
from __future__ import annotations

__all__: list[str] = []
