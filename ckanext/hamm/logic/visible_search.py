"""Searches on behalf of the visitor: pages and helpers count and list only what they may see.

One place, because a page that searched with an elevated context would show private
datasets in counts and lists (pages, home page helpers and concept cards all use it).
"""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

EMPTY_RESULT: dict[str, Any] = {"count": 0, "results": [], "search_facets": {}, "facets": {}}


def search_as_current_user(data_dict: dict[str, Any]) -> dict[str, Any]:
    """``package_search`` as the current user (never elevated); an unparsable query finds nothing."""
    context = {"user": tk.current_user.name if tk.current_user.is_authenticated else ""}
    try:
        return tk.get_action("package_search")(context, data_dict)
    except (tk.ValidationError, tk.ObjectNotFound):
        return dict(EMPTY_RESULT)


def concept_counts(dimension: str) -> dict[str, int]:
    """Number of visible datasets per concept of a dimension (``vocab_<dimension>`` facet)."""
    field = f"vocab_{dimension}"
    result = search_as_current_user({"q": "", "rows": 0, "facet.field": [field], "facet.limit": -1})
    return dict(result.get("facets", {}).get(field, {}))
