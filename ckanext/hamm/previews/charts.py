"""Charts of DataStore tables: which tables get one, and the figures it draws.

A table gets a chart when it has a column of dates or months (a line over time) or a
column of a few categories (bars), and a column of numbers that are not codes or
coordinates. The chart sums that number per month (per day when the table covers one
month only) or per category, so "Radfahrende je Monat" is one line although the table
has a row per counting station. Drawing is plain SVG in the template (no script), with
the same figures as a table beside it for screen readers and keyboard users.
"""
from __future__ import annotations

import dataclasses
import datetime
import re
from collections import OrderedDict
from typing import Any, Iterable, Optional

from ckanext.hamm.previews.labels import column_label, german_number

__all__ = ["Chart", "MAX_ROWS", "chart_for", "geometry", "month_name", "pick_columns"]

MAX_ROWS = 5000  # rows read per chart; a bigger table is charted from its first rows
MAX_CATEGORIES = 24
NUMERIC = frozenset({"numeric", "int", "int4", "int8", "float", "float8", "integer", "bigint", "double precision"})
DATES = frozenset({"timestamp", "timestamptz", "date"})
PERIOD = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?")
TIME_NAMES = re.compile(r"(datum|monat|date|month|zeit|tag|stichtag)", re.IGNORECASE)
# numbers that are codes, positions or keys, not amounts
NOT_AMOUNTS = re.compile(r"(^_id$|^id$|_id$|^nr$|_nr$|nummer|schluessel|^plz$|^lon|^lat|^x$|^y$|jahr$|^year)",
                         re.IGNORECASE)
MONTHS = ("Jan", "Feb", "Mär", "Apr", "Mai", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dez")


@dataclasses.dataclass(frozen=True)
class Chart:
    kind: str  # "line" (over time) or "bar" (per category)
    x_label: str
    y_label: str
    title: str
    points: list[tuple[str, float]]


def _number(value: Any) -> Optional[float]:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return float(value)
    try:
        return float(str(value).strip())
    except ValueError:
        return None


def _period(value: Any) -> Optional[tuple[int, int, int]]:
    match = PERIOD.match(str(value or ""))
    if not match:
        return None
    year, month, day = int(match[1]), int(match[2]), int(match[3] or 0)
    return (year, month, day) if 1 <= month <= 12 else None


def pick_columns(fields: list[dict[str, Any]], records: list[dict[str, Any]]) -> Optional[tuple[str, str, str]]:
    """(kind, x column, value column) for a table worth a chart, else None."""
    amounts = [f["id"] for f in fields if f.get("type") in NUMERIC and not NOT_AMOUNTS.search(f["id"])]
    if not amounts or not records:
        return None
    for field in fields:
        values = [r.get(field["id"]) for r in records]
        looks_like_time = field.get("type") in DATES or TIME_NAMES.search(field["id"])
        if looks_like_time and all(_period(v) for v in values):
            return "line", field["id"], amounts[0]
    categories = []
    for field in fields:
        if field.get("type") in NUMERIC | DATES or field["id"].startswith("_"):
            continue
        distinct = len({r.get(field["id"]) for r in records})
        if 2 <= distinct <= MAX_CATEGORIES:
            categories.append((distinct, field["id"]))
    if categories:  # the fewest categories: "je Stadtbezirk" rather than "je Stimmbezirk"
        return "bar", min(categories)[1], amounts[0]
    return None


def month_name(month: int, year: int) -> str:
    return f"{MONTHS[month - 1]} {year}"


def chart_for(fields: list[dict[str, Any]], records: list[dict[str, Any]],
              info: Optional[dict[str, dict[str, Any]]] = None) -> Optional[Chart]:
    """The chart of a table (its first :data:`MAX_ROWS` rows), or None when none fits."""
    picked = pick_columns(fields, records)
    if picked is None:
        return None
    kind, x, y = picked
    info = info or {}
    x_label, y_label = column_label(x, info.get(x)), column_label(y, info.get(y))
    points: list[tuple[str, float]]
    if kind == "line":
        periods = [(p, _number(r.get(y))) for r in records if (p := _period(r.get(x)))]
        by_month = len({p[:2] for p, _ in periods}) >= 2
        if not by_month and any(p[2] == 0 for p, _ in periods):
            return None  # one month given without days: nothing to draw over time
        per_period: "OrderedDict[tuple[int, ...], float]" = OrderedDict()
        for period, value in sorted(periods, key=lambda pair: pair[0]):
            key = period[:2] if by_month else period
            per_period[key] = per_period.get(key, 0.0) + (value or 0.0)
        points = [(month_name(k[1], k[0]) if by_month else datetime.date(*k).strftime("%d.%m.%Y"), v)
                  for k, v in per_period.items()]
        x_label = "Monat" if by_month else "Tag"
        title = f"{y_label} je {x_label}"
    else:
        per_category: "OrderedDict[str, float]" = OrderedDict()
        for record in records:
            category = str(record.get(x) if record.get(x) is not None else "–")
            per_category[category] = per_category.get(category, 0.0) + (_number(record.get(y)) or 0.0)
        points = list(per_category.items())
        title = f"{y_label} nach {x_label}"
    if not 2 <= len(points) <= 400:
        return None
    return Chart(kind, x_label, y_label, title, points)


def _nice_top(value: float) -> float:
    """A round upper end of the value axis (1, 2 or 5 times a power of ten)."""
    if value <= 0:
        return 1.0
    power = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 5, 10):
        if value <= step * power:
            return float(step * power)
    return float(10 * power)


def geometry(chart: Chart, width: int = 720, height: int = 320) -> dict[str, Any]:
    """Coordinates for the template's SVG: axes, ticks, and one mark per point."""
    left, right, top, bottom = 72, 16, 16, 56
    plot_w, plot_h = width - left - right, height - top - bottom
    highest = _nice_top(max((v for _, v in chart.points), default=0.0))
    ticks = [{"y": top + plot_h - plot_h * i / 4, "label": german_number(highest * i / 4)} for i in range(5)]
    count = len(chart.points)
    slot = plot_w / count
    marks = []
    for index, (label, value) in enumerate(chart.points):
        x = left + slot * index + slot / 2
        y = top + plot_h - plot_h * max(value, 0.0) / highest
        marks.append({"x": round(x, 1), "y": round(y, 1), "label": label, "value": german_number(value),
                      "bar_x": round(left + slot * index + slot * 0.15, 1), "bar_w": round(slot * 0.7, 1),
                      "bar_h": round(top + plot_h - y, 1), "show_label": count <= 12 or index % -(-count // 12) == 0})
    line = " ".join(f"{m['x']},{m['y']}" for m in marks)
    return {"width": width, "height": height, "left": left, "top": top, "bottom": top + plot_h,
            "right": left + plot_w, "ticks": ticks, "marks": marks, "line": line}


def records_needed(fields: Iterable[dict[str, Any]]) -> list[str]:
    """The columns a chart may read (all but the DataStore's own)."""
    return [f["id"] for f in fields if not f["id"].startswith("_")]


def chart_of_resource(resource_id: str) -> Optional[Chart]:
    """The chart of a resource's DataStore table, or None (no table, or none fits)."""
    import ckan.plugins.toolkit as tk

    context = {"ignore_auth": True}
    try:
        fields = tk.get_action("datastore_info")(dict(context), {"id": resource_id})["fields"]
        wanted = records_needed(fields)
        result = tk.get_action("datastore_search")(dict(context), {
            "resource_id": resource_id, "limit": MAX_ROWS, "fields": wanted, "include_total": False})
    except (tk.ObjectNotFound, tk.ValidationError, KeyError):
        return None
    info = {f["id"]: f.get("info") or {} for f in fields}
    return chart_for([f for f in fields if f["id"] in wanted], result["records"], info)
