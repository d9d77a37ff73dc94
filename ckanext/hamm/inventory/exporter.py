"""Export of the Dateninventur in the import's layout: what a person may see, as .xlsx or .csv."""
from __future__ import annotations

from typing import Any, Iterator, Optional

import ckan.plugins.toolkit as tk

from ckanext.hamm.inventory import cells, importer, spreadsheet

PAGE = 1000


def packages(user: str, organization_id: Optional[str] = None) -> Iterator[dict[str, Any]]:
    """The datasets the user can see (private ones of their organisations included), by name."""
    search = tk.get_action("package_search")
    fq = "+dataset_type:dataset"
    if organization_id:
        fq += f' +owner_org:"{organization_id}"'
    start = 0
    while True:
        result = search({"user": user}, {"q": "*:*", "fq": fq, "rows": PAGE, "start": start, "sort": "name asc",
                                         "include_private": True, "include_drafts": False})
        yield from result["results"]
        start += PAGE
        if start >= result["count"] or not result["results"]:
            return


def rows(user: str, organization_id: Optional[str] = None) -> list[list[Any]]:
    found = cells.lookups(user, importer.VOCABULARY_FIELDS)
    return [cells.to_cells(package, found) for package in packages(user, organization_id)]


def export(kind: str, user: str, organization_id: Optional[str] = None) -> bytes:
    return spreadsheet.write(kind, rows(user, organization_id))
