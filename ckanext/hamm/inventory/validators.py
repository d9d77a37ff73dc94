"""Field validators of the inventory fields (registered through ``logic/validators.py``)."""
from __future__ import annotations

from typing import Any, Callable

import ckan.plugins.toolkit as tk
from ckan.types import Context, FlattenDataDict, FlattenErrorDict, FlattenKey

from ckanext.hamm.dataset.dates import read_date
from ckanext.hamm.inventory import DEFAULTS, vocabularies
from ckanext.scheming.validation import scheming_validator

__all__ = ["hamm_inventory_value", "hamm_iso_date"]

Validator = Callable[[FlattenKey, FlattenDataDict, FlattenErrorDict, Context], None]


def _labels(field: dict[str, Any]) -> tuple[str, str]:
    label = field.get("label") or {}
    return label.get("de", field["field_name"]), label.get("en", field["field_name"])


@scheming_validator
def hamm_inventory_value(field: dict[str, Any], schema: dict[str, Any]) -> Validator:
    """One id of the field's inventory list; a German or English label is read as its id.

    Empty means the default (Zugang ``offen``, Datenschutz ``nicht-geprueft``); the
    workflow state's default depends on visibility and is set by ``inventory.rules``.
    """
    vocab_id = field["inventory_vocabulary"]
    name = field["field_name"]

    def validator(key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict,
                  context: Context) -> None:
        value = data.get(key)
        if value is tk.missing or value in (None, ""):
            if name in DEFAULTS:
                data[key] = DEFAULTS[name]
                return
            data.pop(key, None)
            raise tk.StopOnError
        found = vocabularies.normalise(vocab_id, str(value))
        allowed = vocabularies.ids(vocab_id)
        if found not in allowed:
            de, en = _labels(field)
            text = ", ".join(allowed)
            errors[key].append(f'{de}: unbekannter Wert "{value}". Erlaubte Werte: {text}'
                               f' / {en}: unknown value "{value}". Allowed values: {text}')
            raise tk.StopOnError
        data[key] = found
    return validator


def hamm_iso_date(value: Any, context: Context) -> Any:
    """A calendar date stored as ISO text (the form's date picker and spreadsheets give either form)."""
    if value in (None, "") or value is tk.missing:
        return value
    parsed = read_date(value)
    if parsed is None:
        raise tk.Invalid(f'Ungültiges Datum "{value}": bitte JJJJ-MM-TT oder TT.MM.JJJJ angeben. / '
                         f'Invalid date "{value}": please give YYYY-MM-DD.')
    return parsed.isoformat()
