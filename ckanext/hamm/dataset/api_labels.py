"""Handlungsfeld, Zielgruppe and Persona labels in the API output, for CKANs that harvest us.

A stock CKAN harvesting us with ``ckan_harvester`` validates our ``package_show`` output with
its core schema: fields it does not know (``handlungsfeld: ["umwelt"]``) are dropped, ``extras``
are kept and shown ("Zusätzliche Informationen"). So each dimension also travels as an extra
with its German labels (``hamm_handlungsfeld: "Umwelt und Klima; Mobilität"``).

Extras rather than tags: our search index is built from ``package_show``, so label tags would
enter Hamm's own tag facet, and an edit form or API client sending the dataset back would store
them as real tags. The extras are output only: ``strip`` removes them from create/update input,
like the origin mark (``origin.py``). Through DCAT the labels already travel as ``dcat:keyword``.
"""
from __future__ import annotations

from typing import Any

from ckanext.hamm.vocabularies import DIMENSIONS
from ckanext.hamm.vocabularies import store as vocabulary
from ckanext.hamm.vocabularies.ids import ids as concept_ids

KEYS = {field: f"hamm_{field}" for field in DIMENSIONS}
SEPARATOR = "; "
LANGUAGE = "de"


def add(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    """Put the current labels of the dataset's concepts into its extras (idempotent)."""
    strip(pkg_dict)
    labelled = []
    for field, key in KEYS.items():
        labels = [vocabulary.concept_label(field, concept_id, LANGUAGE)
                  for concept_id in concept_ids(pkg_dict.get(field))]
        if labels:
            labelled.append({"key": key, "value": SEPARATOR.join(dict.fromkeys(labels))})
    if labelled:
        pkg_dict["extras"] = (pkg_dict.get("extras") or []) + labelled
    return pkg_dict


def strip(data_dict: dict[str, Any]) -> dict[str, Any]:
    """Drop the label extras sent back in: the concept ids are what is stored."""
    extras = data_dict.get("extras")
    if isinstance(extras, list):
        ours = set(KEYS.values())
        data_dict["extras"] = [e for e in extras if not (isinstance(e, dict) and e.get("key") in ours)]
    return data_dict
