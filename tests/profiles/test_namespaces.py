"""``Terms``: namespace terms made once, equal to rdflib's."""
import pytest
from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS

from ckanext.hamm.profiles.namespaces import Terms


def test_terms_equal_the_namespace_terms_and_are_made_once():
    terms = Terms(DCTERMS)
    assert terms.license == DCTERMS.license
    assert isinstance(terms.license, URIRef)
    assert terms.license is terms.license


def test_names_that_are_str_methods_work_by_item():
    terms = Terms(DCTERMS)
    assert terms["format"] == URIRef("http://purl.org/dc/terms/format")
    assert terms["format"] is terms["format"]


def test_private_names_are_not_terms():
    with pytest.raises(AttributeError):
        Terms(Namespace("http://example.org/"))._missing  # noqa: B018 (the access itself is the test)
