"""Dates, sizes and numbers as a German (or English) reader expects them.

CKAN stores times in UTC and formats them by ``ckan.display_timezone`` (default
UTC) in words like "October 25, 2017"; citizens of Hamm read "25.10.2017, 16:03 Uhr"
in local time and "78,4 %".
"""
from __future__ import annotations

import datetime
from typing import Any, Optional
from zoneinfo import ZoneInfo

from babel import dates as babel_dates
from babel import numbers as babel_numbers

from ckanext.hamm import config as hamm_config
from ckanext.hamm.vocabularies.store import current_language

__all__ = ["hamm_render_date", "hamm_format_filesize", "hamm_format_number", "hamm_format_percent"]

# Patterns per language; the English ones keep day-month-year order, too.
DATE_PATTERNS = {"de": ("dd.MM.yyyy", "dd.MM.yyyy, HH:mm 'Uhr'"),
                 "en": ("d MMM yyyy", "d MMM yyyy, HH:mm")}


def _locale(lang: Optional[str] = None) -> str:
    lang = lang or current_language()
    return lang if lang in DATE_PATTERNS else "de"


def _parse(value: Any) -> Optional[datetime.datetime]:
    if isinstance(value, datetime.datetime):
        parsed = value
    elif isinstance(value, datetime.date):
        parsed = datetime.datetime(value.year, value.month, value.day)
    elif isinstance(value, str) and value.strip():
        try:
            parsed = datetime.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            return None
    else:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=datetime.timezone.utc)


def hamm_render_date(value: Any, with_hours: bool = False, lang: Optional[str] = None) -> str:
    """``05.12.2026`` / ``05.12.2026, 08:20 Uhr`` in the portal's time zone; '' when unreadable.

    A bare date (``2024-03-01``, DCAT's ``issued``) is shown as that day, not shifted.
    """
    parsed = _parse(value)
    if parsed is None:
        return ""
    is_plain_date = isinstance(value, str) and len(value.strip()) == 10
    if not is_plain_date:
        parsed = parsed.astimezone(ZoneInfo(hamm_config.ui_timezone()))
    lang = _locale(lang)
    pattern = DATE_PATTERNS[lang][1 if with_hours and not is_plain_date else 0]
    return babel_dates.format_datetime(parsed, pattern, tzinfo=parsed.tzinfo, locale=lang)


def hamm_format_number(value: Any, digits: int = 1, lang: Optional[str] = None) -> str:
    """A number with the language's decimal sign (``78,4``); '' for no number."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return ""
    pattern = "#,##0" + ("." + "#" * digits if digits else "")
    return babel_numbers.format_decimal(round(number, digits), format=pattern, locale=_locale(lang))


def hamm_format_percent(value: Any, digits: int = 1, lang: Optional[str] = None) -> str:
    """``78,4 %`` in German, ``78.4%`` in English."""
    number = hamm_format_number(value, digits, lang)
    if not number:
        return ""
    return f"{number}\u00a0%" if _locale(lang) == "de" else f"{number}%"


def hamm_format_filesize(value: Any, lang: Optional[str] = None) -> str:
    """``1,2 MB`` (decimal units, as file managers show them); '' when unknown."""
    try:
        size = int(value)
    except (TypeError, ValueError):
        return ""
    if size <= 0:
        return ""
    for unit, factor in (("GB", 10 ** 9), ("MB", 10 ** 6), ("kB", 10 ** 3)):
        if size >= factor:
            return f"{hamm_format_number(size / factor, 1, lang)}\u00a0{unit}"
    return f"{hamm_format_number(size, 0, lang)}\u00a0Byte"
