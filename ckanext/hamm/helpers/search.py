"""Template helpers for the search results page: the zero-hit suggestion."""
from __future__ import annotations

from typing import Any, Optional

from ckanext.hamm.search import suggest

__all__ = ["hamm_get_search_suggestion"]




def hamm_get_search_suggestion(q: Optional[str]) -> Optional[dict[str, Any]]:
    """"Meinten Sie …?" for a query without hits: the corrected query and its first datasets."""
    return suggest.suggestion(q or "")
