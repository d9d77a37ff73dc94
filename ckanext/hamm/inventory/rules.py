"""The inventory's rules across fields, applied before CKAN validates a dataset.

Field validators see one field; these rules need several (Zugang, visibility, the
Datenschutz decision, the stored values) and therefore run in the chained
``package_create``/``package_update`` for the form, the API, the harvester and the
spreadsheet import alike:

- only ``offen`` data may be public: a dataset with another Zugang is made private;
  asking for it to become public (create, or private → public) is refused;
- not open data names its legal basis (``rechtsgrundlage``);
- personal data never becomes public or open without a documented Datenschutz
  decision (``veroeffentlichbar`` with who and when); ``nicht-veroeffentlichbar``
  data is never public;
- the workflow fields change through ``hamm_inventar_transition`` (or a sysadmin,
  e.g. a migration), not through an edit, and survive edits that omit them (the
  form does not show them);
- the state follows visibility: a public dataset is ``veroeffentlicht``; one made
  private again falls back to ``freigegeben``;
- opening an entry is a decision (security review, issue 26): a Zugang other than
  ``offen`` becomes ``offen`` only by the department's admin or a sysadmin (the change is
  kept in the history with who and when, ``history.py``), and an editor makes an entry
  public by an edit only when it is released (``freigegeben``) or was open all along and
  is still ``erfasst`` (open data published directly, as before the inventory). Every
  path (form, API, bulk actions, import, harvest) reaches these rules through the chained
  ``package_create``/``package_update``; the workflow checks ``refuse_publication``.
"""
from __future__ import annotations

from typing import Any, Mapping, Optional

import ckan.plugins.toolkit as tk
from ckan import authz, model
from ckan.types import Context

from ckanext.hamm.dataset.indexing import OPEN_KEY
from ckanext.hamm.inventory import (
    DATENSCHUTZ,
    DATENSCHUTZ_AM,
    DATENSCHUTZ_VON,
    ERFASST,
    FREIGEGEBEN,
    HIDDEN_KEY,
    NICHT_GEPRUEFT,
    NICHT_VEROEFFENTLICHBAR,
    OFFEN,
    PERSONENBEZOGEN,
    RECHTSGRUNDLAGE,
    STATUS,
    VEROEFFENTLICHBAR,
    VEROEFFENTLICHT,
    WATCHED,
    WORKFLOW_FIELDS,
    ZUGANG,
    vocabularies,
)
from ckanext.hamm.model import inventory_history as history

# A trusted caller (the workflow action) sets this in the context to write workflow fields.
WORKFLOW_CONTEXT_KEY = "hamm_inventory_workflow"
_WORDS = {"true": True, "yes": True, "t": True, "y": True, "1": True, "on": True,
          "false": False, "no": False, "f": False, "n": False, "0": False, "off": False, "": False}


def _text(value: Any) -> str:
    return "" if value is None or value is tk.missing else str(value).strip()


def parse_private(value: Any) -> Optional[bool]:
    """``private`` as core reads it; None for text core would refuse (its validator says so)."""
    if isinstance(value, bool) or value is None or value is tk.missing:
        return bool(value)
    return _WORDS.get(str(value).strip().lower())


def effective(values: Mapping[str, Any], private: bool) -> dict[str, str]:
    """Zugang, Datenschutz and state with the defaults of records older than the inventory.

    Datasets public before the inventory are open and published; private ones are recorded.
    """
    status = _text(values.get(STATUS)) or (ERFASST if private else VEROEFFENTLICHT)
    return {ZUGANG: _text(values.get(ZUGANG)) or OFFEN,
            DATENSCHUTZ: _text(values.get(DATENSCHUTZ)) or NICHT_GEPRUEFT,
            DATENSCHUTZ_VON: _text(values.get(DATENSCHUTZ_VON)),
            DATENSCHUTZ_AM: _text(values.get(DATENSCHUTZ_AM)),
            STATUS: status}


def stored_values(package: model.Package) -> dict[str, str]:
    return effective(dict(package.extras or {}), bool(package.private))


def changes(before: Mapping[str, str], after: Mapping[str, str]) -> list[tuple[str, str, str]]:
    """The watched fields that differ: (field, old, new), for the history."""
    return [(field, before.get(field, ""), after.get(field, "")) for field in WATCHED
            if before.get(field, "") != after.get(field, "")]


def is_open(pkg_dict: Mapping[str, Any]) -> bool:
    """Public and open: the only entries DCAT, the dump, the RVR publisher and anonymous users get."""
    return not parse_private(pkg_dict.get("private")) and (_text(pkg_dict.get(ZUGANG)) or OFFEN) == OFFEN


def _privileged(context: Context) -> bool:
    if context.get(WORKFLOW_CONTEXT_KEY) or context.get("ignore_auth") and not context.get("user"):
        return True
    user = model.User.get(context.get("user") or "") if context.get("user") else None
    return bool(user and user.sysadmin)


def _is_admin(context: Context, org_id: Optional[str]) -> bool:
    """The caller is admin of the owning organisation (the department's management)."""
    user = context.get("user") or ""
    return bool(user and org_id and authz.users_role_for_group_or_org(org_id, user) == "admin")


def _error(errors: dict[str, list[str]], field: str, de: str, en: str) -> None:
    errors.setdefault(field, []).append(f"{de} / {en}")


def refuse_publication(zugang: str) -> Optional[tuple[str, str]]:
    """Why an entry with this Zugang cannot become public (German, English); None when it can."""
    if zugang == OFFEN:
        return None
    return (f"Einträge mit Zugang „{vocabularies.label(ZUGANG, zugang, 'de')}“ werden nicht veröffentlicht. "
            "Die Leitung der Abteilung (Admin) muss den Zugang zuerst auf „Offen“ setzen; "
            "diese Entscheidung steht mit Person und Datum im Verlauf",
            f"entries with access \"{vocabularies.label(ZUGANG, zugang, 'en')}\" are not published. "
            "The department's admin must first set the access to \"Open\"; "
            "that decision is kept in the history with who and when")


def apply(context: Context, data_dict: dict[str, Any], stored: Optional[model.Package]) -> dict[str, Any]:
    """The dataset to validate: defaults and kept values filled in; ``ValidationError`` when a rule fails."""
    data = dict(data_dict)
    data.pop(HIDDEN_KEY, None)
    private = parse_private(data.get("private", stored.private if stored is not None else False))
    if private is None:
        return data  # CKAN names the bad visibility value
    old = stored_values(stored) if stored is not None else None
    clears = bool(context.get(WORKFLOW_CONTEXT_KEY))  # a step back clears the decision with an explicit ""
    for field in (ZUGANG, *WORKFLOW_FIELDS):
        if old and _text(data.get(field)) == "" and old.get(field) and not (clears and field in data_dict):
            data[field] = old[field]
    zugang = vocabularies.normalise(ZUGANG, _text(data.get(ZUGANG)) or OFFEN)
    if zugang not in vocabularies.ids(ZUGANG):
        return data  # the field validator names the allowed values
    data[ZUGANG] = zugang
    errors: dict[str, list[str]] = {}
    privileged = _privileged(context)
    decides = privileged or _is_admin(context, data.get("owner_org") or (stored.owner_org if stored else None))
    if old and old[ZUGANG] != OFFEN and zugang == OFFEN and not decides:
        _error(errors, ZUGANG,
               f"den Zugang „{vocabularies.label(ZUGANG, old[ZUGANG], 'de')}“ auf „Offen“ ändern darf nur die "
               "Leitung der Abteilung (Admin); bitte wenden Sie sich an sie",
               f"only the department's admin may change the access \"{vocabularies.label(ZUGANG, old[ZUGANG], 'en')}\" "
               "to \"Open\"; please ask them")
    if zugang != OFFEN:
        asked_public = "private" in data_dict and private is False and (stored is None or stored.private)
        if asked_public:  # an unchanged "public" (package_patch, the form) is overridden, not refused
            _error(errors, "private",
                   f"Daten mit Zugang „{vocabularies.label(ZUGANG, zugang, 'de')}“ können nicht öffentlich sein; "
                   "setzen Sie die Sichtbarkeit auf privat; den Zugang auf „Offen“ setzt die Leitung der Abteilung",
                   f"data with access \"{vocabularies.label(ZUGANG, zugang, 'en')}\" cannot be public; "
                   "make it private; the department's admin decides on open access")
        private = True
        if not _text(data.get(RECHTSGRUNDLAGE)):
            _error(errors, RECHTSGRUNDLAGE,
                   "Pflichtangabe, wenn die Daten nicht offen sind (Gesetz, Vertrag oder Grund)",
                   "required when the data is not open (law, contract or reason)")
    elif stored is not None and stored.private and private is False and not decides:
        _refuse_early_publication(stored, old or {}, errors)
    base = effective(old or {}, private)
    if not privileged:
        _keep_workflow_fields(data, base, private, errors)
    status = vocabularies.normalise(STATUS, _text(data.get(STATUS))) or base[STATUS]
    if privileged and status == VEROEFFENTLICHT and "private" not in data_dict and zugang == OFFEN:
        private = False  # a trusted import that says "veröffentlicht" means public
    _check_datenschutz(data, zugang, private, old, errors)
    if errors:
        raise tk.ValidationError(errors)

    data["private"] = private
    if not private:
        status = VEROEFFENTLICHT
    elif status == VEROEFFENTLICHT:
        status = FREIGEGEBEN
    data[STATUS] = status
    return data


def _refuse_early_publication(stored: model.Package, old: Mapping[str, str], errors: dict[str, list[str]]) -> None:
    """An editor publishes by an edit only released entries, or open ones outside the workflow."""
    state = old.get(STATUS, ERFASST)
    if state == FREIGEGEBEN or state == ERFASST and not history.ever_changed(stored.id, ZUGANG):
        return
    label = vocabularies.label
    _error(errors, "private",
           f"der Eintrag ist „{label(STATUS, state, 'de')}“: veröffentlicht wird er erst nach der Freigabe "
           "durch die Leitung der Abteilung (Schritte der Dateninventur)",
           f"the entry is \"{label(STATUS, state, 'en')}\": it is published only after the department's "
           "approval (inventory workflow steps)")


def _keep_workflow_fields(data: dict[str, Any], base: dict[str, str], private: bool,
                          errors: dict[str, list[str]]) -> None:
    """Editors may send back what they read (``package_show`` → ``package_update``), not change it."""
    for field in WORKFLOW_FIELDS:
        given = _text(data.get(field))
        if field in (STATUS, DATENSCHUTZ) and given:
            given = vocabularies.normalise(field, given)
        allowed = {base[field]} | ({VEROEFFENTLICHT} if field == STATUS and not private else set())
        if given and given not in allowed:
            _error(errors, field, "wird über die Schritte der Dateninventur geändert (hamm_inventar_transition)",
                   "is changed through the inventory workflow (hamm_inventar_transition)")
        data[field] = base[field]


def documented(values: Mapping[str, Any]) -> bool:
    """A Datenschutz decision 'veröffentlichbar' with who and when."""
    return (_text(values.get(DATENSCHUTZ)) == VEROEFFENTLICHBAR
            and bool(_text(values.get(DATENSCHUTZ_VON))) and bool(_text(values.get(DATENSCHUTZ_AM))))


def _check_datenschutz(data: dict[str, Any], zugang: str, private: bool, old: Optional[dict[str, str]],
                       errors: dict[str, list[str]]) -> None:
    decision = vocabularies.normalise(DATENSCHUTZ, _text(data.get(DATENSCHUTZ)) or NICHT_GEPRUEFT)
    if decision != NICHT_GEPRUEFT and not (_text(data.get(DATENSCHUTZ_VON)) and _text(data.get(DATENSCHUTZ_AM))):
        _error(errors, DATENSCHUTZ, "eine Datenschutzentscheidung braucht Person und Datum "
                                    "(datenschutz_geprueft_von, datenschutz_geprueft_am)",
               "a data-protection decision needs who and when (datenschutz_geprueft_von, datenschutz_geprueft_am)")
    if decision == NICHT_VEROEFFENTLICHBAR and not private:
        _error(errors, "private", "der Datenschutz hat die Veröffentlichung abgelehnt",
               "data protection refused publication")
    was_personal = zugang == PERSONENBEZOGEN or (old or {}).get(ZUGANG) == PERSONENBEZOGEN
    if was_personal and zugang != PERSONENBEZOGEN and not documented(dict(data, **{DATENSCHUTZ: decision})):
        _error(errors, ZUGANG,
               "personenbezogene Daten werden erst nach dokumentierter Datenschutzprüfung "
               "(geprüft – veröffentlichbar, mit Person und Datum) offen",
               "personal data becomes open only after a documented data-protection review "
               "(reviewed – may be published, with who and when)")


def with_defaults(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    """``package_show`` of a record older than the inventory names its Zugang, Datenschutz and state."""
    if pkg_dict.get("type", "dataset") != "dataset":
        return pkg_dict
    values = effective(pkg_dict, bool(parse_private(pkg_dict.get("private"))))
    for field in (ZUGANG, DATENSCHUTZ, STATUS):
        pkg_dict.setdefault(field, values[field])
    return pkg_dict


def index_values(pkg_dict: Mapping[str, Any]) -> dict[str, str]:
    """Zugang, Datenschutz and state for the search index (facets on /inventar), defaults included."""
    values = effective(pkg_dict, bool(parse_private(pkg_dict.get("private"))))
    return {field: values[field] for field in (ZUGANG, DATENSCHUTZ, STATUS)}


def index_keys(doc: dict[str, Any], pkg_dict: Mapping[str, Any]) -> None:
    """The entry's keys in the search document: whether it is open (the DCAT catalogue and the
    dump leave the others out) and its inventory values (``plugin.py`` hands this to indexing)."""
    doc[OPEN_KEY] = "true" if is_open(pkg_dict) else "false"
    doc.update(index_values(pkg_dict))
