"""Demo Dateninventur (issue 19): ≈50 private entries over seven departments, mixed Zugang and state.

Seeded by ``ckan hamm demo seed`` after the public demo datasets (which are the inventory's
published entries). Idempotent like the rest of the demo: names are the identity, and the
workflow history of an entry is written only once.
"""
from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import ckan.plugins.toolkit as tk
import yaml
from ckan.lib.munge import munge_title_to_name

from ckanext.hamm.inventory import (
    DATENSCHUTZ,
    DATENSCHUTZ_AM,
    DATENSCHUTZ_VON,
    ERFASST,
    FREIGEGEBEN,
    GEPRUEFT,
    KONTAKT,
    NICHT_VEROEFFENTLICHBAR,
    OFFEN,
    QUELLSYSTEM,
    RECHTSGRUNDLAGE,
    STATUS,
    UEBERGEBEN,
    VEROEFFENTLICHBAR,
    ZUGANG,
)
from ckanext.hamm.model import inventory_history as history

CONTENT = Path(__file__).with_name("inventory.yaml")
REASONS = {"intern": "Arbeitsunterlage der Verwaltung (§ 6 IFG NRW)",
           "eingeschraenkt": "Rechte Dritter / vertragliche Nutzungsbeschränkung",
           "personenbezogen": "Art. 6 Abs. 1 lit. e DSGVO i. V. m. dem Fachgesetz"}
REVIEWER = "datenschutz-demo"


def load() -> dict[str, Any]:
    return yaml.safe_load(CONTENT.read_text(encoding="utf-8"))


def entries() -> list[dict[str, Any]]:
    """The entries as dataset dicts (status and decision included; seeded as sysadmin)."""
    result = []
    for number, (org, rows) in enumerate(sorted(load()["departments"].items())):
        for index, (title, zugang, state, source, field) in enumerate(rows):
            refused = state == "geprueft-nein"
            state = GEPRUEFT if refused else state
            data: dict[str, Any] = {
                "name": f"inventar-{munge_title_to_name(title)}"[:100], "title": title, "owner_org": org,
                "private": True, "notes": f"Eintrag der Dateninventur: {title} aus {source}.",
                "license_id": "dl-by-de/2.0", "handlungsfeld": [field], ZUGANG: zugang, QUELLSYSTEM: source,
                KONTAKT: f"Sachgebiet {title.split()[0]} ({org}@hamm.example)", STATUS: state,
                "identifier": f"hamm-inventar-{number:02d}{index:02d}",
            }
            if zugang != OFFEN:
                data[RECHTSGRUNDLAGE] = REASONS[zugang]
            if state in (GEPRUEFT, FREIGEGEBEN):
                reviewed = datetime.date(2026, 10, 1) + datetime.timedelta(days=number * 7 + index)
                data.update({DATENSCHUTZ: NICHT_VEROEFFENTLICHBAR if refused else VEROEFFENTLICHBAR,
                             DATENSCHUTZ_VON: REVIEWER, DATENSCHUTZ_AM: reviewed.isoformat()})
            if state == ERFASST and index % 2 == 0:
                data["geplante_veroeffentlichung"] = f"2027-{(index % 12) + 1:02d}-01"
            result.append(data)
    return result


def _history(package: dict[str, Any], admin: str) -> None:
    if history.steps(package["id"]):
        return
    state = package[STATUS]
    if state == UEBERGEBEN:
        history.record(package["id"], ERFASST, UEBERGEBEN, admin, None, "Demo")
    if state in (GEPRUEFT, FREIGEGEBEN):
        history.record(package["id"], ERFASST, GEPRUEFT, REVIEWER, package[DATENSCHUTZ], "Demo")
    if state == FREIGEGEBEN:
        history.record(package["id"], GEPRUEFT, FREIGEGEBEN, admin, None, "Demo")


def seed(admin: str, upsert: Any) -> dict[str, int]:
    """Create or refresh the demo departments and entries (``upsert`` is the demo's own)."""
    context = {"user": admin, "ignore_auth": True}
    counts = {"inventory entries": 0}
    for org in load()["organizations"]:
        upsert("organization", dict(org), context)
    for data in entries():
        package, _ = upsert("package", data, context)
        _history(tk.get_action("package_show")(dict(context), {"id": package["id"]}), admin)
        counts["inventory entries"] += 1
    return counts
