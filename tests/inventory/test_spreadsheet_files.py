"""Reading the inventory file as German city staff save it, and refusing what is no inventory."""
from __future__ import annotations

import io
import zipfile

import pytest

from ckanext.hamm.inventory import spreadsheet
from ckanext.hamm.inventory.spreadsheet import SpreadsheetError

from .sheets import HEADERS, csv_bytes, good_row, xlsx

CAP_ROWS, CAP_BYTES = 1000, 2_000_000


def read(data: bytes, name: str):
    return spreadsheet.read(data, name, CAP_ROWS, CAP_BYTES)


@pytest.mark.parametrize("data,name", [
    (csv_bytes([good_row(3)], "cp1252", ";"), "inventur.csv"),
    (b"\xef\xbb\xbf" + csv_bytes([good_row(3)], "utf-8", ";"), "inventur.CSV"),
    (csv_bytes([good_row(3)], "utf-8", ","), "inventur.csv"),
    (xlsx([good_row(3)]), "Inventur.xlsx"),
])
def test_excel_variants_read_the_same_cells(data, name):
    sheet = read(data, name)
    assert [row.number for row in sheet.rows] == [2]
    cells = sheet.rows[0].cells
    assert cells["title"] == "Inventureintrag 00003 Baumkataster"
    assert cells["inventar_kontakt"] == "Frau Müller, gruen3@hamm.example"
    assert cells["rechtsgrundlage"] == "§ 3 DSG NRW"
    assert cells["geplante_veroeffentlichung"] == "31.12.2027"
    assert sheet.fields == [field for _h, field in spreadsheet.COLUMNS]


def test_headers_are_matched_whatever_the_spelling():
    headers = ["  TITEL ", "Abteilung", "geplante veroeffentlichung", "Schlagworte", "Datenschutz-Status",
               "Bemerkung intern"]
    data = csv_bytes([{h: "x" for h in headers}], headers=headers)
    sheet = read(data, "a.csv")
    assert sheet.fields == ["title", "owner_org", "geplante_veroeffentlichung", "tag_string", "datenschutz_status"]
    assert sheet.unknown_headers == ["Bemerkung intern"]


def test_row_numbers_are_those_the_spreadsheet_shows():
    rows = [good_row(1), {}, good_row(2)]  # an empty line in between is skipped, not renumbered
    assert [r.number for r in read(xlsx(rows), "a.xlsx").rows] == [2, 4]
    assert [r.number for r in read(csv_bytes(rows), "a.csv").rows] == [2, 4]


def test_an_excel_date_cell_is_a_date():
    import datetime

    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(HEADERS)
    workbook.active.append(["Titel", "", "", "", "umweltamt", "", "", "", "", "", datetime.datetime(2027, 3, 1)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert read(buffer.getvalue(), "a.xlsx").rows[0].cells["geplante_veroeffentlichung"] == "2027-03-01"


def _zip_without_workbook() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "no workbook here")
    return buffer.getvalue()


@pytest.mark.parametrize("data,name,german", [
    (b"%PDF-1.4 binary \x00\x01", "inventur.xlsx", "keine Excel-Tabelle"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "inventur.csv", "keine Tabelle"),
    (_zip_without_workbook(), "inventur.xlsx", "keine lesbare Excel-Tabelle"),
    (b"", "inventur.csv", "leer"),
    (b"\xef\xbb\xbf\r\n;;\r\n", "inventur.csv", "leer"),
    (csv_bytes([{"Titel": "x"}], headers=["Titel", "Zugang"]), "inventur.csv", "Es fehlen die Spalten „Abteilung“"),
    (csv_bytes([{}], headers=["Titel", "Abteilung", "Titel"]), "inventur.csv", "doppelt"),
    (b"Titel;Abteilung\n", "inventur.ods", "Format .xlsx oder .csv"),
    (csv_bytes([good_row(i) for i in range(CAP_ROWS + 1)]), "inventur.csv", "mehr als 1000 Zeilen"),
    (b"Titel;Abteilung\n" + b"x" * CAP_BYTES, "inventur.csv", "zu groß"),
])
def test_what_is_no_inventory_gets_a_message(data, name, german):
    with pytest.raises(SpreadsheetError) as raised:
        read(data, name)
    assert german in raised.value.de and raised.value.en


def test_written_files_read_back_in_the_same_layout():
    import datetime

    row = ["Titel", "name", "id-1", "Text; mit Semikolon", "Umweltamt", "Digitale Verwaltung", "Intern",
           "Frau Müller", "ArcGIS", "§ 3", datetime.date(2027, 12, 31), "Nicht geprüft", "Erfasst",
           "dl-by-de/2.0", "Bäume; Umwelt"]
    for kind in ("xlsx", "csv"):
        data = spreadsheet.write(kind, [row])
        cells = read(data, f"a.{kind}").rows[0].cells
        assert cells["notes"] == "Text; mit Semikolon" and cells["tag_string"] == "Bäume; Umwelt"
        assert cells["geplante_veroeffentlichung"] in ("2027-12-31", "31.12.2027")
    assert spreadsheet.write("csv", [row]).startswith(b"\xef\xbb\xbfTitel;Name (URL);")
