"""Solr date values and date math (``NOW-1DAY``, ``2020-01-01T00:00:00Z/YEAR``).

Dates are kept in one fixed-width UTC form so that the index can compare them
as strings inside JSON and as timestamps in columns alike.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any, Union

from ckan.lib.search.common import SearchQueryError
from dateutil.parser import ParserError, isoparse
from dateutil.relativedelta import relativedelta

_UNITS = {
    "YEAR": "years", "MONTH": "months", "DAY": "days", "DATE": "days",
    "HOUR": "hours", "MINUTE": "minutes", "SECOND": "seconds",
    "MILLI": "microseconds", "MILLISECOND": "microseconds",
}
_MATH_RE = re.compile(r"([+-]\d+|/)([A-Z]+?)S?(?=[+\-/]|$)")


def _unit(name: str) -> str:
    unit = _UNITS.get(name) or _UNITS.get(name.rstrip("S"))
    if unit is None:
        raise SearchQueryError(f"Unknown date unit {name!r}")
    return unit


def _round_down(value: dt.datetime, unit: str) -> dt.datetime:
    order = ["years", "months", "days", "hours", "minutes", "seconds", "microseconds"]
    keep = order.index(unit)
    fields: dict[str, Any] = {"month": 1, "day": 1, "hour": 0, "minute": 0, "second": 0, "microsecond": 0}
    names = ["month", "day", "hour", "minute", "second", "microsecond"]
    return value.replace(**{n: fields[n] for n in names[keep:]})


def parse_date(value: str) -> dt.datetime:
    try:
        parsed = isoparse(value.strip())
    except (ParserError, ValueError):
        raise SearchQueryError(f"Invalid date {value!r}: use ISO 8601, e.g. 2024-05-31T00:00:00Z") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.timezone.utc)
    return parsed.astimezone(dt.timezone.utc)


def resolve_date_math(text: str, now: dt.datetime | None = None) -> dt.datetime:
    """Evaluate a Solr date expression into an aware UTC datetime."""
    text = text.strip()
    if text.upper().startswith("NOW"):
        value = now or dt.datetime.now(dt.timezone.utc)
        math = text[3:].upper()
    else:
        match = re.search(r"(?=/[A-Za-z]|[+-]\d+[A-Za-z]{3,})", text)
        base, math = (text[:match.start()], text[match.start():].upper()) if match else (text, "")
        value = parse_date(base)
    position = 0
    for found in _MATH_RE.finditer(math):
        if found.start() != position:
            raise SearchQueryError(f"Invalid date math in {text!r}")
        position = found.end()
        operator, unit = found.group(1), _unit(found.group(2))
        if operator == "/":
            value = _round_down(value, unit)
        else:
            amount = int(operator)
            if unit == "microseconds":
                amount *= 1000
            step: dict[str, Any] = {unit: amount}
            try:
                value = value + relativedelta(**step)
            except (ValueError, OverflowError):
                raise SearchQueryError(f"Die Datumsrechnung in {text!r} verlässt den Kalender (Jahre 1 bis 9999). / "
                                      f"Date math in {text!r} leaves the calendar (years 1 to 9999).") from None
    if position != len(math):
        raise SearchQueryError(f"Invalid date math in {text!r}")
    return value


def normalise_date(value: Union[str, dt.datetime]) -> str:
    """Fixed-width UTC form ``YYYY-MM-DDTHH:MM:SS.ffffffZ``."""
    if isinstance(value, str):
        value = parse_date(value)
    elif value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    return value.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def solr_output(value: str) -> str:
    """A stored date as Solr returns it: UTC, milliseconds only when there are any
    (``2024-02-01T10:00:00.123Z``, ``2024-02-01T10:00:00Z``); unreadable values unchanged."""
    try:
        full = normalise_date(value)
    except (SearchQueryError, ValueError, OverflowError):
        return value
    millis = full[20:23]
    return full[:19] + ("" if millis == "000" else "." + millis) + "Z"
