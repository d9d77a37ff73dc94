"""The city's vocabularies as SKOS concept schemes (Turtle, JSON-LD) for catalogues and tools.

Each vocabulary file is one ``skos:ConceptScheme``; its concepts carry German
and English ``skos:prefLabel`` and ``skos:definition``. Persona cards point at
their Handlungsfelder and Zielgruppen with ``skos:related``.
"""
from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS

from ckanext.hamm import config as hamm_config
from ckanext.hamm.vocabularies import store as vocabulary

FORMATS = {"ttl": ("turtle", "text/turtle"), "jsonld": ("json-ld", "application/ld+json")}
# Persona card fields -> the vocabulary their ids belong to.
RELATED = {"handlungsfelder": "handlungsfeld", "zielgruppen": "zielgruppe"}


def _texts(graph: Graph, subject: URIRef, predicate: URIRef, texts: dict[str, str]) -> None:
    for lang, text in texts.items():
        if text:
            graph.add((subject, predicate, Literal(text, lang=lang)))


def scheme_graph(vocab: vocabulary.Vocabulary) -> Graph:
    graph = Graph()
    graph.bind("skos", SKOS)
    graph.bind("dct", DCTERMS)
    scheme = URIRef(vocab.uri)
    graph.add((scheme, RDF.type, SKOS.ConceptScheme))
    _texts(graph, scheme, SKOS.prefLabel, dict(vocab.label))
    _texts(graph, scheme, DCTERMS.title, dict(vocab.label))
    _texts(graph, scheme, SKOS.definition, dict(vocab.description))
    graph.add((scheme, DCTERMS.publisher, Literal(hamm_config.dcat_publisher_name())))
    for concept in vocab.concepts:
        node = URIRef(concept.uri)
        graph.add((node, RDF.type, SKOS.Concept))
        graph.add((node, SKOS.inScheme, scheme))
        graph.add((node, SKOS.topConceptOf, scheme))
        graph.add((scheme, SKOS.hasTopConcept, node))
        graph.add((node, SKOS.notation, Literal(concept.id)))
        _texts(graph, node, SKOS.prefLabel, dict(concept.label))
        _texts(graph, node, SKOS.definition, dict(concept.description))
        story = concept.extra.get("story")
        if isinstance(story, dict):
            _texts(graph, node, SKOS.scopeNote, story)
        for field, other in RELATED.items():
            for other_id in concept.extra.get(field) or []:
                try:
                    found = vocabulary.get_vocabulary(other).get(str(other_id))
                except KeyError:
                    found = None
                if found:
                    graph.add((node, SKOS.related, URIRef(found.uri)))
    return graph


def serialise(vocab_id: str, fmt: str) -> tuple[str, str]:
    """``(body, mimetype)``; ``KeyError`` for an unknown vocabulary or format."""
    rdf_format, mimetype = FORMATS[fmt]
    graph = scheme_graph(vocabulary.get_vocabulary(vocab_id))
    return graph.serialize(format=rdf_format), mimetype
