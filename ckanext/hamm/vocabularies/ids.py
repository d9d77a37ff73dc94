"""Reading a list of concept ids (or theme URIs) in every form it arrives in.

A form posts a string or a list, the database gives JSON text back, PostgreSQL
array text (``{a,b}``) appears in search documents, and ckanext-dcat leaves JSON
lists as text. Validators, the index, helpers, the profile and the harvester all
read the same field, so they read it here.
"""
from __future__ import annotations

import json
from typing import Any


def parse_ids(value: Any) -> list[str] | None:
    """The ids in ``value``, or None when it cannot be read as a list (the validator reports that)."""
    if value is None or value == "" or (not isinstance(value, (str, list, tuple)) and not value):
        return []
    if isinstance(value, (list, tuple)):
        return [str(v).strip() for v in value if v not in (None, "")]
    if not isinstance(value, str):
        return None
    text = value.strip()
    if text.startswith("["):
        try:
            parsed = json.loads(text)
        except ValueError:
            return None
        return [str(v).strip() for v in parsed if v not in (None, "")] if isinstance(parsed, list) else None
    if text.startswith("{") and text.endswith("}"):
        text = text[1:-1]
    return [part.strip() for part in text.split(",") if part.strip()]


def ids(value: Any) -> list[str]:
    """The ids in ``value`` for display and indexing: unreadable text counts as one id."""
    parsed = parse_ids(value)
    if parsed is not None:
        return parsed
    return [value.strip()] if isinstance(value, str) and value.strip() else []
