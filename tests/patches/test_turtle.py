"""Our Turtle writer: whatever it writes parses back to the graph it was given."""
from __future__ import annotations

import io

import pytest
from ckan.tests import factories, helpers
from rdflib import BNode, Graph, Literal, Namespace, URIRef, plugin
from rdflib import namespace as ns
from rdflib.compare import isomorphic
from rdflib.serializer import Serializer

from ckanext.hamm.patches import turtle
from tests.profiles.conftest import config_marks, full_dataset_dict

EX = Namespace("https://opendata.hamm.de/dataset/")


def _write(g: Graph) -> str:
    out = io.BytesIO()
    turtle.TurtleSerializer(g).serialize(out)
    return out.getvalue().decode("utf-8")


def _round_trip(g: Graph) -> Graph:
    return Graph().parse(data=_write(g), format="turtle")


def _graph(*triples) -> Graph:
    g = Graph()
    g.bind("dcat", ns.DCAT)
    g.bind("dct", ns.DCTERMS)
    g.bind("ex", EX)
    for triple in triples:
        g.add(triple)
    return g


@pytest.mark.parametrize("literal", [
    Literal("Baumkataster der Stadt Hamm", lang="de"),
    Literal('Zitat: "Bäume" \\ Pfad'),
    Literal("Zeile 1\nZeile 2\r\n\tEingerückt"),
    Literal("Steuerzeichen \x00\x01\x7f und Emoji 🌳"),
    Literal("2024-05-01", datatype=ns.XSD.date),
    Literal("explizit", datatype=ns.XSD.string),
    Literal("42", datatype=ns.XSD.integer),
    Literal("ohne Typ"),
    Literal(""),
    Literal("fremder Typ", datatype=URIRef("https://example.org/typ#wert x")),
])
def test_literals_come_back_with_value_language_and_datatype(literal: Literal) -> None:
    g = _graph((EX.baumkataster, ns.DCTERMS.title, literal))
    back = _round_trip(g)
    assert set(back) == set(g)


@pytest.mark.parametrize("iri", [
    "https://opendata.hamm.de/dataset/baumkataster",          # prefixed name ex:baumkataster
    "https://opendata.hamm.de/dataset/",                      # namespace itself
    "https://opendata.hamm.de/dataset/2024.ende.",            # a local name may not end in "."
    "https://opendata.hamm.de/dataset/straße",                # non-ASCII local name
    "https://opendata.hamm.de/dataset/a%20b",                 # percent sign
    "https://opendata.hamm.de/suche?q=b{a}u|m^e`",           # characters IRIREF forbids raw
    "urn:uuid:0d9e9a0e-8a3c-4f7e-9f49-3e2a1c0b7d11",
])
def test_iris_come_back_unchanged(iri: str) -> None:
    g = _graph((URIRef(iri), ns.DCTERMS.title, Literal("x")), (EX.katalog, ns.DCAT.dataset, URIRef(iri)))
    assert set(_round_trip(g)) == set(g)


def test_blank_nodes_used_once_are_inline_and_shared_ones_labelled() -> None:
    temporal, publisher = BNode(), BNode()
    g = _graph(
        (EX.a, ns.DCTERMS.temporal, temporal), (temporal, ns.DCAT.startDate, Literal("2020-01-01", datatype=ns.XSD.date)),
        (EX.a, ns.DCTERMS.publisher, publisher), (EX.b, ns.DCTERMS.publisher, publisher),
        (publisher, ns.FOAF.name, Literal("Stadt Hamm")), (publisher, ns.RDF.type, ns.FOAF.Agent),
        (EX.a, ns.DCTERMS.spatial, BNode()),  # an empty node
    )
    text = _write(g)
    assert "[\n" in text and f"_:{publisher}" in text and f"_:{temporal}" not in text
    assert "a foaf:Agent" in text  # rdf:type is written as "a"
    assert isomorphic(Graph().parse(data=text, format="turtle"), g)


def test_blank_nodes_in_a_cycle_and_self_references_are_written() -> None:
    first, second, alone, loop = BNode(), BNode(), BNode(), BNode()
    g = _graph((first, ns.DCTERMS.relation, second), (second, ns.DCTERMS.relation, first),
               (alone, ns.DCTERMS.title, Literal("ohne Verweis")), (loop, ns.DCTERMS.relation, loop))
    back = _round_trip(g)
    assert len(back) == len(g) and isomorphic(back, g)


def test_pages_written_separately_can_be_concatenated_without_merging_nodes() -> None:
    """``ckan hamm dcat dump`` concatenates pages: blank nodes keep unique labels."""
    pages = []
    for name in ("a", "b"):
        shared = BNode()
        pages.append(_graph((EX[name], ns.DCTERMS.publisher, shared), (EX[name + "2"], ns.DCTERMS.publisher, shared),
                            (shared, ns.FOAF.name, Literal("Stadt Hamm"))))
    merged = Graph().parse(data="\n".join(_write(p) for p in pages), format="turtle")
    assert len(set(merged.subjects(ns.FOAF.name, None))) == 2


def test_output_is_deterministic_and_declares_only_used_prefixes() -> None:
    g = _graph((EX.b, ns.DCTERMS.title, Literal("B")), (EX.a, ns.DCTERMS.title, Literal("A")))
    text = _write(g)
    assert text == _write(g)
    assert "@prefix dcat:" not in text and "@prefix dct:" in text
    assert text.index("ex:a") < text.index("ex:b")


def test_a_base_is_left_to_rdflib() -> None:
    g = _graph((EX.a, ns.DCTERMS.title, Literal("A")))
    out = io.BytesIO()
    turtle.TurtleSerializer(g).serialize(out, base=str(EX))
    assert out.getvalue().decode().startswith(f"@base <{EX}> .")
    assert set(Graph().parse(data=out.getvalue(), format="turtle", publicID=str(EX))) == set(g)


class TestInThePortal:
    pytestmark = config_marks()

    def test_the_portal_writes_turtle_with_it(self) -> None:
        for name in turtle.FORMAT_NAMES:
            assert plugin.get(name, Serializer) is turtle.TurtleSerializer

    def test_a_full_dcat_ap_de_dataset_round_trips(self) -> None:
        from ckanext.dcat.processors import RDFSerializer

        org = factories.Organization()
        dataset = helpers.call_action("package_create", **full_dataset_dict(org["id"]))
        serializer = RDFSerializer(profiles=["euro_dcat_ap_3", "hamm_dcat_ap_de"])
        serializer.graph_from_catalog({})
        serializer.graph_from_dataset(helpers.call_action("package_show", id=dataset["id"]))
        assert isomorphic(_round_trip(serializer.g), serializer.g)
