"""Security review of issue 26 (findings 4 and 5, parts of 11): what an inventory file may not do.

An exported cell never runs as a formula in Excel, the city's own export imports again unchanged,
a small file that unpacks or repeats into millions of rows is refused before it costs memory or
time, and odd cells (NUL bytes, unknown columns) get a readable message.
"""
from __future__ import annotations

import io
import zipfile

import pytest

from ckanext.hamm.inventory import spreadsheet
from ckanext.hamm.inventory.spreadsheet import SpreadsheetError

from .sheets import HEADERS, csv_bytes, good_row

CAP_ROWS, CAP_BYTES = 1000, 2_000_000
FORMULAS = ["=HYPERLINK(\"http://evil.example\",\"klick\")", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1",
            "=cmd|' /C calc'!A0"]


def read(data: bytes, name: str, rows: int = CAP_ROWS, size: int = CAP_BYTES):
    return spreadsheet.read(data, name, rows, size)


def _row(value: str) -> list[str]:
    return [value, "name", "id-1", value, "Umweltamt"] + [""] * (len(HEADERS) - 5)


@pytest.mark.parametrize("value", FORMULAS)
def test_an_exported_xlsx_cell_is_text_never_a_formula(value):
    from openpyxl import load_workbook

    data = spreadsheet.write("xlsx", [_row(value)])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml
    cell = load_workbook(io.BytesIO(data)).active["A2"]
    assert cell.data_type == "s" and cell.value == value


@pytest.mark.parametrize("value", FORMULAS)
def test_an_exported_csv_cell_does_not_start_like_a_formula(value):
    text = spreadsheet.write("csv", [_row(value)]).decode("utf-8-sig")
    first_cell = text.split("\r\n", 1)[1]
    first_cell = first_cell.lstrip('"')
    assert first_cell[0] not in "=+-@\t\r"


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
@pytest.mark.parametrize("value", FORMULAS + ["'schon mit Apostroph", "- Aufzählung", "normal"])
def test_the_export_reads_back_with_the_same_text(kind, value):
    cells = read(spreadsheet.write(kind, [_row(value)]), f"a.{kind}").rows[0].cells
    assert cells["title"] == value.strip() and cells["notes"] == value.strip()


def _bomb(rows: int, name: str = "xl/worksheets/sheet1.xml") -> bytes:
    """A workbook whose first sheet is a header and then ``rows`` empty ``<row/>``: tiny packed."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(HEADERS)
    buffer = io.BytesIO()
    workbook.save(buffer)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == name:
                data = data.replace(b"</row>", b"</row>" + b"<row/>" * rows, 1)
                data = data.replace(b'<dimension ref="A1:O1"/>', b'<dimension ref="A1:O1048576"/>')
            target.writestr(info.filename, data)
    return out.getvalue()


def test_a_workbook_that_unpacks_beyond_the_cap_is_refused_before_parsing(monkeypatch):
    monkeypatch.setattr(spreadsheet, "MAX_UNPACKED_BYTES", 200_000)
    data = _bomb(100_000)  # about 600 KB unpacked, a few KB packed: within 20 × the file cap
    assert len(data) < 20_000 and len(data) * 20 < CAP_BYTES

    def no_parsing(*args, **kwargs):
        raise AssertionError("parsed a zip bomb")

    import openpyxl
    monkeypatch.setattr(openpyxl, "load_workbook", no_parsing)
    with pytest.raises(SpreadsheetError) as raised:
        read(data, "bombe.xlsx")
    assert "entpackt zu groß" in raised.value.de and "unpacked" in raised.value.en


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_empty_rows_count_towards_the_row_cap(kind):
    if kind == "xlsx":
        data = _bomb(50_000)
    else:
        data = ";".join(HEADERS).encode() + b"\r\n" + b";\r\n" * 50_000
    with pytest.raises(SpreadsheetError) as raised:
        read(data, f"leer.{kind}", rows=100)
    assert "mehr als 100 Zeilen" in raised.value.de and "more than 100 rows" in raised.value.en


def test_a_few_empty_rows_within_the_cap_are_still_skipped():
    data = csv_bytes([good_row(1), {}, {}, good_row(2)])
    assert [r.number for r in read(data, "a.csv", rows=10).rows] == [2, 5]


def test_a_nul_byte_after_the_first_4_kb_of_a_csv_is_a_message():
    """The binary check looks at the start only; a NUL further down reached PostgreSQL (a 500)."""
    rows = [good_row(i) for i in range(60)] + [dict(good_row(99), Beschreibung="a\x00b")]
    data = csv_bytes(rows, "utf-8")
    assert data.index(b"\x00") > 4096
    with pytest.raises(SpreadsheetError) as raised:
        read(data, "a.csv")
    assert "Zeile 62" in raised.value.de and "row 62" in raised.value.en.lower()


def test_two_unknown_columns_are_unknown_not_doubled():
    headers = ["Titel", "Abteilung", "Bemerkung", "Notiz intern"]
    sheet = read(csv_bytes([{"Titel": "x", "Abteilung": "umweltamt"}], headers=headers), "a.csv")
    assert sheet.unknown_headers == ["Bemerkung", "Notiz intern"]
    assert sheet.fields == ["title", "owner_org"]
