"""Citizen entry points: Handlungsfeld, Zielgruppe and Persona pages, and the accessibility statement.

Citizens should not need to know CKAN's search syntax: each concept gets a page
with its description, its datasets (with facets that lead on into /dataset)
and the concepts related to it.
"""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from flask import Blueprint

from ckanext.hamm import config as hamm_config
from ckanext.hamm.logic.visible_search import concept_counts, search_as_current_user
from ckanext.hamm.vocabularies import dimensions
from ckanext.hamm.vocabularies import store as vocabulary

__all__ = ["hamm_pages"]

hamm_pages = Blueprint("hamm_pages", __name__)

PAGE_SIZE = 20  # the newest; the link "search and filter" leads to all of them
CONCEPT_FACETS = ("organization", "res_format", "license_id", "tags")


def _lang() -> str:
    return vocabulary.current_language()


def _dimension_or_404(dimension: str) -> None:
    if dimension not in dimensions.DIMENSIONS:
        tk.abort(404, tk._("Page not found"))


def concept_index(dimension: str) -> str:
    _dimension_or_404(dimension)
    lang = _lang()
    return tk.render("hamm/concept_index.html", {
        "dimension": dimension,
        "scheme_label": dimensions.scheme_label(dimension, lang),
        "scheme_description": dimensions.scheme_description(dimension, lang),
        "concepts": dimensions.concepts(dimension, lang),
        "counts": concept_counts(dimension),
    })


def concept_read(dimension: str, concept_id: str) -> str:
    _dimension_or_404(dimension)
    lang = _lang()
    concept = dimensions.concept(dimension, concept_id, lang)
    if concept is None:
        return tk.abort(404, tk._("Page not found"))
    facet_fields = list(CONCEPT_FACETS) + [f"vocab_{other}" for other in dimensions.DIMENSIONS
                                            if other != dimension]
    result = search_as_current_user({
        "q": "", "fq": f'{concept.search_field}:"{concept.id}"',
        "rows": PAGE_SIZE,
        "sort": "metadata_modified desc",
        "facet.field": facet_fields, "facet.limit": 10,
    })
    return tk.render("hamm/concept_read.html", {
        "dimension": dimension,
        "scheme_label": dimensions.scheme_label(dimension, lang),
        "concept": concept,
        "related": [{"dimension": other, "label": dimensions.scheme_label(other, lang), "concepts": items}
                    for other, items in dimensions.related(concept, lang).items()],
        "datasets": result["results"],
        "count": result["count"],
        "search_facets": result.get("search_facets", {}),
        "facet_fields": facet_fields,
    })


def accessibility_statement() -> str:
    return tk.render("hamm/barrierefreiheit.html", {
        "feedback_email": hamm_config.ui_accessibility_email(),
    })


for _dimension in dimensions.DIMENSIONS:
    hamm_pages.add_url_rule(f"/{_dimension}", f"{_dimension}_index", concept_index,
                            defaults={"dimension": _dimension})
    hamm_pages.add_url_rule(f"/{_dimension}/<concept_id>", f"{_dimension}_read", concept_read,
                            defaults={"dimension": _dimension})
hamm_pages.add_url_rule("/barrierefreiheit", "accessibility", accessibility_statement)
