"""Template helpers of the Dateninventur: its lists' choices and labels."""
from __future__ import annotations

from typing import Any

from ckanext.hamm.inventory import vocabularies

__all__ = ["hamm_inventory_choices", "hamm_inventory_label"]


def hamm_inventory_choices(field: dict[str, Any]) -> list[dict[str, Any]]:
    """Scheming ``choices_helper``: the inventory list ``field['inventory_vocabulary']``."""
    return [{"value": c.id, "label": dict(c.label)}
            for c in vocabularies.get(field["inventory_vocabulary"]).concepts]


def hamm_inventory_label(vocab_id: str, concept_id: str) -> str:
    return vocabularies.label(vocab_id, concept_id)
