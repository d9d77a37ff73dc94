"""Template helpers of the Dateninventur: its lists' choices and labels, and the dataset page's box."""
from __future__ import annotations

from typing import Any, Optional

from ckan import model

from ckanext.hamm.helpers.formatting import hamm_render_date
from ckanext.hamm.inventory import (
    DATENSCHUTZ,
    DATENSCHUTZ_AM,
    DATENSCHUTZ_VON,
    GEPLANT,
    GEPRUEFT,
    HIDDEN_KEY,
    KONTAKT,
    QUELLSYSTEM,
    RECHTSGRUNDLAGE,
    STATUS,
    ZUGANG,
    rules,
    visibility,
    vocabularies,
    workflow,
)
from ckanext.hamm.model import inventory_history as history
from ckanext.hamm.vocabularies import store

__all__ = ["hamm_inventory_choices", "hamm_inventory_label", "hamm_inventory_is_staff", "hamm_inventory_box"]


LABELS: dict[str, dict[str, str]] = {
    ZUGANG: {"de": "Zugang", "en": "Access"}, STATUS: {"de": "Status", "en": "Status"},
    DATENSCHUTZ: {"de": "Datenschutz", "en": "Data protection"},
    KONTAKT: {"de": "Ansprechperson", "en": "Contact person"},
    QUELLSYSTEM: {"de": "Quellsystem", "en": "Source system"},
    RECHTSGRUNDLAGE: {"de": "Rechtsgrundlage", "en": "Legal basis"},
    GEPLANT: {"de": "Geplante Veröffentlichung", "en": "Planned publication"},
}


def hamm_inventory_choices(field: dict[str, Any]) -> list[dict[str, Any]]:
    """Scheming ``choices_helper``: the inventory list ``field['inventory_vocabulary']``."""
    return [{"value": c.id, "label": dict(c.label)}
            for c in vocabularies.get(field["inventory_vocabulary"]).concepts]


def hamm_inventory_label(vocab_id: str, concept_id: str) -> str:
    return vocabularies.label(vocab_id, concept_id)


def hamm_inventory_is_staff() -> bool:
    """The visitor is city staff (member of an organisation) and sees the whole inventory."""
    return visibility.is_staff(visibility.current_user())


def hamm_inventory_box(pkg: dict[str, Any]) -> Optional[dict[str, Any]]:
    """What the dataset page shows staff about the entry: facts, state, and the next step if theirs.

    None for visitors outside the administration (they see published open data only).
    """
    user = visibility.current_user()
    if not visibility.is_staff(user) or pkg.get("type", "dataset") != "dataset":
        return None
    values = rules.effective(pkg, bool(rules.parse_private(pkg.get("private"))))
    lang = store.current_language()
    decision = vocabularies.label(DATENSCHUTZ, values[DATENSCHUTZ])
    if values[DATENSCHUTZ_VON]:
        day = hamm_render_date(values[DATENSCHUTZ_AM]) or values[DATENSCHUTZ_AM]
        decision = f"{decision} ({values[DATENSCHUTZ_VON]}, {day})"
    facts = [(ZUGANG, vocabularies.label(ZUGANG, values[ZUGANG])),
             (STATUS, vocabularies.label(STATUS, values[STATUS])),
             (DATENSCHUTZ, decision)]
    facts += [(key, str(pkg.get(key) or "")) for key in (KONTAKT, QUELLSYSTEM, RECHTSGRUNDLAGE, GEPLANT)]
    target = workflow.next_step(values[STATUS])
    package = model.Package.get(str(pkg.get("id") or ""))
    allowed = workflow.allowed_steps(user, package)
    step = next(({"to": s.target, "verb": store.localise(s.verb, lang),
                  "decisions": [(d, vocabularies.label(DATENSCHUTZ, d)) for d in workflow.DECISIONS]
                  if s.target == GEPRUEFT else []} for s in allowed if not s.back), None)
    back = [{"to": s.target, "verb": store.localise(s.verb, lang)} for s in allowed if s.back]
    facts = [(store.localise(LABELS[key], lang), value) for key, value in facts if value]
    steps = [{"when": hamm_render_date(row["created"] + "+00:00" if row["created"] else "", with_hours=True),
              "to": vocabularies.label(STATUS, row["to"]), "user": row["user"],
              "decision": vocabularies.label(DATENSCHUTZ, row["decision"]) if row["decision"] else "",
              "note": row["note"] or ""}
             for row in history.steps(str(pkg.get("id") or ""))]
    return {"facts": facts, "history": steps, "state": values[STATUS], "hidden": bool(pkg.get(HIDDEN_KEY)),
            "next": target and vocabularies.label(STATUS, target), "step": step, "back": back}
