"""Charts and labels of table previews (issue 32): which tables get a chart, what it sums,
and how columns and numbers read in German — pure functions, no portal."""
from __future__ import annotations

import csv
from pathlib import Path

from ckanext.hamm.previews.charts import chart_for, geometry
from ckanext.hamm.previews.labels import column_label, german_number

FILES = Path(__file__).resolve().parents[2] / "ckanext" / "hamm" / "demo" / "files"


def _table(name: str, numbers: tuple[str, ...]) -> tuple[list[dict], list[dict]]:
    with (FILES / name).open(encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    fields = [{"id": key, "type": "numeric" if key in numbers else "text"} for key in rows[0]]
    return fields, [{k: (float(v) if k in numbers else v) for k, v in row.items()} for row in rows]


def test_bike_counts_per_month_get_a_line_of_twelve_months() -> None:
    fields, records = _table("radzaehlung-monate-2025.csv", ("radfahrende",))
    chart = chart_for(fields, records)
    assert chart is not None and chart.kind == "line"
    assert chart.title == "Radfahrende je Monat"
    assert [label for label, _ in chart.points][:3] == ["Jan 2025", "Feb 2025", "Mär 2025"]
    assert len(chart.points) == 12
    january = sum(r["radfahrende"] for r in records if r["monat"] == "2025-01")  # all five stations
    assert chart.points[0][1] == january


def test_a_week_of_daily_counts_is_charted_per_day() -> None:
    fields, records = _table("radzaehlung-2025.csv", ("radfahrende", "temperatur_c", "niederschlag_mm"))
    fields[0]["type"] = "timestamp"
    chart = chart_for(fields, [dict(r, datum=r["datum"] + "T00:00:00") for r in records])
    assert chart is not None and chart.title == "Radfahrende je Tag"
    assert chart.points[0][0] == "02.06.2025" and len(chart.points) == 7


def test_categories_get_bars_and_codes_are_no_amounts() -> None:
    fields = [{"id": "plz", "type": "numeric"}, {"id": "stadtbezirk", "type": "text"},
              {"id": "einwohner", "type": "numeric"}]
    records = [{"plz": 59063 + n, "stadtbezirk": name, "einwohner": 1000 * (n + 1)}
               for n, name in enumerate(["Mitte", "Uentrop", "Rhynern"])]
    chart = chart_for(fields, records)
    assert chart is not None and chart.kind == "bar"
    assert chart.y_label == "Einwohnerinnen und Einwohner" and chart.x_label == "Stadtbezirk"
    assert chart.points == [("Mitte", 1000.0), ("Uentrop", 2000.0), ("Rhynern", 3000.0)]
    assert chart_for([{"id": "name", "type": "text"}], [{"name": "a"}, {"name": "b"}]) is None  # no figures


def test_geometry_labels_the_axis_in_german_numbers() -> None:
    fields, records = _table("radzaehlung-monate-2025.csv", ("radfahrende",))
    chart = chart_for(fields, records)
    assert chart is not None
    drawn = geometry(chart)
    assert len(drawn["marks"]) == 12
    assert all("." in tick["label"] or tick["label"] == "0" for tick in drawn["ticks"])  # 50.000, not 50000


def test_labels_and_numbers_read_german() -> None:
    assert column_label("temperatur_c") == "Temperatur (°C)"
    assert column_label("zaehlstelle") == "Zählstelle"
    assert column_label("hoehe_m") == "Hoehe (m)"
    assert column_label("radfahrende", {"label": "Radfahrende (Summe)"}) == "Radfahrende (Summe)"
    assert german_number(1234567.0) == "1.234.567"
    assert german_number(18.25) == "18,25"
