"""Reading and writing the Dateninventur spreadsheet (.xlsx via openpyxl, .csv via ``csv``).

Cities keep their first inventory in Excel, so the reader is tolerant where Excel
differs between installations (UTF-8 with BOM or cp1252, ";" or ",", headers with
other case, spacing or umlaut spellings) and strict where a file is not a
spreadsheet at all: every refusal is a :class:`SpreadsheetError` with a German and
an English message, never a traceback.
"""
from __future__ import annotations

import csv
import dataclasses
import datetime
import io
import re
import unicodedata
import zipfile
from typing import Any, Iterable, Iterator, Optional

from ckanext.hamm.errors import BilingualError

# The agreed layout (tmp fields.md of issue 19): header, field, in this order.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("Titel", "title"),
    ("Name (URL)", "name"),
    ("Identifikator", "identifier"),
    ("Beschreibung", "notes"),
    ("Abteilung", "owner_org"),
    ("Handlungsfeld", "handlungsfeld"),
    ("Zugang", "zugang"),
    ("Ansprechperson", "inventar_kontakt"),
    ("Quellsystem", "quellsystem"),
    ("Rechtsgrundlage", "rechtsgrundlage"),
    ("Geplante Veröffentlichung", "geplante_veroeffentlichung"),
    ("Datenschutzstatus", "datenschutz_status"),
    ("Status", "inventar_status"),
    ("Lizenz", "license_id"),
    ("Schlagwörter", "tag_string"),
)
HEADER = {field: header for header, field in COLUMNS}
REQUIRED_COLUMNS = ("title", "owner_org")

# A workbook is refused when its parts unpack to more than this (or 20 × the file cap, if less):
# a few hundred KB of zipped empty rows would otherwise take GBs of memory (issue 26, finding 5).
# 20,000 rows × 15 columns of a real inventory unpack to about 30 MB.
MAX_UNPACKED_BYTES = 64_000_000

# Spreadsheet programs run a cell that starts with these as a formula (OWASP "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Put before such a cell in the CSV export and taken off again on import.
NEUTRAL_PREFIX = "'"

# Other spellings seen in city spreadsheets and the English export of other tools.
ALIASES: dict[str, tuple[str, ...]] = {
    "title": ("titel", "title", "bezeichnung", "datensatz"),
    "name": ("name url", "name", "kurzname", "slug"),
    "identifier": ("identifikator", "identifier", "id", "kennung", "kennzeichen"),
    "notes": ("beschreibung", "description", "notes", "inhalt"),
    "owner_org": ("abteilung", "organisation", "organization", "fachbereich", "amt", "department",
                  "dateneigentuemer", "datenhaltende stelle"),
    "handlungsfeld": ("handlungsfeld", "handlungsfelder", "field of action"),
    "zugang": ("zugang", "zugriff", "access"),
    "inventar_kontakt": ("ansprechperson", "ansprechpartner", "ansprechpartnerin", "kontakt", "contact"),
    "quellsystem": ("quellsystem", "fachverfahren", "source system", "system"),
    "rechtsgrundlage": ("rechtsgrundlage", "rechtsgrundlage begruendung", "begruendung", "legal basis"),
    "geplante_veroeffentlichung": ("geplante veroeffentlichung", "veroeffentlichung geplant",
                                   "geplantes veroeffentlichungsdatum", "planned publication"),
    "datenschutz_status": ("datenschutzstatus", "datenschutz", "datenschutz status", "data protection status"),
    "inventar_status": ("status", "inventarstatus", "workflow status", "bearbeitungsstand"),
    "license_id": ("lizenz", "licence", "license"),
    "tag_string": ("schlagwoerter", "schlagworte", "stichwoerter", "tags", "keywords"),
}


class SpreadsheetError(BilingualError):
    """A file that cannot be read as an inventory; ``de``/``en`` say why."""


@dataclasses.dataclass
class Row:
    """One data row: its number as the spreadsheet shows it (header = 1) and cells by field."""

    number: int
    cells: dict[str, str]


@dataclasses.dataclass
class Sheet:
    fields: list[str]              # the mapped columns, in file order
    unknown_headers: list[str]     # columns that are ignored
    rows: list[Row]


def normalise_header(text: str) -> str:
    """Case, spacing, punctuation and umlaut spellings do not matter ("Geplante Veroeffentlichung")."""
    text = unicodedata.normalize("NFC", str(text)).strip().lower()
    for umlaut, plain in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.replace(umlaut, plain)
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return " ".join(text.split())


_LOOKUP = {alias: field for field, aliases in ALIASES.items() for alias in aliases}


def field_of(header: str) -> Optional[str]:
    return _LOOKUP.get(normalise_header(header))


def cell_text(value: Any) -> str:
    """A cell as text: Excel dates become ISO dates, whole numbers lose their ``.0``."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def kind_of(filename: str) -> str:
    lowered = (filename or "").lower()
    if lowered.endswith(".xlsx"):
        return "xlsx"
    if lowered.endswith(".csv"):
        return "csv"
    raise SpreadsheetError("Bitte eine Datei im Format .xlsx oder .csv angeben.",
                           "Please give a .xlsx or .csv file.")


def read(data: bytes, filename: str, max_rows: int, max_bytes: int) -> Sheet:
    """The mapped rows of an .xlsx or .csv file; refuses what is not an inventory."""
    kind = kind_of(filename)
    if len(data) > max_bytes:
        raise SpreadsheetError(
            f"Die Datei ist zu groß ({len(data) // 1_000_000} MB, höchstens {max_bytes // 1_000_000} MB).",
            f"The file is too large ({len(data) // 1_000_000} MB, at most {max_bytes // 1_000_000} MB).")
    if not data.strip():
        raise SpreadsheetError("Die Datei ist leer.", "The file is empty.")
    lines = _xlsx_rows(data, max_bytes) if kind == "xlsx" else _csv_rows(data)
    return _map(lines, max_rows)


def _map(lines: Iterable[tuple[int, list[str]]], max_rows: int) -> Sheet:
    iterator = iter(lines)
    header: Optional[list[str]] = None
    for _number, cells in iterator:
        if any(cells):
            header = cells
            break
    if header is None:
        raise SpreadsheetError("Die Datei ist leer.", "The file is empty.")
    columns: list[Optional[str]] = []
    unknown: list[str] = []
    for text in header:
        field = field_of(text) if text else None
        if field is not None and field in columns:
            raise SpreadsheetError(f"Die Spalte „{text}“ kommt doppelt vor.",
                                   f"The column \"{text}\" appears twice.")
        columns.append(field)
        if text and field is None:
            unknown.append(text)
    missing = [HEADER[f] for f in REQUIRED_COLUMNS if f not in columns]
    if missing:
        raise SpreadsheetError(
            "Es fehlen die Spalten " + ", ".join(f"„{m}“" for m in missing)
            + ". Erwartet wird die Kopfzeile: " + ", ".join(h for h, _ in COLUMNS) + ".",
            "Missing columns " + ", ".join(f"\"{m}\"" for m in missing)
            + ". Expected header row: " + ", ".join(h for h, _ in COLUMNS) + ".")
    rows: list[Row] = []
    seen = 0
    for number, cells in iterator:
        seen += 1  # empty rows count too: millions of them cost as much time as full ones
        if len(rows) >= max_rows or seen > max_rows + 1:
            raise SpreadsheetError(f"Die Datei hat mehr als {max_rows} Zeilen; bitte teilen Sie sie auf.",
                                   f"The file has more than {max_rows} rows; please split it.")
        if not any(cells):
            continue
        if any("\x00" in cell for cell in cells):  # PostgreSQL cannot store it
            raise SpreadsheetError(f"Zeile {number} enthält ein Nullzeichen (NUL); bitte entfernen Sie es.",
                                   f"Row {number} contains a NUL character; please remove it.")
        rows.append(Row(number, {field: (cells[i] if i < len(cells) else "")
                                 for i, field in enumerate(columns) if field}))
    return Sheet([c for c in columns if c], unknown, rows)


def _xlsx_rows(data: bytes, max_bytes: int) -> Iterator[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise SpreadsheetError("Die Datei ist keine Excel-Tabelle (.xlsx).",
                               "The file is not an Excel workbook (.xlsx).") from None
    # Read from the zip directory before anything is parsed; ``zipfile`` stops each part at the
    # size given there while streaming (a part that is larger fails its check), so it holds.
    cap = min(20 * max_bytes, MAX_UNPACKED_BYTES)
    if unpacked > cap:  # a zip bomb, not a city's inventory
        raise SpreadsheetError(
            f"Die Tabelle ist entpackt zu groß ({unpacked // 1_000_000} MB, höchstens {cap // 1_000_000} MB); "
            "bitte teilen Sie sie auf.",
            f"The workbook is too large when unpacked ({unpacked // 1_000_000} MB, at most {cap // 1_000_000} MB); "
            "please split it.")
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a broken workbook
        raise SpreadsheetError("Die Datei ist keine lesbare Excel-Tabelle (.xlsx).",
                               "The file is not a readable Excel workbook (.xlsx).") from None
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            raise SpreadsheetError("Die Datei ist leer.", "The file is empty.")
        try:
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                yield number, [cell_text(v) for v in values]
        except (zipfile.BadZipFile, ValueError, KeyError, SyntaxError):  # a broken or lying part
            raise SpreadsheetError("Die Datei ist keine lesbare Excel-Tabelle (.xlsx).",
                                   "The file is not a readable Excel workbook (.xlsx).") from None
    finally:
        workbook.close()


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM) or, as older German Excel saves it, cp1252."""
    if b"\x00" in data[:4096]:
        raise SpreadsheetError("Die Datei ist keine Tabelle (.csv).", "The file is not a spreadsheet (.csv).")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _csv_rows(data: bytes) -> Iterator[tuple[int, list[str]]]:
    text = decode(data)
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max(";,\t", key=first.count) if any(d in first for d in ";,\t") else ";"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for number, cells in enumerate(reader, start=1):
            yield number, [unneutralise(c.strip()) for c in cells]
    except csv.Error as error:
        raise SpreadsheetError(f"Die CSV-Datei ist fehlerhaft ({error}).",
                               f"The CSV file is malformed ({error}).") from None


# --- writing ----------------------------------------------------------------------------

def write(kind: str, rows: Iterable[list[Any]], sheet_title: str = "Dateninventur") -> bytes:
    """The layout of :data:`COLUMNS` as .xlsx or as .csv (UTF-8 with BOM and ";", as German Excel opens it)."""
    header = [h for h, _ in COLUMNS]
    if kind == "csv":
        text = io.StringIO(newline="")
        writer = csv.writer(text, delimiter=";", lineterminator="\r\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow([neutralise(text_of(v)) for v in row])
        return b"\xef\xbb\xbf" + text.getvalue().encode("utf-8")
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title)
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    cells = []
    for title in header:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        cells.append(cell)
    sheet.append(cells)
    for row in rows:
        out = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, datetime.date):
                cell.number_format = "DD.MM.YYYY"
            elif isinstance(value, str):
                cell.data_type = "s"  # openpyxl makes "=…" a live formula; Excel shows a string as it is
            out.append(cell)
        sheet.append(out)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _german_date(value: datetime.date) -> str:
    return value.strftime("%d.%m.%Y")


def neutralise(text: str) -> str:
    """A CSV cell that Excel would run as a formula gets a leading ``'`` (shown as text)."""
    return NEUTRAL_PREFIX + text if text.startswith(FORMULA_START) else text


def unneutralise(text: str) -> str:
    """Takes off the ``'`` that :func:`neutralise` put before a formula-like cell (round trip)."""
    if text.startswith(NEUTRAL_PREFIX) and text[1:].startswith(FORMULA_START):
        return text[1:].strip()
    return text


def text_of(value: Any) -> str:
    """A cell as the text a CSV (or the API) carries: dates in German form."""
    if value is None:
        return ""
    return _german_date(value) if isinstance(value, datetime.date) else str(value)
