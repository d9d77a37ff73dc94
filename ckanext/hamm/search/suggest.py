"""What the ``/dataset`` page does with a citizen's query."""
from __future__ import annotations

import ckan.plugins.toolkit as tk


def page_names(query: str, rows: int = 10, lang: str = "de") -> list[str]:
    """Dataset names the search page lists first for ``query`` (anonymous visitor)."""
    result = tk.get_action("package_search")(
        {"user": "", "ignore_auth": False},
        {"q": query, "rows": rows, "sort": "score desc, metadata_modified desc"})
    return [d["name"] for d in result["results"]]
