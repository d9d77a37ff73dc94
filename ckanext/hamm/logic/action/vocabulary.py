"""Public read actions on the city's vocabularies (Handlungsfeld, Zielgruppe, Persona)."""
from __future__ import annotations

from typing import Any, Optional

import ckan.plugins.toolkit as tk
from ckan.types import Context, DataDict

from ckanext.hamm.vocabularies import store as vocabulary

__all__ = ["hamm_vocabulary_list", "hamm_vocabulary_show"]


def _lang(data_dict: DataDict) -> str:
    lang = str(data_dict.get("lang") or vocabulary.current_language()).split("_")[0]
    if lang not in vocabulary.LANGUAGES:
        raise tk.ValidationError({"lang": [
            f"Sprache nicht unterstützt, erlaubt: {', '.join(vocabulary.LANGUAGES)} / "
            f"unsupported language, allowed: {', '.join(vocabulary.LANGUAGES)}"]})
    return lang


def _localised(value: Any, lang: str) -> Any:
    if isinstance(value, dict) and set(value) <= set(vocabulary.LANGUAGES):
        return vocabulary.localise(value, lang)
    return value


def concept_dict(concept: vocabulary.Concept, lang: str) -> dict[str, Any]:
    result: dict[str, Any] = {
        "id": concept.id,
        "uri": concept.uri,
        "label": concept.text("label", lang),
        "description": vocabulary.localise(concept.description, lang) or "",
        "labels": dict(concept.label),
        "descriptions": dict(concept.description),
    }
    for key, value in concept.extra.items():
        result[key] = _localised(value, lang)
    return result


def vocabulary_dict(vocab: vocabulary.Vocabulary, lang: str,
                    concepts: Optional[bool] = True) -> dict[str, Any]:
    result: dict[str, Any] = {
        "id": vocab.id,
        "uri": vocab.uri,
        "label": vocabulary.localise(vocab.label, lang) or vocab.id,
        "description": vocabulary.localise(vocab.description, lang) or "",
        "labels": dict(vocab.label),
        "lang": lang,
    }
    if concepts:
        result["concepts"] = [concept_dict(c, lang) for c in vocab.concepts]
    return result


@tk.side_effect_free
def hamm_vocabulary_list(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """All vocabularies with their concepts, labels in ``lang`` (default: the request's)."""
    tk.check_access("hamm_vocabulary_list", context, data_dict)
    lang = _lang(data_dict)
    return [vocabulary_dict(v, lang) for v in vocabulary.vocabularies().values()]


@tk.side_effect_free
def hamm_vocabulary_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """One vocabulary (``id=handlungsfeld|zielgruppe|persona``) with its concepts."""
    tk.check_access("hamm_vocabulary_show", context, data_dict)
    vocab_id = tk.get_or_bust(data_dict, "id")
    lang = _lang(data_dict)
    try:
        vocab = vocabulary.get_vocabulary(vocab_id)
    except KeyError:
        raise tk.ObjectNotFound(
            f"Vokabular nicht gefunden / vocabulary not found: {vocab_id}; "
            f"erlaubt / allowed: {', '.join(vocabulary.vocabularies())}") from None
    return vocabulary_dict(vocab, lang)
