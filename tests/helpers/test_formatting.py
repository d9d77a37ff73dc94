"""Dates, sizes and percentages as a reader in Hamm expects them (issue: "local time
Europe/Berlin everywhere", "German decimals (78,4 %)")."""
from __future__ import annotations

import datetime

import pytest

from ckanext.hamm.helpers import formatting
from tests.support.portal import PLUGINS

pytestmark = [pytest.mark.ckan_config("ckan.plugins", PLUGINS), pytest.mark.usefixtures("with_plugins")]


def test_utc_timestamp_is_shown_in_berlin_time_in_german_order() -> None:
    # 23:30 UTC on 31 Oct is already 1 Nov in Berlin (CET, UTC+1).
    assert formatting.hamm_render_date("2026-10-31T23:30:00", with_hours=True, lang="de") \
        == "01.11.2026, 00:30 Uhr"
    assert formatting.hamm_render_date(datetime.datetime(2026, 7, 1, 10, 0), True, "de") \
        == "01.07.2026, 12:00 Uhr"  # summer time, UTC+2


def test_english_keeps_day_month_year() -> None:
    assert formatting.hamm_render_date("2026-07-01T10:00:00", lang="en") == "1 Jul 2026"


def test_plain_date_is_not_shifted_and_garbage_is_empty() -> None:
    assert formatting.hamm_render_date("2024-03-01", with_hours=True, lang="de") == "01.03.2024"
    assert formatting.hamm_render_date("not a date", lang="de") == ""
    assert formatting.hamm_render_date(None, lang="de") == ""


def test_german_decimals_and_percent() -> None:
    assert formatting.hamm_format_percent(78.44, lang="de") == "78,4\u00a0%"
    assert formatting.hamm_format_percent(78.44, lang="en") == "78.4%"
    assert formatting.hamm_format_number(1234.5, lang="de") == "1.234,5"


def test_file_sizes_in_decimal_units() -> None:
    assert formatting.hamm_format_filesize(1_234_567, lang="de") == "1,2\u00a0MB"
    assert formatting.hamm_format_filesize(980, lang="de") == "980\u00a0Byte"
    assert formatting.hamm_format_filesize(None) == ""
    assert formatting.hamm_format_filesize("x") == ""
