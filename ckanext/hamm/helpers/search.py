"""Template helpers for the search results page: "Meinten Sie …?" on a page without hits."""
from __future__ import annotations

from typing import Any, Optional

from ckanext.hamm.logic.visible_search import search_as_current_user
from ckanext.hamm.search import suggest

__all__ = ["hamm_get_search_suggestion"]

PAGE_SORT = "score desc, metadata_modified desc"  # /dataset's default order


def _search(query: str, rows: int) -> dict[str, Any]:
    return search_as_current_user({"q": query, "rows": rows, "sort": PAGE_SORT})


def hamm_get_search_suggestion(q: Optional[str], rows: int = 5) -> Optional[dict[str, Any]]:
    """For a query without hits: ``{"q": corrected query, "count": …, "results": first datasets}``,
    or None when the catalogue has no close words or the correction finds nothing either."""
    query = (q or "").strip()
    if not query or ":" in query:  # field queries are for experts: nothing to guess
        return None
    fixed = suggest.corrected(query)
    found = _search(fixed, rows) if fixed else None
    if not found or not found["count"]:
        return None
    return {"q": fixed, "count": found["count"], "results": found["results"]}


def page_names(query: str, rows: int = 10) -> list[str]:
    """Names the ``/dataset`` page lists first for ``query``, including the datasets its
    "Meinten Sie …?" shows when the query itself finds nothing (``bench/relevance.py``)."""
    found = _search(query, rows)
    if not found["count"]:
        suggested = hamm_get_search_suggestion(query, rows)
        return [d["name"] for d in suggested["results"]] if suggested else []
    return [d["name"] for d in found["results"]]
