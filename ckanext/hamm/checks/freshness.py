"""Überfällig: a dataset not changed within its declared update period (``dct:accrualPeriodicity``) plus a grace.

The last change is the newest ``modified`` of the dataset or its files (the data's own dates);
only without any of them the record's ``metadata_modified``. Periods without a promise
(irregular, never, unknown) are never overdue.
"""
from __future__ import annotations

import datetime
from typing import Any, Optional

from ckanext.hamm.dataset.dates import read_date
from ckanext.hamm.dataset.quality import FREQUENCY_DAYS

# The EU frequency codes beyond those of the quality score, in days.
PERIOD_DAYS = {**FREQUENCY_DAYS, "WEEKLY_2": 4, "WEEKLY_3": 3, "BIWEEKLY": 14, "MONTHLY_2": 16, "MONTHLY_3": 11,
               "BIMONTHLY": 61, "ANNUAL_2": 183, "ANNUAL_3": 122, "TRIENNIAL": 1096, "QUADRENNIAL": 1461,
               "QUINQUENNIAL": 1827, "DECENNIAL": 3653}


def frequency_code(value: Any) -> str:
    """``http://publications.europa.eu/resource/authority/frequency/MONTHLY`` → ``MONTHLY``."""
    return str(value or "").strip().rstrip("/").rsplit("/", 1)[-1].upper()


def last_change(pkg: dict[str, Any]) -> Optional[datetime.date]:
    dates = [read_date(pkg.get("modified"))]
    for resource in pkg.get("resources") or []:
        if isinstance(resource, dict):
            dates += [read_date(resource.get("modified")), read_date(resource.get("last_modified"))]
    found = [d for d in dates if d is not None]
    return max(found) if found else read_date(pkg.get("metadata_modified"))


def overdue(pkg: dict[str, Any], today: datetime.date, grace_days: int) -> Optional[dict[str, Any]]:
    """What is late and by how much, or None when the dataset is on time or promises no period."""
    code = frequency_code(pkg.get("frequency"))
    days = PERIOD_DAYS.get(code)
    changed = last_change(pkg)
    if days is None or changed is None:
        return None
    due = changed + datetime.timedelta(days=days + grace_days)
    if today <= due:
        return None
    return {"frequency": code, "last_change": changed.isoformat(), "due": due.isoformat(),
            "days_over": (today - due).days}
