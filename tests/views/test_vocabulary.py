"""SKOS views /vocab/<id>.ttl and .jsonld, and concept URIs that resolve."""
from __future__ import annotations

import json
from typing import Any

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", "hamm_search hamm scheming_datasets dcat"),
    pytest.mark.usefixtures("with_plugins"),
]
BASE = "http://test.ckan.net/vocab/"


@pytest.mark.parametrize("vocab_id", ["handlungsfeld", "zielgruppe", "persona"])
def test_turtle_is_a_skos_concept_scheme(app: Any, vocab_id: str) -> None:
    response = app.get(f"/vocab/{vocab_id}.ttl")
    assert response.status_code == 200 and response.mimetype == "text/turtle"
    graph = Graph().parse(data=response.get_data(as_text=True), format="turtle")
    scheme = URIRef(BASE + vocab_id)
    assert (scheme, RDF.type, SKOS.ConceptScheme) in graph
    concepts = set(graph.subjects(SKOS.inScheme, scheme))
    assert len(concepts) >= 6
    for concept in concepts:
        langs = {o.language for o in graph.objects(concept, SKOS.prefLabel)}
        assert langs == {"de", "en"}


def test_jsonld_carries_the_same_concepts(app: Any) -> None:
    response = app.get("/vocab/handlungsfeld.jsonld")
    assert response.mimetype == "application/ld+json"
    graph = Graph().parse(data=response.get_data(as_text=True), format="json-ld")
    mobility = URIRef(BASE + "handlungsfeld/mobilitaet")
    assert (mobility, SKOS.prefLabel, Literal("Mobilität", lang="de")) in graph
    assert json.loads(response.get_data(as_text=True))


def test_persona_links_to_its_fields_and_groups(app: Any) -> None:
    graph = Graph().parse(data=app.get("/vocab/persona.ttl").get_data(as_text=True), format="turtle")
    klara = URIRef(BASE + "persona/klimaaktive-buergerin")
    related = set(graph.objects(klara, SKOS.related))
    assert URIRef(BASE + "handlungsfeld/umwelt") in related
    assert URIRef(BASE + "zielgruppe/buergerinnen") in related


def test_unknown_vocabulary_or_format_is_404(app: Any) -> None:
    app.get("/vocab/nope.ttl", status=404)
    app.get("/vocab/persona.exe", status=404)


def test_concept_uri_resolves_to_its_datasets(app: Any) -> None:
    response = app.get("/vocab/handlungsfeld/umwelt", follow_redirects=False)
    assert response.status_code == 302
    assert "vocab_handlungsfeld=umwelt" in response.headers["Location"]
    app.get("/vocab/handlungsfeld/nope", status=404)
