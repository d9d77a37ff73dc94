"""The staff form in sections: basic data, the Hamm dimensions, the DCAT-AP.de details.

Fields name their section with ``form_group`` in ``schemas/dataset.yaml``; the
order of the sections is fixed here, the order of fields stays the schema's.
Fields marked ``form_advanced`` (publisher, political geocoding, identifier: the
portal fills them) are folded away so a city employee finishes in two minutes.
"""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.hamm.dataset.defaults import city_spatial

__all__ = ["hamm_form_groups", "hamm_form_defaults"]

RECOMMENDED_LICENCE = "dl-by-de/2.0"

GROUPS: dict[str, dict[str, Any]] = {
    "basic": {"title": {"de": "Grunddaten", "en": "Basic information"}, "help": {}},
    "hamm": {
        "title": {"de": "Einordnung in Digitales:Hamm", "en": "Place in Digitales:Hamm"},
        "help": {"de": "Wofür und für wen sind die Daten? So finden Bürger:innen sie über "
                       "Handlungsfelder, Zielgruppen und Personas.",
                 "en": "What is the data for, and for whom? Citizens find it by field of action, "
                       "target group and persona."},
    },
    "dcat": {
        "title": {"de": "Angaben für Datenkataloge (DCAT-AP.de)", "en": "Details for data catalogues (DCAT-AP.de)"},
        "help": {"de": "Diese Angaben übernehmen Open.NRW, das RVR-Portal und GovData.",
                 "en": "Open.NRW, the RVR portal and GovData take over these details."},
    },
    "inventar": {
        "title": {"de": "Dateninventur", "en": "Data inventory"},
        "help": {"de": "Wer die Daten nutzen darf, wer sie pflegt und woher sie kommen. Nicht offene "
                       "Daten bleiben intern; die Stadtverwaltung findet sie trotzdem.",
                 "en": "Who may use the data, who maintains it and where it comes from. Data that "
                       "is not open stays internal; the city's staff still find it."},
    },
    "other": {"title": {"de": "Weitere Angaben", "en": "Further details"}, "help": {}},
}


def hamm_form_groups(fields: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Sections with their form fields, in section order; empty sections left out."""
    sections: dict[str, list[dict[str, Any]]] = {key: [] for key in GROUPS}
    for field in fields:
        if field.get("form_snippet", "") is None:
            continue
        sections.get(field.get("form_group") or "other", sections["other"]).append(field)
    return [dict(GROUPS[key], id=key, fields=[f for f in items if not tk.asbool(f.get("form_advanced"))],
                 advanced=[f for f in items if tk.asbool(f.get("form_advanced"))])
            for key, items in sections.items() if items]


def hamm_form_defaults() -> dict[str, Any]:
    """What a new dataset form starts with: the licence the city recommends and the city as
    spatial coverage (the same the portal would fill in; publisher and contact stay empty
    because they follow the organisation chosen)."""
    return {"license_id": RECOMMENDED_LICENCE, "spatial_coverage": [city_spatial()]}
