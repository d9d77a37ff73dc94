"""The publication workflow: erfasst → (übergeben) → geprüft (Datenschutz) → freigegeben → veröffentlicht.

Who takes which step (decided for issue 19; CKAN knows no data-protection role, so the
department's admins carry it — the city can give its data-protection officer an admin
seat in each department, or a sysadmin account):

- **zur Prüfung übergeben** (erfasst → übergeben): the editor says the entry is ready for
  the review; the department's admins get a mail (``notify.py``) and see it on their
  dashboard — editor of the owning organisation or higher;
- **prüfen** (erfasst or übergeben → geprüft): records the Datenschutz decision
  (veröffentlichbar or nicht veröffentlichbar) with who and when — admin of the owning
  organisation or sysadmin;
- **freigeben** (geprüft → freigegeben): the department's release for publication — admin
  of the owning organisation or sysadmin; only after "veröffentlichbar";
- **veröffentlichen** (freigegeben → veröffentlicht): editor or admin of the owning
  organisation or sysadmin; makes the dataset public, so it flows on to DCAT, the dump and
  the RVR publisher. Only an entry whose Zugang is already "offen" is published: opening
  it is the admin's recorded decision (a field change kept in the history), never a side
  effect of this step (409 otherwise).

Steps back, each with a reason for the history, by the department's admin or a sysadmin:
- **zur Überarbeitung zurückgeben** (übergeben, geprüft or freigegeben → erfasst): the
  entry needs work; its Datenschutz decision is open again (the earlier one stays in the
  history);
- **Veröffentlichung zurücknehmen** (veröffentlicht → freigegeben): the dataset becomes
  private again (and so leaves DCAT, the dump and RVR) and gets back the Zugang it had
  before it was opened; publishing it again needs the Zugang "offen" again.

Each step is recorded in ``hamm_inventar_schritt`` (``history.py``) with the changes of
Zugang and Datenschutz decision it made.
"""
from __future__ import annotations

import dataclasses
import datetime
from typing import Any, NoReturn, Optional
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
    NICHT_GEPRUEFT,
    NICHT_VEROEFFENTLICHBAR,
    OFFEN,
    STATUS,
    UEBERGEBEN,
    VEROEFFENTLICHBAR,
    VEROEFFENTLICHT,
    ZUGANG,
    notify,
    rules,
    vocabularies,
)
from ckanext.hamm.model import inventory_history as history

RANK = {"member": 1, "editor": 2, "admin": 3}
DECISIONS = (VEROEFFENTLICHBAR, NICHT_VEROEFFENTLICHBAR)


@dataclasses.dataclass(frozen=True)
class Step:
    source: str
    target: str
    capacity: str  # the least capacity in the owning organisation
    verb: dict[str, str]  # the button
    done: dict[str, str]  # the history line
    back: bool = False  # a step back needs a reason


REVISE = {"de": "Zur Überarbeitung zurückgeben", "en": "Return for revision"}
REVISED = {"de": "Zur Überarbeitung zurückgegeben", "en": "Returned for revision"}
REVIEW = {"de": "Datenschutz prüfen", "en": "Review data protection"}
REVIEWED = {"de": "Datenschutz geprüft", "en": "Data protection reviewed"}
FORWARD: tuple[Step, ...] = (
    Step(ERFASST, UEBERGEBEN, "editor", {"de": "Zur Prüfung übergeben", "en": "Hand over for review"},
         {"de": "Zur Prüfung übergeben", "en": "Handed over for review"}),
    Step(ERFASST, GEPRUEFT, "admin", REVIEW, REVIEWED),
    Step(UEBERGEBEN, GEPRUEFT, "admin", REVIEW, REVIEWED),
    Step(GEPRUEFT, FREIGEGEBEN, "admin", {"de": "Zur Veröffentlichung freigeben", "en": "Approve for publication"},
         {"de": "Zur Veröffentlichung freigegeben", "en": "Approved for publication"}),
    Step(FREIGEGEBEN, VEROEFFENTLICHT, "editor", {"de": "Veröffentlichen", "en": "Publish"},
         {"de": "Veröffentlicht", "en": "Published"}),
)
BACK: tuple[Step, ...] = (
    Step(UEBERGEBEN, ERFASST, "admin", REVISE, REVISED, back=True),
    Step(GEPRUEFT, ERFASST, "admin", REVISE, REVISED, back=True),
    Step(FREIGEGEBEN, ERFASST, "admin", REVISE, REVISED, back=True),
    Step(VEROEFFENTLICHT, FREIGEGEBEN, "admin", {"de": "Veröffentlichung zurücknehmen", "en": "Withdraw publication"},
         {"de": "Veröffentlichung zurückgenommen", "en": "Publication withdrawn"}, back=True),
)
STEPS: tuple[Step, ...] = FORWARD + BACK
TARGETS: tuple[str, ...] = tuple(dict.fromkeys(step.target for step in STEPS))


def capacity(user: model.User, org_id: Optional[str]) -> Optional[str]:
    if not org_id:
        return None
    row = (model.Session.query(model.Member.capacity)
           .filter(model.Member.table_name == "user", model.Member.table_id == user.id,
                   model.Member.group_id == org_id, model.Member.state == "active").first())
    return row[0] if row else None


def step_between(source: str, target: str) -> Optional[Step]:
    return next((step for step in STEPS if step.source == source and step.target == target), None)


def _rank(user: model.User, package: model.Package) -> int:
    return max(RANK.values()) if user.sysadmin else RANK.get(capacity(user, package.owner_org) or "", 0)


def may_take(user: Optional[model.User], package: model.Package, target: Optional[str]) -> bool:
    """The user's role suffices for the step from the entry's state to ``target``.

    A step that does not exist from here needs an editor (who then learns why: 409).
    """
    if user is None or package is None:
        return False
    step = step_between(rules.stored_values(package)[STATUS], target or "")
    return _rank(user, package) >= RANK[step.capacity if step else "editor"]


def allowed_steps(user: Optional[model.User], package: Optional[model.Package]) -> list[Step]:
    """The steps from the entry's state that this user may take (one role lookup for all)."""
    if user is None or package is None:
        return []
    state, rank = rules.stored_values(package)[STATUS], _rank(user, package)
    return [step for step in STEPS if step.source == state and rank >= RANK[step.capacity]]


def next_step(state: str) -> Optional[str]:
    """The state the entry normally goes to next (the review from "erfasst": hand-over is optional)."""
    steps = [step for step in FORWARD if step.source == state]
    return steps[-1].target if steps else None


def today() -> str:
    return datetime.datetime.now(ZoneInfo(config.ui_timezone())).date().isoformat()


def _refuse(de: str, en: str, field: str = "to") -> NoReturn:
    raise tk.ValidationError({field: [f"{de} / {en}"]})


def _refuse_order(current: str, target: str) -> NoReturn:
    """Why no step leads from ``current`` to ``target`` (a skipped step, or already there)."""
    def label(state: str, lang: str) -> str:
        return vocabularies.label(STATUS, state, lang)

    if current == target:
        _refuse(f"der Eintrag ist bereits „{label(current, 'de')}“",
                f"the entry is already \"{label(current, 'en')}\"")
    forward = next((step for step in FORWARD if step.target == target), None)
    if forward is None:
        _refuse(f"von „{label(current, 'de')}“ führt kein Schritt zurück nach „{label(target, 'de')}“",
                f"no step leads back from \"{label(current, 'en')}\" to \"{label(target, 'en')}\"")
    _refuse(f"„{label(target, 'de')}“ folgt nur auf „{label(forward.source, 'de')}“; "
            f"der Eintrag ist „{label(current, 'de')}“",
            f"\"{label(target, 'en')}\" only follows \"{label(forward.source, 'en')}\"; "
            f"the entry is \"{label(current, 'en')}\"")


def take(user: model.User, package: model.Package, target: str, decision: Optional[str] = None,
         note: Optional[str] = None) -> dict[str, Any]:
    """Take one step (auth already checked); ``ValidationError`` names why it cannot be taken."""
    if target not in TARGETS:
        _refuse(f"unbekannter Schritt. Erlaubt: {', '.join(TARGETS)}", f"unknown step. Allowed: {', '.join(TARGETS)}")
    values = rules.stored_values(package)
    current = values[STATUS]
    step = step_between(current, target)
    if step is None:
        _refuse_order(current, target)
    if step.back and not note:
        _refuse("bitte geben Sie eine Begründung für den Schritt zurück an (sie steht in der Historie)",
                "please give a reason for the step back (it is kept in the history)", "kommentar")
    patch: dict[str, Any] = {"id": package.id, STATUS: target}
    if step.back and target == ERFASST:
        patch.update({DATENSCHUTZ: NICHT_GEPRUEFT, DATENSCHUTZ_VON: "", DATENSCHUTZ_AM: ""})
    elif step.back:
        patch["private"] = True
        before = history.latest_old_value(package.id, ZUGANG)
        if before and before != OFFEN and values[ZUGANG] == OFFEN:
            patch[ZUGANG] = before  # the access the entry had before it was opened for publication
    elif target == GEPRUEFT:
        decision = vocabularies.normalise(DATENSCHUTZ, str(decision or ""))
        if decision not in DECISIONS:
            _refuse("bitte die Entscheidung angeben: veroeffentlichbar oder nicht-veroeffentlichbar",
                    "please give the decision: veroeffentlichbar or nicht-veroeffentlichbar", "entscheidung")
        patch.update({DATENSCHUTZ: decision, DATENSCHUTZ_VON: user.name, DATENSCHUTZ_AM: today()})
    elif target == FREIGEGEBEN and values[DATENSCHUTZ] != VEROEFFENTLICHBAR:
        _refuse("freigeben lässt sich nur, was der Datenschutz als veröffentlichbar geprüft hat",
                "only entries reviewed as publishable can be approved")
    elif target == VEROEFFENTLICHT:
        refused = rules.refuse_publication(values[ZUGANG])
        if refused:
            _refuse(*refused, field=ZUGANG)
        patch["private"] = False
    changed: list[tuple[str, str, str]] = []
    context = {"user": user.name, "ignore_auth": True, rules.WORKFLOW_CONTEXT_KEY: True,
               history.CHANGES_CONTEXT_KEY: changed}
    tk.get_action("package_patch")(context, patch)
    history.record(package.id, current, target, user.name, decision if target == GEPRUEFT else None, note,
                   changed)
    if target == UEBERGEBEN:
        notify.handed_over(package, user, note or "")
    return {"id": package.id, "name": package.name, STATUS: target, "history": history.steps(package.id)}
