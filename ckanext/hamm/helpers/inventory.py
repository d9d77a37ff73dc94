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
    figures,
    rules,
    visibility,
    vocabularies,
    workflow,
)
from ckanext.hamm.model import inventory_history as history
from ckanext.hamm.vocabularies import store

__all__ = ["hamm_inventory_choices", "hamm_inventory_label", "hamm_inventory_is_staff", "hamm_inventory_box",
           "hamm_inventory_open_decisions"]


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
    # the admin reviews at once rather than handing the entry over to themselves
    forward = sorted((s for s in allowed if not s.back), key=lambda s: -workflow.RANK[s.capacity])
    step = next(({"to": s.target, "verb": store.localise(s.verb, lang),
                  "decisions": [(d, vocabularies.label(DATENSCHUTZ, d)) for d in workflow.DECISIONS]
                  if s.target == GEPRUEFT else []} for s in forward), None)
    back = [{"to": s.target, "verb": store.localise(s.verb, lang)} for s in allowed if s.back]
    facts = [(store.localise(LABELS[key], lang), value) for key, value in facts if value]
    steps = [_history_line(row, lang) for row in history.steps(str(pkg.get("id") or ""))]
    return {"facts": facts, "history": steps, "state": values[STATUS], "hidden": bool(pkg.get(HIDDEN_KEY)),
            "next": target and vocabularies.label(STATUS, target), "step": step, "back": back}


def _history_line(row: dict[str, Any], lang: str) -> dict[str, str]:
    """One line of the history in words: the step taken (forward or back), or the field changed."""
    line = {"when": hamm_render_date(row["created"] + "+00:00" if row["created"] else "", with_hours=True),
            "user": row["user"], "note": row["note"] or "", "decision": ""}
    if row.get("kind") == history.CHANGE:
        field = row["field"]
        label = store.localise(LABELS.get(field, {"de": field, "en": field}), lang)
        old, new = (vocabularies.label(field, row[key]) if row[key] else "–" for key in ("old", "new"))
        line["what"] = f"{label}: {old} → {new}"
        return line
    step = workflow.step_between(row["from"], row["to"])
    line["what"] = store.localise(step.done, lang) if step else vocabularies.label(STATUS, row["to"])
    line["decision"] = vocabularies.label(DATENSCHUTZ, row["decision"]) if row["decision"] else ""
    return line


def hamm_inventory_open_decisions() -> list[dict[str, Any]]:
    """For the dashboard: entries of the admin's organisations waiting for a Datenschutz decision."""
    user = visibility.current_user()
    if user is None:
        return []
    if user.sysadmin:
        return figures.open_decisions(None)
    org_ids = [row[0] for row in model.Session.query(model.Member.group_id).filter(
        model.Member.table_name == "user", model.Member.table_id == user.id,
        model.Member.capacity == "admin", model.Member.state == "active")]
    return figures.open_decisions(org_ids) if org_ids else []
