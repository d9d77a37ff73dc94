"""The staff page /inventar/import and the API: who may check, import and export (role matrix)."""
from __future__ import annotations

import io
import re

import ckan.plugins.toolkit as tk
import pytest
from ckan import model
from ckan.lib.helpers import url_for
from ckan.tests import factories, helpers
from openpyxl import load_workbook

from tests.support.portal import PLUGINS, clean_db  # noqa: F401 (fixture)

from .sheets import csv_bytes, good_row

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]

BASE = ["Titel", "Identifikator", "Abteilung", "Handlungsfeld", "Lizenz", "Schlagwörter"]


@pytest.fixture
def people():
    editor, other, member, outsider = (factories.User() for _ in range(4))
    factories.Organization(name="umweltamt", title="Umweltamt", users=[
        {"name": editor["name"], "capacity": "editor"}, {"name": member["name"], "capacity": "member"}])
    factories.Organization(name="planungsamt", title="Stadtplanungsamt",
                           users=[{"name": other["name"], "capacity": "editor"}])
    return {"editor": editor, "other": other, "member": member, "outsider": outsider,
            "sysadmin": factories.Sysadmin()}


def _headers(user) -> dict[str, str]:
    return {"Authorization": factories.APIToken(user=user["name"])["token"]} if user else {}


def _token(body: str) -> str:
    match = re.search(r'name="_csrf_token"\s+value="([^"]+)"', body)
    assert match, "form without CSRF token"
    return match.group(1)


def _umwelt_file() -> bytes:
    return csv_bytes([good_row(0), good_row(2)], headers=BASE)  # both rows: umweltamt


def _check(app, user, data: bytes):
    headers = _headers(user)
    page = app.get(url_for("hamm_inventar_sheet.upload"), headers=headers)
    return app.post(url_for("hamm_inventar_sheet.upload"), headers=headers, data={
        "_csrf_token": _token(page.body), "step": "check",
        "upload": (io.BytesIO(data), "inventur.csv")}, content_type="multipart/form-data")


def _count() -> int:
    return model.Session.query(model.Package).filter(model.Package.type == "dataset",
                                                     model.Package.state == "active").count()


@pytest.mark.parametrize("who,status", [(None, 403), ("outsider", 403), ("member", 200), ("editor", 200),
                                        ("other", 200), ("sysadmin", 200)])
def test_only_members_of_an_organisation_see_the_page(app, people, who, status):
    response = app.get(url_for("hamm_inventar_sheet.upload"), headers=_headers(people.get(who)))
    assert response.status_code == status
    if status == 200:
        assert "Dateninventur" in response.body and 'type="file"' in response.body
    exported = app.get(url_for("hamm_inventar_sheet.export", kind="csv"), headers=_headers(people.get(who)))
    assert exported.status_code == status


def test_the_editor_checks_then_imports(app, people):
    checked = _check(app, people["editor"], _umwelt_file())
    assert checked.status_code == 200
    assert "Ergebnis der Prüfung" in checked.body and "Probelauf: nichts wurde geschrieben" in checked.body
    assert _count() == 0  # the check writes nothing
    token = re.search(r'name="token" value="([0-9a-f]+)"', checked.body)
    assert token, "no Importieren button"
    imported = app.post(url_for("hamm_inventar_sheet.upload"), headers=_headers(people["editor"]), data={
        "_csrf_token": _token(checked.body), "step": "import", "token": token.group(1)})
    assert imported.status_code == 200 and "wurde importiert" in imported.body
    assert _count() == 2
    again = app.post(url_for("hamm_inventar_sheet.upload"), headers=_headers(people["editor"]), data={
        "_csrf_token": _token(checked.body), "step": "import", "token": token.group(1)})
    assert "abgelaufen" in again.body and _count() == 2  # a token imports once


@pytest.mark.parametrize("who", ["other", "member"])
def test_another_department_or_a_plain_member_cannot_import_into_umweltamt(app, people, who):
    checked = _check(app, people[who], _umwelt_file())
    assert checked.status_code == 200
    assert checked.body.count("Sie dürfen keine Datensätze der Abteilung") == 2
    assert 'name="token"' not in checked.body and _count() == 0


def test_the_form_needs_its_csrf_token(app, people):
    """A signed-in browser session (not an API token) posts without the form's token: refused."""
    editor = factories.User(password="Richtig-Pferd-42")
    helpers.call_action("organization_member_create", id="umweltamt", username=editor["name"], role="editor")
    login = app.get("/user/login")
    app.post("/user/login", data={"login": editor["name"], "password": "Richtig-Pferd-42",
                                  "_csrf_token": _token(login.body)})
    assert app.get(url_for("hamm_inventar_sheet.upload")).status_code == 200  # signed in
    response = app.post(url_for("hamm_inventar_sheet.upload"), data={
        "step": "check", "upload": (io.BytesIO(_umwelt_file()), "inventur.csv")},
        content_type="multipart/form-data")
    assert response.status_code in (400, 403) and _count() == 0


def test_a_bad_upload_is_a_message_on_the_page(app, people):
    response = _check(app, people["editor"], b"\x89PNG\r\n\x1a\n\x00\x00")
    assert response.status_code == 200 and "keine Tabelle" in response.body


def test_the_api_imports_and_exports(app, people):
    url = url_for("api.action", logic_function="hamm_inventar_import", ver=3)
    anonymous = app.post(url, data={"upload": (io.BytesIO(_umwelt_file()), "inventur.csv")},
                         content_type="multipart/form-data")
    assert anonymous.status_code == 403
    other = app.post(url, headers=_headers(people["other"]), content_type="multipart/form-data",
                     data={"upload": (io.BytesIO(_umwelt_file()), "inventur.csv")})
    assert other.status_code == 409 and "Zeile 2, Spalte „Abteilung“" in other.json["error"]["rows"][0]
    dry = app.post(url, headers=_headers(people["editor"]), content_type="multipart/form-data",
                   data={"upload": (io.BytesIO(_umwelt_file()), "inventur.csv"), "dry_run": "true"})
    assert dry.json["result"]["created"] == 2 and _count() == 0
    done = app.post(url, headers=_headers(people["editor"]), content_type="multipart/form-data",
                    data={"upload": (io.BytesIO(_umwelt_file()), "inventur.csv")})
    assert done.json["result"]["written"] and _count() == 2
    bad = app.post(url, headers=_headers(people["editor"]), content_type="multipart/form-data",
                   data={"upload": (io.BytesIO(b"%PDF\x00"), "inventur.xlsx")})
    assert bad.status_code == 409 and "keine Excel-Tabelle" in bad.json["error"]["upload"][0]

    exported = helpers.call_action("hamm_inventar_export", context={"user": people["editor"]["name"]})
    assert exported["headers"][0] == "Titel" and len(exported["rows"]) == 2
    with pytest.raises(tk.NotAuthorized):
        helpers.call_action("hamm_inventar_export", context={"user": people["outsider"]["name"], "ignore_auth": False})
    download = app.get(url_for("hamm_inventar_sheet.export", kind="xlsx"), headers=_headers(people["editor"]))
    sheet = load_workbook(io.BytesIO(download.data)).worksheets[0]
    assert [c.value for c in sheet[1]][:3] == ["Titel", "Name (URL)", "Identifikator"] and sheet.max_row == 3


@pytest.mark.ckan_config("ckanext.hamm.inventory.max_bytes", 2000)
def test_a_file_over_the_size_cap_is_refused_with_a_message(app, people):
    big = csv_bytes([good_row(i) for i in range(40)], headers=BASE)
    assert len(big) > 2000
    response = _check(app, people["editor"], big)
    assert response.status_code == 200 and "zu groß" in response.body and _count() == 0
