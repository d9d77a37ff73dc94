"""Importing the Dateninventur spreadsheet: a German report per row, all or nothing, idempotent, round trip."""
from __future__ import annotations

import re

import pytest
from ckan import model
from ckan.tests import factories, helpers
from click.testing import CliRunner

from ckanext.hamm.inventory.spreadsheet_cli import inventar_group
from tests.support.portal import PLUGINS, clean_db  # noqa: F401 (fixture)

from .sheets import csv_bytes, good_row, inventory_rows, xlsx

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


@pytest.fixture
def departments():
    factories.Organization(name="umweltamt", title="Umweltamt")
    factories.Organization(name="planungsamt", title="Stadtplanungsamt")


def datasets() -> dict[str, tuple[str, object]]:
    """name -> (title, metadata_modified) of every dataset in the database."""
    return {p.name: (p.title, p.metadata_modified)
            for p in model.Session.query(model.Package).filter(model.Package.type == "dataset")}


def import_file(tmp_path, data: bytes, kind: str, *args: str):
    path = tmp_path / f"inventur.{kind}"
    path.write_bytes(data)
    return CliRunner().invoke(inventar_group, ["import", str(path), *args])


def export_file(tmp_path, kind: str, *args: str) -> bytes:
    path = tmp_path / f"export.{kind}"
    result = CliRunner().invoke(inventar_group, ["export", str(path), *args])
    assert result.exit_code == 0, result.output
    return path.read_bytes()


def test_500_rows_with_20_broken_ones_report_exactly_those_and_write_nothing(departments, tmp_path):
    rows, broken = inventory_rows(500, broken_every=25)
    assert len(broken) == 20
    result = import_file(tmp_path, xlsx(rows), "xlsx")
    assert result.exit_code == 1, result.output
    reported = re.findall(r"^Zeile (\d+), Spalte „([^“]+)“: (.+?)  / row \1, column \"\2\": (.+)$", result.output, re.M)
    assert {(int(row), column) for row, column, _de, _en in reported} == set(broken.items()), result.output
    assert len(reported) == 20 and all(de != en for _r, _c, de, en in reported)  # German, then English
    assert "480 neu" in result.output and "20 fehlerhaft" in result.output
    assert "Nichts wurde geschrieben" in result.output
    assert datasets() == {}

    skipped = import_file(tmp_path, xlsx(rows), "xlsx", "--skip-invalid")
    assert skipped.exit_code == 1  # rows still failed, the valid ones are in
    assert len(datasets()) == 480

    clean = [good_row(i) for i in range(500)]
    first = import_file(tmp_path, xlsx(clean), "xlsx")
    assert first.exit_code == 0, first.output
    assert "20 neu" in first.output and "480 unverändert" in first.output
    before = datasets()
    again = import_file(tmp_path, xlsx(clean), "xlsx")
    assert again.exit_code == 0 and "0 neu, 0 geändert, 500 unverändert" in again.output, again.output
    assert datasets() == before  # no write: metadata_modified unchanged


def test_changed_rows_update_and_only_those(departments, tmp_path):
    rows = [good_row(i) for i in range(6)]
    assert import_file(tmp_path, csv_bytes(rows), "csv").exit_code == 0
    before = datasets()
    rows[2]["Titel"] = "Straßenbäume (neu vermessen)"
    rows[4]["Zugang"] = "intern"  # row 4 was "Offen"
    rows[4]["Rechtsgrundlage"] = "Dienstanweisung"
    result = import_file(tmp_path, csv_bytes(rows, "utf-8"), "csv")
    assert "0 neu, 2 geändert, 4 unverändert" in result.output, result.output
    after = datasets()
    changed = {name for name in after if after[name] != before[name]}
    assert len(changed) == 2
    shown = helpers.call_action("package_show", id=next(n for n in changed if "00004" in n))
    assert shown["zugang"] == "intern" and shown["rechtsgrundlage"] == "Dienstanweisung"


@pytest.mark.parametrize("kind,encoding", [("xlsx", None), ("csv", None)])
def test_export_then_import_changes_nothing(departments, tmp_path, kind, encoding):
    rows = [good_row(i) for i in range(12)]
    assert import_file(tmp_path, xlsx(rows), "xlsx").exit_code == 0
    before = datasets()
    exported = export_file(tmp_path, kind)
    result = import_file(tmp_path, exported, kind)
    assert result.exit_code == 0 and "0 neu, 0 geändert, 12 unverändert" in result.output, result.output
    assert datasets() == before
    one = export_file(tmp_path, "csv", "--organization", "umweltamt")
    assert one.decode("utf-8-sig").count("\r\n") == 1 + 6


def test_csv_as_german_excel_saves_it(departments, tmp_path):
    rows = [good_row(i) for i in range(4)]
    for data in (csv_bytes(rows, "cp1252", ";"), b"\xef\xbb\xbf" + csv_bytes(rows, "utf-8", ";")):
        result = import_file(tmp_path, data, "csv")
        assert result.exit_code == 0, result.output
    sysadmin = factories.Sysadmin()["name"]
    shown = helpers.call_action("package_search", context={"user": sysadmin}, q="*:*", include_private=True,
                                rows=10)["results"]
    assert len(shown) == 4
    assert {d["inventar_kontakt"] for d in shown} >= {"Frau Müller, gruen1@hamm.example"}
    assert {d["rechtsgrundlage"] for d in shown} >= {"§ 3 DSG NRW"}


def test_a_bad_file_is_a_message_not_a_traceback(departments, tmp_path):
    for data, kind, german in [(b"%PDF-1.4\x00", "xlsx", "keine Excel-Tabelle"), (b"", "csv", "leer"),
                               (b"Titel;Zugang\nx;offen\n", "csv", "Es fehlen die Spalten")]:
        result = import_file(tmp_path, data, kind)
        assert result.exit_code == 1 and german in result.output and "Traceback" not in result.output
    wrong = CliRunner().invoke(inventar_group, ["import", str(tmp_path / "inventur.ods")])
    assert wrong.exit_code == 1 and ".xlsx oder .csv" in wrong.output


def test_an_editor_imports_only_into_their_own_department(departments, tmp_path):
    editor = factories.User()
    helpers.call_action("organization_member_create", id="umweltamt", username=editor["name"], role="editor")
    rows = [good_row(i) for i in range(4)]  # rows 0 and 2: umweltamt; 1 and 3: Stadtplanungsamt
    result = import_file(tmp_path, csv_bytes(rows), "csv", "--user", editor["name"], "--skip-invalid")
    assert "Zeile 3, Spalte „Abteilung“" in result.output and "Zeile 5, Spalte „Abteilung“" in result.output
    assert sorted(datasets()) == sorted(n for n in datasets() if "00000" in n or "00002" in n)
    assert len(datasets()) == 2


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_formula_like_cells_export_neutralised_and_import_back_unchanged(departments, tmp_path, kind):
    """Issue 26 finding 4: the export guards cells against Excel; the city's own file still round-trips."""
    rows = [dict(good_row(i), Beschreibung=text, Quellsystem="@SAP")
            for i, text in enumerate(["=HYPERLINK(\"http://evil.example\")", "-Liste aus dem Amt", "+49 2381"])]
    assert import_file(tmp_path, csv_bytes(rows, "utf-8"), "csv").exit_code == 0
    before = datasets()
    exported = export_file(tmp_path, kind)
    if kind == "csv":
        assert "\r\n=" not in exported.decode("utf-8-sig") and ";=" not in exported.decode("utf-8-sig")
    result = import_file(tmp_path, exported, kind)
    assert result.exit_code == 0 and "0 neu, 0 geändert, 3 unverändert" in result.output, result.output
    assert datasets() == before
    shown = {p.notes for p in model.Session.query(model.Package)}
    assert "=HYPERLINK(\"http://evil.example\")" in shown and "-Liste aus dem Amt" in shown
