"""One spreadsheet row ↔ the dataset fields of the agreed layout (``spreadsheet.COLUMNS``).

Vocabulary cells take a concept id or its German (or English) label, the department
an organisation's name or title, dates ISO or German (TT.MM.JJJJ, TT.MM.JJ) or an Excel date (``dataset/dates.py``);
lists are separated by ";". Export writes what import reads, so an exported file
imports again without a change.
"""
from __future__ import annotations

import dataclasses
import re
from typing import Any, Optional

from ckan import model

from ckanext.hamm.dataset.dates import read_date
from ckanext.hamm.inventory.spreadsheet import normalise_header as normalise
from ckanext.hamm.vocabularies import store

LIST_FIELDS = ("handlungsfeld",)
DATE_FIELDS = ("geplante_veroeffentlichung",)
# An empty cell keeps what the dataset has (a dataset always has a name; the workflow owns the states).
KEEP_WHEN_EMPTY = ("name", "identifier", "zugang", "datenschutz_status", "inventar_status")
SEPARATOR = re.compile(r"\s*[;\n]\s*")


@dataclasses.dataclass
class Problem:
    field: str
    de: str
    en: str


@dataclasses.dataclass
class Lookups:
    """What rows are checked against, read once per import (not once per row)."""

    organisations: dict[str, str]          # normalised name or title -> id
    ambiguous: set[str]                    # titles used by more than one organisation
    organisation_names: dict[str, str]     # id -> name
    organisation_titles: dict[str, str]    # id -> title (export), name when the title is shared
    writable: Optional[set[str]]           # organisation ids the user may create datasets in; None: all
    choices: dict[str, dict[str, str]]     # field -> normalised id/label -> id
    labels: dict[str, dict[str, str]]      # field -> id -> German label
    licences: dict[str, str]               # normalised id/title -> id


def _schema_fields() -> dict[str, dict[str, Any]]:
    from ckanext.scheming.helpers import scheming_get_dataset_schema

    schema = scheming_get_dataset_schema("dataset") or {}
    return {f["field_name"]: f for f in schema.get("dataset_fields", [])}


def _concepts(field: dict[str, Any]) -> list[tuple[str, dict[str, str]]]:
    """(id, {lang: label}) of a field's controlled list: an inventory list, a city vocabulary or choices."""
    if field.get("inventory_vocabulary"):
        from ckanext.hamm.inventory import vocabularies as inventory_vocabularies

        return [(c.id, dict(c.label)) for c in inventory_vocabularies.get(field["inventory_vocabulary"]).concepts]
    if field.get("vocabulary"):
        try:
            vocab = store.get_vocabulary(field["vocabulary"])
        except KeyError:
            return []
        return [(c.id, dict(c.label)) for c in vocab.concepts]
    out = []
    for choice in field.get("choices") or []:
        label = choice.get("label", choice["value"])
        out.append((choice["value"], label if isinstance(label, dict) else {"de": label}))
    return out


def lookups(user_name: str, controlled: tuple[str, ...]) -> Lookups:
    orgs = model.Session.query(model.Group.id, model.Group.name, model.Group.title).filter(
        model.Group.is_organization.is_(True), model.Group.state == "active").all()
    by_key: dict[str, str] = {}
    seen_titles: dict[str, int] = {}
    for _id, _name, title in orgs:
        key = normalise(title or "")
        seen_titles[key] = seen_titles.get(key, 0) + 1
    ambiguous = {k for k, n in seen_titles.items() if n > 1 and k}
    for org_id, _name, title in orgs:
        if title and normalise(title) not in ambiguous:
            by_key[normalise(title)] = org_id
    for org_id, name, _title in orgs:
        by_key[normalise(name)] = org_id  # a name always wins over a title
    titles = {org_id: (title if title and normalise(title) not in ambiguous else name)
              for org_id, name, title in orgs}
    user = model.User.get(user_name) if user_name else None
    writable: Optional[set[str]]
    if user is not None and user.sysadmin:
        writable = None
    else:
        writable = {o["id"] for o in authz_orgs(user_name)} if user else set()
    fields = _schema_fields()
    choices: dict[str, dict[str, str]] = {}
    labels: dict[str, dict[str, str]] = {}
    for name in controlled:
        if name not in fields:
            continue
        table: dict[str, str] = {}
        for concept_id, label in _concepts(fields[name]):
            for text in (concept_id, *label.values()):
                table.setdefault(normalise(text), concept_id)
            labels.setdefault(name, {})[concept_id] = label.get("de") or concept_id
        choices[name] = table
    licences: dict[str, str] = {}
    for licence in model.Package.get_license_register().values():
        licences.setdefault(normalise(licence.id), licence.id)
        licences.setdefault(normalise(licence.title), licence.id)
    return Lookups(by_key, ambiguous, {o[0]: o[1] for o in orgs}, titles, writable, choices, labels, licences)


def authz_orgs(user_name: str) -> list[dict[str, Any]]:
    import ckan.plugins.toolkit as tk

    return tk.get_action("organization_list_for_user")(
        {"ignore_auth": True}, {"id": user_name, "permission": "create_dataset"})


def to_fields(cells: dict[str, str], found: Lookups) -> tuple[dict[str, Any], list[Problem]]:
    """The row's cells as dataset fields, and what is wrong in them before the schema looks."""
    fields: dict[str, Any] = {}
    problems: list[Problem] = []
    for field, raw in cells.items():
        text = raw.strip()
        if field == "owner_org":
            if not text:
                problems.append(Problem(field, "Bitte die Abteilung angeben.", "Please give the department."))
            elif normalise(text) in found.ambiguous and normalise(text) not in found.organisations:
                problems.append(Problem(field, f"Mehrere Abteilungen heißen „{text}“; bitte den Kurznamen angeben.",
                                        f"Several departments are called \"{text}\"; please give the short name."))
            elif normalise(text) not in found.organisations:
                problems.append(Problem(field, f"Unbekannte Abteilung „{text}“.", f"Unknown department \"{text}\"."))
            else:
                org_id = found.organisations[normalise(text)]
                if found.writable is not None and org_id not in found.writable:
                    problems.append(Problem(
                        field, f"Sie dürfen keine Datensätze der Abteilung „{text}“ anlegen oder ändern.",
                        f"You may not create or change datasets of the department \"{text}\"."))
                fields[field] = org_id
        elif field == "title" and not text:
            problems.append(Problem(field, "Bitte einen Titel angeben.", "Please give a title."))
        elif field in found.choices:
            values = [v for v in SEPARATOR.split(text) if v] if field in LIST_FIELDS else ([text] if text else [])
            ids = []
            for value in values:
                concept = found.choices[field].get(normalise(value))
                if concept is None:
                    allowed = ", ".join(found.labels.get(field, {}).values())
                    problems.append(Problem(field, f"Unbekannter Wert „{value}“. Erlaubt: {allowed}.",
                                            f"Unknown value \"{value}\". Allowed: {allowed}."))
                else:
                    ids.append(concept)
            fields[field] = sorted(set(ids)) if field in LIST_FIELDS else (ids[0] if ids else "")
        elif field in DATE_FIELDS:
            date = read_date(text) if text else None
            if text and date is None:
                problems.append(Problem(field, f"„{text}“ ist kein Datum (erwartet TT.MM.JJJJ).",
                                        f"\"{text}\" is not a date (expected DD.MM.YYYY)."))
            else:
                fields[field] = date.isoformat() if date else ""
        elif field == "license_id":
            licence = found.licences.get(normalise(text)) if text else ""
            if licence is None:
                problems.append(Problem(field, f"Unbekannte Lizenz „{text}“.", f"Unknown licence \"{text}\"."))
            else:
                fields[field] = licence
        elif field == "tag_string":
            fields[field] = ",".join(sorted({t for t in re.split(r"\s*[;,\n]\s*", text) if t}))
        else:
            fields[field] = text
    return fields, problems


def of_package(package: dict[str, Any], fields: list[str]) -> dict[str, Any]:
    """The same projection as :func:`to_fields` of an existing dataset (to see whether a row changes it)."""
    out: dict[str, Any] = {}
    for field in fields:
        if field == "tag_string":
            out[field] = ",".join(sorted({t["name"] for t in package.get("tags") or []}))
        elif field in LIST_FIELDS:
            value = package.get(field) or []
            out[field] = sorted(set(value if isinstance(value, list) else [value]))
        elif field in DATE_FIELDS:
            value = package.get(field)
            date = read_date(value) if value else None
            out[field] = date.isoformat() if date else str(value or "")
        else:
            value = package.get(field)
            out[field] = "" if value is None else str(value)
    return out


def to_cells(package: dict[str, Any], found: Lookups) -> list[Any]:
    """One export row in the order of ``spreadsheet.COLUMNS``."""
    from ckanext.hamm.inventory.spreadsheet import COLUMNS

    row: list[Any] = []
    for _header, field in COLUMNS:
        value = package.get(field)
        if field == "owner_org":
            row.append(found.organisation_titles.get(value or "", ""))
        elif field == "tag_string":
            row.append("; ".join(sorted(t["name"] for t in package.get("tags") or [])))
        elif field in found.labels:
            values = value if isinstance(value, list) else ([value] if value else [])
            row.append("; ".join(found.labels[field].get(v, v) for v in values))
        elif field in DATE_FIELDS:
            date = read_date(value) if value else None
            row.append(date or value or "")
        else:
            row.append("" if value is None else value)
    return row
