"""Staff pages of the Dateninventur spreadsheet: upload, check (dry run) and import; export download.

The checked file waits in a private temporary folder under a random token kept in
the person's session, so "Importieren" imports exactly the file that was checked
without a second upload.
"""
from __future__ import annotations

import io
import os
import secrets
import tempfile
import time
from typing import Any, Optional

import ckan.plugins.toolkit as tk
from flask import Blueprint, Response, session
from werkzeug.datastructures import FileStorage

from ckanext.hamm import config as hamm_config
from ckanext.hamm.inventory import spreadsheet

__all__ = ["hamm_inventar_sheet"]

hamm_inventar_sheet = Blueprint("hamm_inventar_sheet", __name__)

SESSION_KEY = "hamm_inventar_upload"
KEEP_SECONDS = 3600


def _context() -> dict[str, Any]:
    return {"user": tk.current_user.name if tk.current_user.is_authenticated else ""}


def _folder() -> str:
    folder = os.path.join(tempfile.gettempdir(), "hamm-inventar")
    os.makedirs(folder, mode=0o700, exist_ok=True)
    now = time.time()
    for name in os.listdir(folder):  # forgotten checks do not pile up
        path = os.path.join(folder, name)
        try:
            if now - os.path.getmtime(path) > KEEP_SECONDS:
                os.remove(path)
        except OSError:
            pass
    return folder


def _allowed() -> None:
    try:
        tk.check_access("hamm_inventar_import", _context(), {})
    except tk.NotAuthorized:
        tk.abort(403, tk._("Only members of an organisation can use the inventory spreadsheet."))


def _render(report: Optional[dict[str, Any]] = None, errors: Optional[list[str]] = None,
            token: str = "", skip_invalid: bool = False, filename: str = "") -> str:
    return tk.render("hamm/inventar_import.html", {
        "report": report, "errors": errors or [], "token": token, "skip_invalid": skip_invalid,
        "filename": filename, "columns": [h for h, _ in spreadsheet.COLUMNS]})


def _run(upload: FileStorage, dry_run: bool, skip_invalid: bool) -> tuple[Optional[dict], list[str]]:
    try:
        return tk.get_action("hamm_inventar_import")(_context(), {
            "upload": upload, "dry_run": dry_run, "skip_invalid": skip_invalid}), []
    except tk.ValidationError as error:
        messages = error.error_dict.get("upload") or []
        return None, [str(m) for m in messages] + [str(m) for m in error.error_dict.get("rows") or []]


def upload() -> Any:
    _allowed()
    if tk.request.method != "POST":
        return _render()
    skip_invalid = tk.asbool(tk.request.form.get("skip_invalid"))
    if tk.request.form.get("step") == "import":
        return _import(skip_invalid)
    file = tk.request.files.get("upload")
    if file is None or not file.filename:
        return _render(errors=[tk._("Please choose a spreadsheet file (.xlsx or .csv).")], skip_invalid=skip_invalid)
    data = file.stream.read(hamm_config.inventory_max_bytes() + 1)  # the action refuses what is larger
    report, errors = _run(FileStorage(io.BytesIO(data), filename=file.filename), True, skip_invalid)
    token = ""
    if report is not None and (report["created"] or report["updated"]) and (report["ok"] or skip_invalid):
        token = secrets.token_hex(16)
        with open(os.path.join(_folder(), token), "wb") as handle:
            handle.write(data)
        session[SESSION_KEY] = {"token": token, "filename": file.filename, "skip_invalid": skip_invalid}
    return _render(report, errors, token, skip_invalid, file.filename)


def _import(skip_invalid: bool) -> Any:
    kept = session.pop(SESSION_KEY, None) or {}
    token = tk.request.form.get("token", "")
    path = os.path.join(_folder(), token) if token and token == kept.get("token") and token.isalnum() else ""
    if not path or not os.path.isfile(path):
        return _render(errors=[tk._("The checked file has expired; please upload it again.")])
    with open(path, "rb") as handle:
        data = handle.read()
    os.remove(path)
    filename = str(kept.get("filename") or "inventar.xlsx")
    report, errors = _run(FileStorage(io.BytesIO(data), filename=filename), False, bool(kept.get("skip_invalid")))
    return _render(report, errors, "", skip_invalid, filename)


def export(kind: str) -> Any:
    if kind not in ("xlsx", "csv"):
        return tk.abort(404)
    try:
        result = tk.get_action("hamm_inventar_export")(_context(), {
            "organization": tk.request.args.get("organization") or None})
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only members of an organisation can use the inventory spreadsheet."))
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Organisation not found"))
    body = spreadsheet.write(kind, result["rows"])
    mimetype = ("text/csv; charset=utf-8" if kind == "csv"
                else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    return Response(body, mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="dateninventur.{kind}"', "Cache-Control": "private, no-store"})


hamm_inventar_sheet.add_url_rule("/inventar/import", "upload", upload, methods=["GET", "POST"])
hamm_inventar_sheet.add_url_rule("/inventar/export.<kind>", "export", export)
