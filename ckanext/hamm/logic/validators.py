"""Validators (``hamm_<verb>_<noun>``) used by the scheming schema.

Controlled fields accept only values of their list (the city's vocabularies, the
EU lists, the licence register). Every message is German and English, names the
field and lists the allowed values, so an API client or a member of staff can fix
the input without reading documentation.
"""
from __future__ import annotations

import json
import re
from typing import Any, Callable, Iterable, Optional
from urllib.parse import urlsplit

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context, FlattenDataDict, FlattenErrorDict, FlattenKey

from ckanext.hamm import config as hamm_config
from ckanext.hamm.dataset.extent import hamm_extent
from ckanext.hamm.dataset.links import LINK_SCHEMES
from ckanext.hamm.inventory.validators import hamm_inventory_value, hamm_iso_date
from ckanext.hamm.vocabularies import store as vocabulary
from ckanext.hamm.vocabularies.ids import parse_ids
from ckanext.scheming.validation import scheming_validator

__all__ = [
    "hamm_link_url",
    "hamm_vocabulary_values", "hamm_required_unless_private", "hamm_eu_uris", "hamm_eu_uri",
    "hamm_license_in_register", "hamm_license_uri", "hamm_name_from_title",
    "hamm_inventory_value", "hamm_iso_date", "hamm_extent",
]

Validator = Callable[[FlattenKey, FlattenDataDict, FlattenErrorDict, Context], None]


def _field_label(field: dict[str, Any]) -> tuple[str, str]:
    label = field.get("label") or field["field_name"]
    if isinstance(label, dict):
        return label.get("de") or field["field_name"], label.get("en") or field["field_name"]
    return str(label), str(label)


def _message(field: dict[str, Any], bad: Iterable[str], allowed: Iterable[str]) -> str:
    de, en = _field_label(field)
    wrong = ", ".join(f'"{v}"' for v in bad)
    allowed_text = ", ".join(allowed)
    return (f"{de}: unbekannter Wert {wrong}. Erlaubte Werte: {allowed_text}"
            f" / {en}: unknown value {wrong}. Allowed values: {allowed_text}")


def _as_list(value: Any) -> list[str] | None:
    """Form posts give a string or a list; stored values come back as JSON text."""
    return [] if value is tk.missing else parse_ids(value)


def _store_list(key: FlattenKey, data: FlattenDataDict, values: list[str]) -> None:
    data[key] = json.dumps(values)


def _multi(field: dict[str, Any], allowed: list[str],
           normalise: Callable[[str], str] = lambda v: v) -> Validator:
    def validator(key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict,
                  context: Context) -> None:
        if errors[key]:
            return
        values = _as_list(data[key])
        if values is None:
            de, en = _field_label(field)
            errors[key].append(f"{de}: Liste von Werten erwartet / {en}: expected a list of values")
            return
        values = list(dict.fromkeys(normalise(v) for v in values))
        bad = [v for v in values if v not in allowed]
        if bad:
            errors[key].append(_message(field, bad, allowed))
            return
        _store_list(key, data, values)
    return validator


@scheming_validator
def hamm_vocabulary_values(field: dict[str, Any], schema: dict[str, Any]) -> Validator:
    """Concept ids of the city's vocabulary ``field['vocabulary']``, stored as a JSON list."""
    vocab_id = field.get("vocabulary", field["field_name"])

    def validator(key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict,
                  context: Context) -> None:
        # The list is read per call: a concept the city adds is valid at once.
        _multi(field, vocabulary.concept_ids(vocab_id))(key, data, errors, context)
    return validator


PRIVATE_WORDS = {"true": True, "yes": True, "t": True, "y": True, "1": True,
                 "false": False, "no": False, "f": False, "n": False, "0": False, "": False}


def _is_private(data: FlattenDataDict, errors: FlattenErrorDict | None = None) -> bool:
    """``private`` as core reads it; anything else ("maybe") is an error on ``private``, not a 500."""
    value = data.get(("private",), False)
    if isinstance(value, bool) or value is None or value is tk.missing:
        return bool(value)
    word = PRIVATE_WORDS.get(str(value).strip().lower())
    if word is None and errors is not None:
        errors.setdefault(("private",), []).append(
            "Bitte true oder false angeben. / Please give true or false.")
        raise tk.StopOnError
    return bool(word)


def _web_form() -> bool:
    """True for a form posted in the browser (one language), False for the API (both)."""
    import flask

    return flask.has_request_context() and not flask.request.path.startswith(("/api/", "/en/api/"))


@scheming_validator
def hamm_required_unless_private(field: dict[str, Any], schema: dict[str, Any]) -> Validator:
    """Public datasets need the field; private datasets and API drafts may lack it until published.

    CKAN's form saves page 1 as a draft too, but the person is still typing: the form
    names the missing field at once rather than after the resources page.

    A harvested record may lack a field marked ``harvested_may_lack`` (the source named
    no licence; staff fix it). The form's message is in the page language and without
    the label (CKAN's summary adds it); the API's names both languages and the allowed ids.
    """
    def validator(key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict,
                  context: Context) -> None:
        if _is_private(data, errors) or _as_list(data.get(key)):
            return
        if data.get(("state",)) == "draft" and not _web_form():
            return  # an API client saves a draft before it is complete; the form asks on page 1
        if field.get("harvested_may_lack") and data.get(("hamm_remote_id",)):
            return
        if _web_form():
            errors[key].append(tk._("Required before the dataset is public"))
            raise tk.StopOnError
        allowed = ", ".join(vocabulary.concept_ids(field.get("vocabulary", field["field_name"])))
        suffix = f" Erlaubte Werte / allowed values: {allowed}" if allowed else ""
        errors[key].append(f"Pflichtangabe für öffentliche Datensätze / required before a dataset is public.{suffix}")
        raise tk.StopOnError
    return validator


def _eu_normaliser(list_id: str) -> Callable[[str], str]:
    uris = {vocabulary.eu_code(uri).upper(): uri for uri in vocabulary.eu_uris(list_id)}
    return lambda value: uris.get(value.strip().upper(), value.strip())


@scheming_validator
def hamm_eu_uris(field: dict[str, Any], schema: dict[str, Any]) -> Validator:
    """URIs of the EU list ``field['eu_list']`` (codes like ``ENVI`` become URIs)."""
    list_id = field["eu_list"]
    return _multi(field, vocabulary.eu_uris(list_id), _eu_normaliser(list_id))


def _single(field: dict[str, Any], allowed: list[str],
            normalise: Callable[[str], str] = lambda v: v) -> Validator:
    def validator(key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict,
                  context: Context) -> None:
        value = data.get(key)
        if value is tk.missing or value in (None, ""):
            return
        value = normalise(str(value))
        if value not in allowed:
            errors[key].append(_message(field, [value], allowed))
            return
        data[key] = value
    return validator


@scheming_validator
def hamm_eu_uri(field: dict[str, Any], schema: dict[str, Any]) -> Validator:
    """One URI of the EU list ``field['eu_list']`` (a code like ``ANNUAL`` becomes its URI)."""
    list_id = field["eu_list"]
    return _single(field, vocabulary.eu_uris(list_id), _eu_normaliser(list_id))


def _licences() -> list[Any]:
    return list(model.Package.get_license_register().licenses)


@scheming_validator
def hamm_license_in_register(field: dict[str, Any], schema: dict[str, Any]) -> Validator:
    """A licence id of the local (dcat-ap.de) licence register."""
    def validator(key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict,
                  context: Context) -> None:
        _single(field, [lic.id for lic in _licences()])(key, data, errors, context)
    return validator


@scheming_validator
def hamm_license_uri(field: dict[str, Any], schema: dict[str, Any]) -> Validator:
    """A licence URI of the register (a register id like ``cc-by/4.0`` becomes its URI)."""
    def validator(key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict,
                  context: Context) -> None:
        by_id = {lic.id: lic.url for lic in _licences()}
        _single(field, list(by_id.values()), lambda v: by_id.get(v, v))(key, data, errors, context)
    return validator


def hamm_name_from_title(key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict,
                         context: Context) -> None:
    """A new dataset without URL name gets one from its title; an empty form names the title.

    The form fills the name by JavaScript; without it staff read "URL: Angabe fehlt" for an
    empty title. Updates keep their name (a missing name there is an error, never a rename);
    the API keeps CKAN's rule (title defaults to the name, the name is required).
    """
    if data.get(key) or context.get("package") is not None:
        return
    title = data.get(("title",))
    if title and title is not tk.missing:
        from ckan.lib.munge import munge_title_to_name

        data[key] = munge_title_to_name(str(title))
    elif _web_form():
        errors.setdefault(("title",), []).append(tk._("Missing value"))
        raise tk.StopOnError


# -- size limits: one oversized text must not slow every page that lists it ----------------
_TEXT_LIMITS: dict[str, Callable[[], int]] = {
    "notes": hamm_config.limits_notes_chars,
    "description": hamm_config.limits_resource_description_chars,
}


@scheming_validator
def hamm_text_within_limit(field: dict[str, Any], schema: dict[str, Any]) -> Validator:
    """Refuse a description longer than its option allows (ckanext.hamm.limits.*)."""
    limit_of = _TEXT_LIMITS[field["field_name"]]

    def validator(key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict,
                  context: Context) -> None:
        value, limit = data.get(key), limit_of()
        if not isinstance(value, str) or len(value) <= limit:
            return
        de, en = _field_label(field)
        given = len(value)
        errors[key].append(
            f"{de}: höchstens {limit:_} Zeichen, eingegeben wurden {given:_}. ".replace("_", ".")
            + "Bitte kürzen Sie den Text oder stellen Sie ihn als Ressource (z. B. PDF) bereit. / "
            f"{en}: at most {limit:,} characters, {given:,} were given. "
            "Please shorten it or publish the text as a resource.")
        raise tk.StopOnError
    return validator


__all__ += ["hamm_text_within_limit"]

_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")


URL_UNREADABLE = ("Die Adresse ist keine gültige URL (z. B. ein Vollbreite-Zeichen wie ＃ oder ＠ im Hostnamen "
                  "oder eine unvollständige IPv6-Adresse). / The address is not a valid URL (e.g. a full-width "
                  "character such as ＃ or ＠ in the host name, or an incomplete IPv6 address).")


def link_url_problem(value: Any) -> Optional[str]:
    """Why Python's URL parser refuses a link (CKAN's uploader parses it before any validator: a 500)."""
    if not isinstance(value, str) or not value:
        return None
    try:
        _ = urlsplit(value).port  # reading the port refuses one out of range
    except ValueError:
        return URL_UNREADABLE
    return None


def hamm_link_url(value: Any, context: Context) -> Any:
    """Resource links are http(s) or ftp (an uploaded file's name has no scheme): ``javascript:``
    and ``data:`` were stored and published in DCAT. Browsers ignore tabs and controls in a scheme."""
    if not isinstance(value, str):
        return value
    found = _SCHEME.match("".join(ch for ch in value if ch > " "))
    if found and found.group(1).lower() not in LINK_SCHEMES:
        raise tk.Invalid("Nur Adressen mit http://, https:// oder ftp:// sind erlaubt. / "
                         "Only http://, https:// or ftp:// addresses are allowed.")
    problem = link_url_problem(value)
    if problem:
        raise tk.Invalid(problem)
    return value
