"""Template helpers for the vocabularies: form choices and labels in the current language.

Choices carry ``{de: …, en: …}`` labels; scheming's ``scheming_language_text``
picks the request's language, so forms and dataset pages switch with the locale.
"""
from __future__ import annotations

from typing import Any

from ckan import model

from ckanext.hamm.vocabularies import store as vocabulary
from ckanext.hamm.vocabularies.ids import ids as concept_ids

__all__ = [
    "hamm_vocabulary_choices", "hamm_eu_choices", "hamm_license_uri_choices",
    "hamm_concept_label", "hamm_concept_description", "hamm_selected_values",
]


def hamm_vocabulary_choices(field: dict[str, Any]) -> list[dict[str, Any]]:
    """Scheming ``choices_helper``: the concepts of ``field['vocabulary']``, read fresh."""
    try:
        vocab = vocabulary.get_vocabulary(field.get("vocabulary", field["field_name"]))
    except KeyError:
        return []
    return [{"value": c.id, "label": dict(c.label), "description": dict(c.description)}
            for c in vocab.concepts]


def hamm_eu_choices(field: dict[str, Any]) -> list[dict[str, Any]]:
    """Scheming ``choices_helper``: the EU list ``field['eu_list']`` (value = URI)."""
    return [{"value": uri, "label": dict(labels)}
            for uri, labels in vocabulary.eu_concepts(field["eu_list"])]


def hamm_license_uri_choices(field: dict[str, Any]) -> list[dict[str, Any]]:
    """Scheming ``choices_helper``: the licence register, valued by licence URI."""
    return [{"value": lic.url, "label": {"de": lic.title, "en": getattr(lic, "title_en", lic.title)}}
            for lic in model.Package.get_license_register().licenses]


def hamm_concept_label(vocab_id: str, concept_id: str) -> str:
    """Label of a concept (or EU theme URI/code for ``theme``) in the current language."""
    if vocab_id == "theme":
        uri = concept_id if "/" in concept_id else vocabulary.theme_uri(concept_id)
        return vocabulary.eu_label("data-theme", uri)
    return vocabulary.concept_label(vocab_id, concept_id)


def hamm_concept_description(vocab_id: str, concept_id: str) -> str:
    try:
        found = vocabulary.get_vocabulary(vocab_id).get(concept_id)
    except KeyError:
        return ""
    return vocabulary.localise(found.description, vocabulary.current_language()) if found else ""


def hamm_selected_values(value: Any) -> list[str]:
    """Values of a multi-valued field as posted (string/list) or stored (JSON text)."""
    return concept_ids(value)
