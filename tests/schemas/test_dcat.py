"""Our field names are ckanext-dcat's, so plain ``euro_dcat_ap_3`` already serialises them."""
from __future__ import annotations

from typing import Any

import pytest
from ckan.tests import factories, helpers
from rdflib import URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF

from ckanext.dcat.processors import RDFSerializer
from tests.schemas.test_round_trip import DATASET_FIELDS, RESOURCE_FIELDS

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", "hamm_search hamm scheming_datasets dcat"),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]
VCARD = "http://www.w3.org/2006/vcard/ns#"
DCATAP = "http://data.europa.eu/r5r/"


@pytest.fixture
def graph_and_uri() -> tuple[Any, URIRef]:
    org = factories.Organization()
    data = {k: v[0] for k, v in DATASET_FIELDS.items()}
    data.update(name="dcat-felder", owner_org=org["id"],
                resources=[{k: v[0] for k, v in RESOURCE_FIELDS.items()}])
    pkg = helpers.call_action("package_create", context={"ignore_auth": True}, **data)
    serializer = RDFSerializer(profiles=["euro_dcat_ap_3"])
    return serializer.g, serializer.graph_from_dataset(pkg)


def test_dataset_fields_reach_the_graph(graph_and_uri: tuple[Any, URIRef]) -> None:
    graph, ds = graph_and_uri
    themes = {str(o) for o in graph.objects(ds, DCAT.theme)}
    assert themes == set(DATASET_FIELDS["theme"][0])
    assert str(graph.value(ds, DCTERMS.accrualPeriodicity)) == DATASET_FIELDS["frequency"][0]
    assert str(graph.value(ds, DCTERMS.identifier)) == DATASET_FIELDS["identifier"][0]
    assert str(graph.value(ds, DCAT.landingPage)) == DATASET_FIELDS["url"][0]
    publisher = graph.value(ds, DCTERMS.publisher)
    assert str(graph.value(publisher, FOAF.name)) == "Stadt Hamm"
    contact = graph.value(ds, DCAT.contactPoint)
    assert str(graph.value(contact, URIRef(VCARD + "hasEmail"))) == "mailto:umwelt@stadt.hamm.de"
    spatial = graph.value(ds, DCTERMS.spatial)
    assert str(spatial) == DATASET_FIELDS["spatial_coverage"][0][0]["uri"]
    assert graph.value(ds, DCTERMS.temporal) is not None


def test_resource_fields_reach_the_graph(graph_and_uri: tuple[Any, URIRef]) -> None:
    graph, ds = graph_and_uri
    dist = graph.value(ds, DCAT.distribution)
    assert str(graph.value(dist, DCTERMS.license)) == RESOURCE_FIELDS["license"][0]
    assert str(graph.value(dist, URIRef(DCATAP + "availability"))) == RESOURCE_FIELDS["availability"][0]
