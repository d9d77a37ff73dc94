"""Demo enricher: every demo dataset gets the Hamm schema's fields (issue 3).

Values by dataset name come from ``schema_fields.yaml``; contact, publisher and
spatial coverage are set explicitly from the organisation, so a second seed
(``package_update``) keeps them too.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from ckan import model

from ckanext.hamm.dataset import defaults as dataset_defaults
from ckanext.hamm.vocabularies import DIMENSIONS

VALUES = Path(__file__).with_name("schema_fields.yaml")
FIELDS = (*DIMENSIONS, "theme", "frequency")


def demo_values() -> dict[str, dict[str, Any]]:
    return yaml.safe_load(VALUES.read_text(encoding="utf-8")) or {}


def enrich(data: dict[str, Any]) -> dict[str, Any]:
    values = demo_values().get(data["name"], {})
    for field in FIELDS:
        if field in values and not data.get(field):
            data[field] = values[field]
    org = model.Group.get(data.get("owner_org") or "")
    if org is not None:
        data.setdefault("contact", [dataset_defaults.contact_for(org)])
    data.setdefault("publisher", [dataset_defaults.publisher_for(org)])
    data.setdefault("spatial_coverage", [dataset_defaults.city_spatial()])
    return data
