"""The one reader of dates that people type: the form, the API and the inventory spreadsheet.

ISO (``2026-05-31``, also with a time, as an Excel cell gives it) and German
``TT.MM.JJJJ`` or short ``TT.MM.JJ``; a two-digit year is read as Python's ``%y``
does (00–68 → 20JJ, 69–99 → 19JJ). Solr's dates in search queries are another
grammar (``search/dates.py``).
"""
from __future__ import annotations

import datetime
from typing import Any, Optional

PATTERNS = ("%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y")


def read_date(value: Any) -> Optional[datetime.date]:
    """The calendar date of ``value``; None when it is no date."""
    text = str(value).strip()
    day = text.replace("T", " ", 1).partition(" ")[0]  # a time after the date does not count
    for pattern in PATTERNS:
        try:
            return datetime.datetime.strptime(day, pattern).date()
        except ValueError:
            continue
    return None
