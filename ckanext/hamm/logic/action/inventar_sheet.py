"""The Dateninventur spreadsheet as an API: import a file (multipart upload), export the layout as rows."""
from __future__ import annotations

from typing import Any, Optional

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context, DataDict

from ckanext.hamm import config as hamm_config
from ckanext.hamm.inventory import exporter, importer, spreadsheet

__all__ = ["hamm_inventar_import", "hamm_inventar_export"]


def _upload(value: Any) -> tuple[str, bytes]:
    """(file name, bytes) of a multipart upload; at most the size cap plus one byte is read."""
    limit = hamm_config.inventory_max_bytes() + 1
    filename = getattr(value, "filename", None)
    reader = getattr(value, "read", None) or getattr(getattr(value, "stream", None), "read", None)
    if not filename or reader is None:
        raise tk.ValidationError({"upload": [
            "Bitte eine Datei (.xlsx oder .csv) hochladen. / Please upload a file (.xlsx or .csv)."]})
    return str(filename), reader(limit)


def read_upload(value: Any) -> spreadsheet.Sheet:
    filename, data = _upload(value)
    try:
        return spreadsheet.read(data, filename, hamm_config.inventory_max_rows(), hamm_config.inventory_max_bytes())
    except spreadsheet.SpreadsheetError as error:
        raise tk.ValidationError({"upload": [f"{error.de} / {error.en}"]}) from None


def _flag(data_dict: DataDict, key: str) -> bool:
    """A yes/no parameter; anything else is a clear error (``tk.asbool`` raised a ValueError, a 500)."""
    try:
        return tk.asbool(data_dict.get(key, False))
    except (ValueError, TypeError, AttributeError):
        raise tk.ValidationError({key: [
            f"„{key}“ muss true oder false sein. / \"{key}\" must be true or false."]}) from None


def hamm_inventar_import(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Check (``dry_run``) or import an inventory spreadsheet given as ``upload``.

    Returns the report (rows, created/updated/unchanged, problems with row, column and
    message). Without ``dry_run``, rows that fail make it a 409 and nothing is written,
    unless ``skip_invalid``.
    """
    tk.check_access("hamm_inventar_import", context, data_dict)
    dry_run = _flag(data_dict, "dry_run")
    skip_invalid = _flag(data_dict, "skip_invalid")
    sheet = read_upload(data_dict.get("upload"))
    report = importer.run(sheet, context.get("user") or "", dry_run=dry_run, skip_invalid=skip_invalid)
    result = report.as_dict()
    if report.problems and not dry_run and not skip_invalid:
        de, en = report.summary()
        raise tk.ValidationError({
            "upload": [f"{de} / {en}"],
            "rows": [f"Zeile {p.row}, Spalte „{p.column}“: {p.de} / row {p.row}, column \"{p.column}\": {p.en}"
                     for p in report.problems]})
    return result


def _organization(value: Optional[str]) -> Optional[str]:
    if not value:
        return None
    group = model.Group.get(value)
    if group is None or not group.is_organization or group.state != "active":
        raise tk.ObjectNotFound(tk._("Organisation not found"))
    return group.id


def hamm_inventar_export(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The datasets the caller can see in the import's layout: ``headers`` and ``rows`` (text cells).

    ``organization`` (name or id) limits it to one department.
    """
    tk.check_access("hamm_inventar_export", context, data_dict)
    org_id = _organization(data_dict.get("organization"))
    rows = exporter.rows(context.get("user") or "", org_id)
    return {"headers": [h for h, _ in spreadsheet.COLUMNS],
            "rows": [[spreadsheet.text_of(value) for value in row] for row in rows]}
