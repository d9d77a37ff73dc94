"""Überfällig: older than the declared update period plus a grace; no period, no reminder."""
from __future__ import annotations

import datetime

import pytest

from ckanext.hamm.checks import freshness

FREQ = "http://publications.europa.eu/resource/authority/frequency/"
TODAY = datetime.date(2026, 12, 8)


@pytest.mark.parametrize(("frequency", "modified", "late"), [
    ("MONTHLY", "2026-10-30", True),   # 31 days + 7 of grace: due on 12-07
    ("MONTHLY", "2026-10-31", False),  # due today
    ("MONTHLY", "2026-11-01", False),
    ("ANNUAL", "2025-11-01", True),
    ("WEEKLY", "2026-12-01", False),
    ("IRREG", "2019-01-01", False),    # no promise, never overdue
    ("", "2019-01-01", False),
])
def test_overdue_after_the_declared_period_and_a_grace(frequency: str, modified: str, late: bool) -> None:
    pkg = {"frequency": FREQ + frequency if frequency else "", "modified": modified}
    assert (freshness.overdue(pkg, TODAY, 7) is not None) is late


def test_a_newer_file_counts_as_the_last_change() -> None:
    pkg = {"frequency": FREQ + "MONTHLY", "modified": "2025-01-01",
           "resources": [{"modified": "2026-12-01"}], "metadata_modified": "2020-01-01T00:00:00"}
    assert freshness.last_change(pkg) == datetime.date(2026, 12, 1)
    assert freshness.overdue(pkg, TODAY, 7) is None
