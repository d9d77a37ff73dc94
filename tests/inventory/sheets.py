"""Generated Dateninventur spreadsheets for the import tests and the benchmark."""
from __future__ import annotations

import csv
import io
from typing import Any

from openpyxl import Workbook

from ckanext.hamm.inventory.spreadsheet import COLUMNS

HEADERS = [h for h, _ in COLUMNS]

# (kind, column the report must name, the broken cells)
BREAKAGES: list[tuple[str, str, dict[str, str]]] = [
    ("wrong Zugang", "Zugang", {"Zugang": "geheim"}),
    ("missing title", "Titel", {"Titel": ""}),
    ("unknown department", "Abteilung", {"Abteilung": "Amt für Zeitreisen"}),
    ("bad date", "Geplante Veröffentlichung", {"Geplante Veröffentlichung": "31.02.2027"}),
    ("not open without legal basis", "Rechtsgrundlage", {"Zugang": "personenbezogen", "Rechtsgrundlage": ""}),
    ("unknown Handlungsfeld", "Handlungsfeld", {"Handlungsfeld": "Raumfahrt"}),
    ("unknown licence", "Lizenz", {"Lizenz": "alle Rechte vorbehalten"}),
    ("unknown Datenschutzstatus", "Datenschutzstatus", {"Datenschutzstatus": "vielleicht"}),
    ("unknown Status", "Status", {"Status": "irgendwann"}),
    ("duplicate identifier", "Identifikator", {}),  # filled in by inventory_rows
]


def good_row(i: int) -> dict[str, str]:
    zugang = ("Offen", "intern", "Eingeschränkt", "Personenbezogen")[i % 4]
    return {
        "Titel": f"Inventureintrag {i:05d} Baumkataster",
        "Name (URL)": "",
        "Identifikator": f"hamm-inventar-{i:05d}",
        "Beschreibung": f"Bestand Nr. {i} aus der Fachanwendung; mit Umlauten: Grünflächen, Straßenbäume.",
        "Abteilung": ("umweltamt", "Stadtplanungsamt")[i % 2],
        "Handlungsfeld": ("Digitale Verwaltung", "digitale-verwaltung; Strategie und Kommunikation")[i % 2],
        "Zugang": zugang,
        "Ansprechperson": f"Frau Müller, gruen{i}@hamm.example",
        "Quellsystem": ("ArcGIS", "Melderegister", "SAP")[i % 3],
        "Rechtsgrundlage": "" if zugang == "Offen" else "§ 3 DSG NRW",
        "Geplante Veröffentlichung": "31.12.2027" if i % 5 else "",
        "Datenschutzstatus": "Nicht geprüft",
        "Status": "Erfasst",
        "Lizenz": "dl-by-de/2.0",
        "Schlagwörter": "Bäume; Umwelt" if i % 2 else "",
    }


def inventory_rows(count: int, broken_every: int = 0) -> tuple[list[dict[str, str]], dict[int, str]]:
    """``count`` rows; with ``broken_every`` every n-th row is broken in turn by each kind of BREAKAGES.

    Returns the rows and {spreadsheet row number (header = 1): column the report must name}.
    """
    rows, broken = [], {}
    kinds = 0
    for i in range(count):
        row = good_row(i)
        if broken_every and i % broken_every == broken_every - 1:
            _kind, column, cells = BREAKAGES[kinds % len(BREAKAGES)]
            kinds += 1
            row.update(cells)
            if column == "Identifikator":
                row["Identifikator"] = rows[0]["Identifikator"]
            broken[i + 2] = column
        rows.append(row)
    return rows, broken


def xlsx(rows: list[dict[str, Any]], headers: list[str] = HEADERS) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(h, "") for h in headers])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: list[dict[str, Any]], encoding: str = "cp1252", delimiter: str = ";",
              headers: list[str] = HEADERS) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([row.get(h, "") for h in headers])
    return buffer.getvalue().encode(encoding)
