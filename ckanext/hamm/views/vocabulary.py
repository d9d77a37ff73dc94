"""Stable SKOS URLs of the city's vocabularies: ``/vocab/<id>.ttl`` and ``/vocab/<id>.jsonld``."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from flask import Blueprint, Response

from ckanext.hamm.vocabularies import skos
from ckanext.hamm.vocabularies import store as vocabulary

__all__ = ["hamm_vocabulary"]

hamm_vocabulary = Blueprint("hamm_vocabulary", __name__)


@hamm_vocabulary.route("/vocab/<vocab_id>.<fmt>")
def scheme(vocab_id: str, fmt: str) -> Response:
    tk.check_access("hamm_vocabulary_show", {}, {"id": vocab_id})
    try:
        body, mimetype = skos.serialise(vocab_id, fmt)
    except KeyError:
        return tk.abort(404, tk._("Vokabular nicht gefunden / vocabulary not found"))
    return Response(body, mimetype=mimetype, headers={"Cache-Control": "public, max-age=300"})


@hamm_vocabulary.route("/vocab/<vocab_id>/<concept_id>")
def concept(vocab_id: str, concept_id: str) -> Response:
    """A concept URI resolves to the datasets described by that concept."""
    if concept_id not in vocabulary.concept_ids(vocab_id):
        return tk.abort(404, tk._("Begriff nicht gefunden / concept not found"))
    return tk.redirect_to("dataset.search", **{f"vocab_{vocab_id}": concept_id})
