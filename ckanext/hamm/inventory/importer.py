"""Import of a Dateninventur spreadsheet: every row through the dataset schema, then all or nothing.

Rows are checked with the same schema ``package_create``/``package_update`` validate
with (the scheming plugin's ``validate``, so the city's rules and the inventory
rules apply), without writing. Only when no row failed — or with ``skip_invalid``,
for the valid rows — are the datasets written, in one transaction. A row that
matches an existing dataset (by ``identifier``, else by ``name``) and changes
nothing is not written at all: no activity, ``metadata_modified`` unchanged.
"""
from __future__ import annotations

import contextlib
import dataclasses
import gettext
import logging
import os
from typing import Any, Iterator, Optional

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.hamm.dataset import api_labels, origin
from ckanext.hamm.dataset import defaults as dataset_defaults
from ckanext.hamm.inventory import CONTROLLED, STATUS, cells, rules
from ckanext.hamm.inventory.spreadsheet import COLUMNS, HEADER, Sheet

log = logging.getLogger(__name__)

VOCABULARY_FIELDS = ("handlungsfeld", *CONTROLLED)  # cells that take an id or a label
OUTPUT_ONLY = ("metadata_modified", "metadata_created")


@dataclasses.dataclass
class Problem:
    row: int
    column: str
    de: str
    en: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": f"{self.de} / {self.en}",
                "message_de": self.de, "message_en": self.en}


@dataclasses.dataclass
class Report:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    dry_run: bool = False
    written: bool = False
    problems: list[Problem] = dataclasses.field(default_factory=list)
    unknown_headers: list[str] = dataclasses.field(default_factory=list)
    planned: list[dict[str, Any]] = dataclasses.field(default_factory=list)  # row, action, title

    @property
    def failed_rows(self) -> int:
        return len({p.row for p in self.problems})

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, Any]:
        de, en = self.summary()
        return {"summary_de": de, "summary_en": en, "ok": self.ok, "written": self.written,
                "dry_run": self.dry_run, "rows": self.rows,
                "created": self.created, "updated": self.updated, "unchanged": self.unchanged,
                "failed_rows": self.failed_rows, "skipped": self.skipped,
                "unknown_headers": self.unknown_headers,
                "problems": [p.as_dict() for p in self.problems], "planned": self.planned}

    def summary(self) -> tuple[str, str]:
        """One German and one English sentence for the CLI and the page."""
        de = (f"{self.rows} Zeilen: {self.created} neu, {self.updated} geändert, {self.unchanged} unverändert, "
              f"{self.failed_rows} fehlerhaft.")
        en = (f"{self.rows} rows: {self.created} new, {self.updated} changed, {self.unchanged} unchanged, "
              f"{self.failed_rows} failed.")
        if self.written and self.skipped:
            de += f" {self.skipped} fehlerhafte Zeilen wurden übersprungen."
            en += f" {self.skipped} failed rows were skipped."
        if self.dry_run:
            de += " Probelauf: nichts wurde geschrieben."
            en += " Dry run: nothing was written."
        elif not self.written and (self.created or self.updated or self.problems):
            de += " Nichts wurde geschrieben."
            en += " Nothing was written."
        return de, en


# --- messages -------------------------------------------------------------------------------

@contextlib.contextmanager
def _english() -> Iterator[None]:
    """CKAN's own validators speak the request's language; the report wants both, so ask in English."""
    try:
        from flask_babel import force_locale

        with force_locale("en"):
            yield
    except RuntimeError:  # no application context (plain library use)
        yield


def _catalogues() -> list[gettext.NullTranslations]:
    import ckan

    import ckanext.hamm

    found = []
    for domain, folder in (("ckan", os.path.join(os.path.dirname(ckan.__file__), "i18n")),
                           ("ckanext-hamm", os.path.join(os.path.dirname(ckanext.hamm.__file__), "i18n"))):
        found.append(gettext.translation(domain, localedir=folder, languages=["de"], fallback=True))
    return found


_CATALOGUES: list[gettext.NullTranslations] = []


def bilingual(message: str) -> tuple[str, str]:
    """(German, English) of a schema error: ours are "Deutsch / English", CKAN's are English."""
    if " / " in message:
        de, _sep, en = message.partition(" / ")
        return de.strip(), en.strip()
    if not _CATALOGUES:
        _CATALOGUES.extend(_catalogues())
    for catalogue in _CATALOGUES:
        german = catalogue.gettext(message)
        if german != message:
            return german, message
    return message, message


def _flatten(errors: Any) -> list[str]:
    if isinstance(errors, str):
        return [errors]
    if isinstance(errors, dict):
        return [m for value in errors.values() for m in _flatten(value)]
    if isinstance(errors, list):
        return [m for value in errors for m in _flatten(value)]
    return [str(errors)]


def _problems(number: int, errors: dict[str, Any]) -> list[Problem]:
    """One problem per distinct message of a CKAN error dict, under the column of its field."""
    found = []
    for field, messages in errors.items():
        for message in dict.fromkeys(_flatten(messages)):
            de, en = bilingual(message)
            found.append(Problem(number, _column(field), de, en))
    return found


def _column(field: str) -> str:
    if field in ("tags", "tag_string"):
        return HEADER["tag_string"]
    return HEADER.get(field, field)


# --- the import ------------------------------------------------------------------------------

def _existing() -> tuple[dict[str, str], dict[str, str]]:
    """Active and draft datasets by identifier and by name (one query each)."""
    alive = model.Package.state != "deleted"
    identifier = model.Package.extras["identifier"].astext
    by_identifier = dict(
        model.Session.query(identifier, model.Package.id)
        .filter(identifier.isnot(None), alive, model.Package.type == "dataset").all())
    by_name = dict(model.Session.query(model.Package.name, model.Package.id).filter(
        alive, model.Package.type == "dataset").all())
    return by_identifier, by_name


def _validate(user: str, data: dict[str, Any], package: Optional[model.Package]) -> dict[str, Any]:
    """The errors ``package_create``/``package_update`` would give for this dataset dict, without writing.

    The same steps as the chained actions (organisation defaults, the inventory's rules
    across fields), then the scheming schema's ``validate``.
    """
    from ckan.lib import plugins as lib_plugins

    plugin = lib_plugins.lookup_package_plugin("dataset")
    context: dict[str, Any] = {"model": model, "session": model.Session, "user": user}
    errors: dict[str, Any] = {}
    with _english():
        try:
            data = rules.apply(dict(context), dataset_defaults.apply(dict(data)) if package is None else data, package)
        except tk.ValidationError as error:
            errors.update(error.error_dict)
        if package is not None:
            context["package"] = package
            schema, action = plugin.update_package_schema(), "package_update"
        else:
            schema, action = plugin.create_package_schema(), "package_create"
        validated, schema_errors = lib_plugins.plugin_validate(plugin, context, dict(data), schema, action)
    for field, messages in schema_errors.items():
        errors.setdefault(field, [])
        errors[field] = list(errors[field]) + [m for m in _flatten(messages) if m not in errors[field]]
    return {"data": validated, "errors": errors}


def _private(fields: dict[str, Any]) -> bool:
    """A new entry is public only when it is open data and already published."""
    return not (fields.get("zugang", "offen") in ("", "offen") and fields.get("inventar_status") == "veroeffentlicht")


def plan(sheet: Sheet, user: str) -> tuple[Report, list[tuple[int, str, dict[str, Any]]]]:
    """Check every row; the report and the writes that would follow (row, action, dataset dict)."""
    report = Report(rows=len(sheet.rows), unknown_headers=list(sheet.unknown_headers))
    found = cells.lookups(user, VOCABULARY_FIELDS)
    by_identifier, by_name = _existing()
    writes: list[tuple[int, str, dict[str, Any]]] = []
    seen_keys: dict[str, int] = {}
    new_names: dict[str, int] = {}
    show = tk.get_action("package_show")
    for row in sheet.rows:
        fields, cell_problems = cells.to_fields(row.cells, found)
        problems = [Problem(row.number, _column(p.field), p.de, p.en) for p in cell_problems]
        identifier, name = fields.get("identifier", ""), fields.get("name", "")
        key = f"id:{identifier}" if identifier else (f"name:{name}" if name else "")
        if key and key in seen_keys:
            column = "identifier" if identifier else "name"
            problems.append(Problem(row.number, _column(column),
                                    f"Kommt schon in Zeile {seen_keys[key]} vor.",
                                    f"Already given in row {seen_keys[key]}."))
        elif key:
            seen_keys[key] = row.number
        package_id = by_identifier.get(identifier) if identifier else None
        if package_id is None and not identifier and name:
            package_id = by_name.get(name)
        if problems:
            report.problems.extend(problems)
            continue
        for field in cells.KEEP_WHEN_EMPTY:
            if fields.get(field) == "":
                del fields[field]
        if package_id is not None:
            existing = show({"ignore_auth": True, "for_view": False}, {"id": package_id})
            if cells.of_package(existing, list(fields)) == fields:
                report.unchanged += 1
                continue
            if found.writable is not None and existing.get("owner_org") not in found.writable:
                report.problems.append(Problem(
                    row.number, _column("owner_org"),
                    "Der Datensatz gehört einer Abteilung, deren Datensätze Sie nicht ändern dürfen.",
                    "The dataset belongs to a department whose datasets you may not change."))
                continue
            data = api_labels.strip(origin.strip({k: v for k, v in existing.items() if k not in OUTPUT_ONLY}))
            data.update(fields)
            if fields.get(STATUS) and fields[STATUS] != existing.get(STATUS):
                data.pop("private", None)  # the inventory rules decide visibility from the new state
            if "tag_string" in fields:
                data.pop("tags", None)
            action, package = "update", model.Package.get(package_id)
        else:
            data = dict(fields, type="dataset", private=_private(fields))
            action, package = "create", None
        result = _validate(user, data, package)
        errors = result["errors"]
        if action == "create" and not errors:
            generated = result["data"].get("name", "")
            if generated in new_names:
                errors = {"name": [f"Der Name (URL) „{generated}“ entsteht schon aus Zeile {new_names[generated]}; "
                                   "bitte einen eigenen Namen angeben. / "
                                   f"The name \"{generated}\" already results from row {new_names[generated]}; "
                                   "please give another name."]}
            else:
                new_names[generated] = row.number
        if errors:
            report.problems.extend(_problems(row.number, errors))
            continue
        writes.append((row.number, action, data))
        report.planned.append({"row": row.number, "action": action, "title": data.get("title", "")})
        if action == "create":
            report.created += 1
        else:
            report.updated += 1
    report.problems.sort(key=lambda p: (p.row, [h for h, _ in COLUMNS].index(p.column)
                                        if p.column in HEADER.values() else 99))
    return report, writes


BATCH = 200  # datasets written, indexed and committed together


def _index_and_commit(package_ids: list[str]) -> None:
    """Index a batch as ``search-index rebuild`` does (one deferred write), then commit it."""
    from ckan.lib import search

    search.rebuild(package_ids=package_ids, quiet=True)  # commits the session
    search.commit()


def run(sheet: Sheet, user: str, dry_run: bool = False, skip_invalid: bool = False) -> Report:
    """Check every row, then write the planned datasets (nothing when any row failed, unless ``skip_invalid``).

    Each dataset is written by ``package_create``/``package_update`` as ``user`` (auth and
    rules as in the form), in batches that are indexed and committed together (a search
    index write per dataset costs far more). Rows were validated with the same schema
    beforehand, so a write that still fails (a name taken in the meantime) is rare; it
    stops the import, its batch is rolled back and the report names the row.
    """
    report, writes = plan(sheet, user)
    report.dry_run = dry_run
    if report.problems:
        report.skipped = report.failed_rows if skip_invalid else 0
    if dry_run or (report.problems and not skip_invalid) or not writes:
        return report
    done = {"create": 0, "update": 0}
    batch: list[str] = []
    counts = {"create": 0, "update": 0}
    for number, action, data in writes:
        try:
            batch.append(tk.get_action(f"package_{action}")(
                {"user": user, "defer_commit": True, "return_id_only": True}, data))
        except (tk.ValidationError, tk.NotAuthorized) as error:
            model.Session.rollback()
            report.problems.extend(_problems(number, error.error_dict if isinstance(error, tk.ValidationError)
                                             else {"owner_org": ["Keine Berechtigung. / Not authorised."]}))
            batch = []
            break
        counts[action] += 1
        if len(batch) >= BATCH:
            _index_and_commit(batch)
            done = {k: done[k] + counts[k] for k in done}
            batch, counts = [], {"create": 0, "update": 0}
    if batch:
        _index_and_commit(batch)
        done = {k: done[k] + counts[k] for k in done}
    report.created, report.updated = done["create"], done["update"]
    report.written = bool(report.created or report.updated)
    return report
