"""Dateninventur (issue 19): the city's inventory of all its data, internal ones included.

Inventory entries are ordinary datasets with a few more fields. The field names and
the ids of their controlled values are named once here (the spreadsheet import, the
visibility rules, the workflow and the figures read them).
"""
from __future__ import annotations

ZUGANG = "zugang"
KONTAKT = "inventar_kontakt"
QUELLSYSTEM = "quellsystem"
RECHTSGRUNDLAGE = "rechtsgrundlage"
GEPLANT = "geplante_veroeffentlichung"
DATENSCHUTZ = "datenschutz_status"
DATENSCHUTZ_VON = "datenschutz_geprueft_von"
DATENSCHUTZ_AM = "datenschutz_geprueft_am"
STATUS = "inventar_status"

# Controlled fields -> their vocabulary (schemas/vocabularies/inventar/<id>.yaml).
CONTROLLED: tuple[str, ...] = (ZUGANG, DATENSCHUTZ, STATUS)
# Set by the workflow (hamm_inventar_transition), not typed into the form.
WORKFLOW_FIELDS: tuple[str, ...] = (STATUS, DATENSCHUTZ, DATENSCHUTZ_VON, DATENSCHUTZ_AM)
FIELDS: tuple[str, ...] = (ZUGANG, KONTAKT, QUELLSYSTEM, RECHTSGRUNDLAGE, GEPLANT, *WORKFLOW_FIELDS)

OFFEN, INTERN, EINGESCHRAENKT, PERSONENBEZOGEN = "offen", "intern", "eingeschraenkt", "personenbezogen"
NICHT_GEPRUEFT, VEROEFFENTLICHBAR, NICHT_VEROEFFENTLICHBAR = (
    "nicht-geprueft", "veroeffentlichbar", "nicht-veroeffentlichbar")
ERFASST, UEBERGEBEN, GEPRUEFT, FREIGEGEBEN, VEROEFFENTLICHT = (
    "erfasst", "uebergeben", "geprueft", "freigegeben", "veroeffentlicht")
STATES: tuple[str, ...] = (ERFASST, UEBERGEBEN, GEPRUEFT, FREIGEGEBEN, VEROEFFENTLICHT)

DEFAULTS: dict[str, str] = {ZUGANG: OFFEN, DATENSCHUTZ: NICHT_GEPRUEFT}
# The fields whose every change is kept in the history (who, when, old → new).
WATCHED: tuple[str, ...] = (ZUGANG, DATENSCHUTZ)

# Output only (``package_show`` for staff outside the owning department): the data are withheld.
HIDDEN_KEY = "hamm_daten_verborgen"
