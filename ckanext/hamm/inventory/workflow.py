"""The publication workflow: erfasst → geprüft (Datenschutz) → freigegeben → veröffentlicht.

Who takes which step (decided for issue 19; CKAN knows no data-protection role, so the
department's admins carry it — the city can give its data-protection officer an admin
seat in each department, or a sysadmin account):

- **prüfen** (erfasst → geprüft): records the Datenschutz decision (veröffentlichbar or
  nicht veröffentlichbar) with who and when — admin of the owning organisation or sysadmin;
- **freigeben** (geprüft → freigegeben): the department's release for publication — admin
  of the owning organisation or sysadmin; only after "veröffentlichbar";
- **veröffentlichen** (freigegeben → veröffentlicht): editor or admin of the owning
  organisation or sysadmin; makes the dataset public and open, so it flows on to DCAT,
  the dump and the RVR publisher.

Each step is recorded in ``hamm_inventar_schritt`` (``history.py``).
"""
from __future__ import annotations

import dataclasses
import datetime
from typing import Any, Optional
from zoneinfo import ZoneInfo

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.hamm import config
from ckanext.hamm.inventory import (
    DATENSCHUTZ,
    DATENSCHUTZ_AM,
    DATENSCHUTZ_VON,
    ERFASST,
    FREIGEGEBEN,
    GEPRUEFT,
    NICHT_VEROEFFENTLICHBAR,
    OFFEN,
    STATUS,
    VEROEFFENTLICHBAR,
    VEROEFFENTLICHT,
    ZUGANG,
    history,
    rules,
    vocabularies,
)

RANK = {"member": 1, "editor": 2, "admin": 3}
DECISIONS = (VEROEFFENTLICHBAR, NICHT_VEROEFFENTLICHBAR)


@dataclasses.dataclass(frozen=True)
class Step:
    source: str
    capacity: str  # the least capacity in the owning organisation
    verb: dict[str, str]


STEPS: dict[str, Step] = {
    GEPRUEFT: Step(ERFASST, "admin", {"de": "Datenschutz prüfen", "en": "Review data protection"}),
    FREIGEGEBEN: Step(GEPRUEFT, "admin", {"de": "Zur Veröffentlichung freigeben", "en": "Approve for publication"}),
    VEROEFFENTLICHT: Step(FREIGEGEBEN, "editor", {"de": "Veröffentlichen", "en": "Publish"}),
}


def capacity(user: model.User, org_id: Optional[str]) -> Optional[str]:
    if not org_id:
        return None
    row = (model.Session.query(model.Member.capacity)
           .filter(model.Member.table_name == "user", model.Member.table_id == user.id,
                   model.Member.group_id == org_id, model.Member.state == "active").first())
    return row[0] if row else None


def may_take(user: Optional[model.User], package: model.Package, target: Optional[str]) -> bool:
    """The user's role suffices for the step to ``target`` (an unknown target needs an editor, then 409)."""
    if user is None or package is None:
        return False
    if user.sysadmin:
        return True
    step = STEPS.get(target or "")
    needed = RANK[step.capacity if step else "editor"]
    return RANK.get(capacity(user, package.owner_org) or "", 0) >= needed


def next_step(state: str) -> Optional[str]:
    return next((target for target, step in STEPS.items() if step.source == state), None)


def today() -> str:
    return datetime.datetime.now(ZoneInfo(config.ui_timezone())).date().isoformat()


def _refuse(de: str, en: str, field: str = "to") -> None:
    raise tk.ValidationError({field: [f"{de} / {en}"]})


def take(user: model.User, package: model.Package, target: str, decision: Optional[str] = None,
         note: Optional[str] = None) -> dict[str, Any]:
    """Take one step (auth already checked); ``ValidationError`` names why it cannot be taken."""
    if target not in STEPS:
        _refuse(f"unbekannter Schritt. Erlaubt: {', '.join(STEPS)}", f"unknown step. Allowed: {', '.join(STEPS)}")
    values = rules.stored_values(package)
    current, step = values[STATUS], STEPS[target]
    if current != step.source:
        de = vocabularies.label("inventar_status", current, "de")
        en = vocabularies.label("inventar_status", current, "en")
        _refuse(f"„{vocabularies.label('inventar_status', target, 'de')}“ folgt nur auf "
                f"„{vocabularies.label('inventar_status', step.source, 'de')}“; der Eintrag ist „{de}“",
                f"\"{vocabularies.label('inventar_status', target, 'en')}\" only follows "
                f"\"{vocabularies.label('inventar_status', step.source, 'en')}\"; the entry is \"{en}\"")
    patch: dict[str, Any] = {"id": package.id, STATUS: target}
    if target == GEPRUEFT:
        decision = vocabularies.normalise(DATENSCHUTZ, str(decision or ""))
        if decision not in DECISIONS:
            _refuse("bitte die Entscheidung angeben: veroeffentlichbar oder nicht-veroeffentlichbar",
                    "please give the decision: veroeffentlichbar or nicht-veroeffentlichbar", "entscheidung")
        patch.update({DATENSCHUTZ: decision, DATENSCHUTZ_VON: user.name, DATENSCHUTZ_AM: today()})
    elif target == FREIGEGEBEN and values[DATENSCHUTZ] != VEROEFFENTLICHBAR:
        _refuse("freigeben lässt sich nur, was der Datenschutz als veröffentlichbar geprüft hat",
                "only entries reviewed as publishable can be approved")
    elif target == VEROEFFENTLICHT:
        patch.update({"private": False, ZUGANG: OFFEN})
    context = {"user": user.name, "ignore_auth": True, rules.WORKFLOW_CONTEXT_KEY: True}
    tk.get_action("package_patch")(context, patch)
    history.record(package.id, current, target, user.name, decision if target == GEPRUEFT else None, note)
    return {"id": package.id, "name": package.name, STATUS: target, "history": history.steps(package.id)}
