"""What the ``hamm`` plugin adds to the search document, and the facets built on it.

The three Hamm dimensions and the EU themes become ``vocab_*`` fields: CKAN's
Solr schema declares ``vocab_*`` as a multi-valued string, so the same document
works on Solr and on ``hamm_search``. German and English labels go into the
free text, so a search for "Mobilität" or "mobility" finds the datasets of that
Handlungsfeld. ``tests/search/test_solr_schema_keys.py`` checks every key.
"""
from __future__ import annotations

import json
from typing import Any, Callable, Mapping

from ckanext.hamm.dataset import origin, quality
from ckanext.hamm.search.fields import field_spec
from ckanext.hamm.vocabularies import DIMENSIONS as HAMM_DIMENSIONS
from ckanext.hamm.vocabularies import store as vocabulary
from ckanext.hamm.vocabularies.ids import ids as concept_ids

# Dataset field -> search-document key; the dimensions store concept ids.
DIMENSIONS: dict[str, str] = {dimension: f"vocab_{dimension}" for dimension in HAMM_DIMENSIONS}
THEME_KEY = "vocab_theme"
# "false" when a DCAT-AP.de mandatory property is unknown (quality.dcat_gaps): the DCAT
# catalogue and the dump filter with ``-hamm_dcat_ready:false``, so datasets indexed before
# this key existed stay in until the next rebuild instead of vanishing.
DCAT_READY_KEY = "hamm_dcat_ready"
# "false" for inventory entries that are not open (Zugang other than offen, or private):
# never in the DCAT catalogue or the dump, even if one were public by mistake.
OPEN_KEY = "hamm_offen"
NOT_DCAT_READY = f"-{DCAT_READY_KEY}:false -{OPEN_KEY}:false"
# "true" for copies harvested from elsewhere; ``ckanext.hamm.dcat.include_harvested = false``
# leaves them out of the catalogue and the dump (catalogue_filter).
HARVESTED_KEY = "hamm_harvested"


def catalogue_filter() -> str:
    """The ``fq`` clauses that keep a dataset out of /catalog.* and the dump."""
    from ckanext.hamm import config as hamm_config

    return NOT_DCAT_READY if hamm_config.dcat_include_harvested() else f"{NOT_DCAT_READY} -{HARVESTED_KEY}:true"
FACET_KEYS: tuple[str, ...] = (*DIMENSIONS.values(), THEME_KEY)
# Facet titles, German and English.
FACET_TITLES: dict[str, dict[str, str]] = {
    "vocab_handlungsfeld": {"de": "Handlungsfelder", "en": "Fields of action"},
    "vocab_zielgruppe": {"de": "Zielgruppen", "en": "Target groups"},
    "vocab_persona": {"de": "Personas", "en": "Personas"},
    "vocab_theme": {"de": "Themen (EU)", "en": "Themes (EU)"},
}


def _validated(doc: dict[str, Any]) -> dict[str, Any]:
    """The dataset as ``package_show`` returns it (lists, not the extras' JSON text)."""
    try:
        return json.loads(doc.get("validated_data_dict") or "{}")
    except ValueError:
        return {}


def index_fields(dataset: dict[str, Any]) -> dict[str, list[str]]:
    """The ``vocab_*`` fields and free-text labels for one dataset (pure, no I/O but YAML)."""
    out: dict[str, list[str]] = {}
    labels: list[str] = []
    for field, key in DIMENSIONS.items():
        ids = concept_ids(dataset.get(field))
        if ids:
            out[key] = ids
            labels.extend(vocabulary.all_labels(field, ids))
    themes = concept_ids(dataset.get("theme"))
    if themes:
        out[THEME_KEY] = [vocabulary.eu_code(uri) for uri in themes]
        labels.extend(vocabulary.eu_label("data-theme", uri, lang)
                      for uri in themes for lang in vocabulary.LANGUAGES)
    if labels:
        out["text"] = list(dict.fromkeys(labels))
    return out


# A rule of a higher layer (the inventory's) that adjusts the document, given the validated dataset.
IndexRule = Callable[[dict[str, Any], Mapping[str, Any]], object]


def before_dataset_index(doc: dict[str, Any], *more_rules: IndexRule) -> dict[str, Any]:
    """Add the ``vocab_*`` keys and apply ``more_rules`` (handed down by ``plugin.py``); drop the
    raw list fields that a single-valued key can't hold."""
    dataset = _validated(doc)
    source = {field: dataset.get(field, doc.get(field)) for field in (*DIMENSIONS, "theme")}
    for key, values in index_fields(source).items():
        if key == "text":
            existing = doc.get("text")
            existing = existing if isinstance(existing, list) else ([existing] if existing else [])
            doc["text"] = existing + values
        else:
            doc[key] = values
    if dataset:
        doc[DCAT_READY_KEY] = "false" if quality.dcat_gaps(dataset) else "true"
        doc[HARVESTED_KEY] = "false" if origin.made_here(dataset) else "true"
        for rule in more_rules:
            rule(doc, dataset)
    for field, value in list(doc.items()):
        # scheming lists (documentation, …) reach the catch-all single-valued field `*`
        if isinstance(value, list) and not field_spec(field).multi:
            doc[field] = json.dumps(value)
    return doc


def facet_titles(lang: str) -> dict[str, str]:
    return {key: titles.get(lang) or titles["de"] for key, titles in FACET_TITLES.items()}


def label_facet_items(search_facets: dict[str, Any], lang: str) -> dict[str, Any]:
    """Give the ``vocab_*`` facet items their labels in ``lang`` (the ids stay the values)."""
    for key in FACET_KEYS:
        facet = search_facets.get(key)
        if not facet:
            continue
        for item in facet.get("items", []):
            item["display_name"] = facet_item_label(key, item["name"], lang)
    return search_facets


def facet_item_label(key: str, value: str, lang: str) -> str:
    if key == THEME_KEY:
        return vocabulary.eu_label("data-theme", vocabulary.theme_uri(value), lang)
    return vocabulary.concept_label(key[len("vocab_"):], value, lang)


def add_facets(facets_dict: dict[str, Any]) -> dict[str, Any]:
    """IFacets: our four facets after the existing ones, titled in the current language.

    CKAN's "Gruppen" facet goes: the portal files datasets by Handlungsfeld, not by groups,
    so it was always empty.
    """
    facets_dict.pop("groups", None)
    titles = facet_titles(vocabulary.current_language())
    for key in FACET_KEYS:
        facets_dict[key] = titles[key]
    return facets_dict
