"""Parsing with and without our profile: stock consumers, plain DCAT-AP 3 and DCAT-AP.de 1.x input."""
from __future__ import annotations

import pytest
from ckan.tests import helpers
from rdflib import URIRef

from ckanext.dcat.processors import RDFSerializer
from ckanext.hamm.profiles.namespaces import DCATDE
from ckanext.hamm.vocabularies import codelists
from ckanext.hamm.vocabularies import store as vocabulary
from tests.profiles.conftest import (
    HAMM_KEY,
    config_marks,
    create_full_dataset,
    graph,
    parse,
    serialise,
)

pytestmark = config_marks()
DCAT_KEYWORD = URIRef("http://www.w3.org/ns/dcat#keyword")


def _label(vocab_id: str, concept_id: str) -> str:
    return vocabulary.get_vocabulary(vocab_id).get(concept_id).label["de"]


def test_stock_consumer_gets_handlungsfeld_labels_as_tags() -> None:
    dataset = helpers.call_action("package_show", id=create_full_dataset()["id"])
    [parsed] = parse(serialise(dataset), profiles=["euro_dcat_ap_3"])
    tags = {t["name"] for t in parsed["tags"]}
    assert _label("handlungsfeld", dataset["handlungsfeld"][0]) in tags
    assert {"Bäume", "Stadtgrün"} <= tags


def test_keywords_are_valid_ckan_tags() -> None:
    """``Bürger:innen`` would make a downstream CKAN reject the whole dataset."""
    dataset = helpers.call_action("package_show", id=create_full_dataset(zielgruppe=["buergerinnen"])["id"])
    keywords = {str(k) for k in graph(serialise(dataset)).objects(None, DCAT_KEYWORD)}
    assert "Bürgerinnen" in keywords and "Bürger:innen" not in keywords


def test_catalogue_of_plain_euro_dcat_ap_3_still_parses() -> None:
    dataset = helpers.call_action("package_show", id=create_full_dataset()["id"])
    plain = RDFSerializer(profiles=["euro_dcat_ap_3"]).serialize_catalog(
        {}, [dataset], _format="ttl")
    [parsed] = parse(plain)
    assert parsed["title"] == dataset["title"]
    assert parsed["license_id"] == "cc-by/4.0"  # no dataset licence: first distribution's
    assert parsed["resources"][0]["format"] == "CSV"
    assert parsed["handlungsfeld"] == ["umwelt"]  # no Hamm concepts: only suggested from the EU theme ENVI


LEGACY = """
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix dcatde: <http://dcat-ap.de/def/dcatde/%s> .
<https://example.org/ds/1> a dcat:Dataset ;
    dct:title "Altbestand" ; dct:description "DCAT-AP.de 1.x" ;
    dcatde:politicalGeocodingURI <%s> ;
    dcat:theme <http://publications.europa.eu/resource/authority/data-theme/ENVI> ;
    dcat:distribution <https://example.org/ds/1/d> .
<https://example.org/ds/1/d> a dcat:Distribution ;
    dcat:accessURL <https://example.org/a.csv> ;
    dct:format <http://publications.europa.eu/resource/authority/file-type/GEOJSON> ;
    dct:license <%s> .
"""


@pytest.mark.parametrize("version", ["", "1_0/", "1.0/", "1.0.1/"])
@pytest.mark.parametrize("licence,code", [
    ("http://dcat-ap.de/def/licenses/dl-by-de/2_0", "dl-by-de/2.0"),
    ("https://www.dcat-ap.de/def/licenses/dl-zero-de/2.0", "dl-zero-de/2.0"),
    ("https://www.govdata.de/dl-de/by-2-0", "dl-by-de/2.0"),
])
def test_dcatde_1x_namespaces_and_old_licence_uris(version: str, licence: str, code: str) -> None:
    [parsed] = parse(LEGACY % (version, HAMM_KEY, licence))
    assert parsed["spatial_coverage"][0]["uri"] == HAMM_KEY
    assert parsed["license_id"] == code
    assert parsed["resources"][0]["license"] == codelists.LICENCES + code
    assert parsed["resources"][0]["format"] == "GeoJSON"


def test_contributor_id_unset_by_default() -> None:
    dataset = helpers.call_action("package_show", id=create_full_dataset()["id"])
    assert not list(graph(serialise(dataset)).objects(None, DCATDE.contributorID))


@pytest.mark.ckan_config("ckanext.hamm.dcat.contributor_id", "http://dcat-ap.de/def/contributors/openNRW")
def test_contributor_id_configurable() -> None:
    dataset = helpers.call_action("package_show", id=create_full_dataset()["id"])
    assert list(graph(serialise(dataset)).objects(None, DCATDE.contributorID)) == [
        URIRef("http://dcat-ap.de/def/contributors/openNRW")]


def test_attribution_only_where_the_licence_requires_it() -> None:
    dataset = helpers.call_action("package_show", id=create_full_dataset(
        license_id="dl-zero-de/2.0",
        resources=[{"url": "https://www.hamm.de/a.csv", "format": "CSV"}])["id"])
    g = graph(serialise(dataset))
    assert not list(g.objects(None, DCATDE.licenseAttributionByText))
    # the dataset licence is repeated on the distribution that names none
    assert URIRef(codelists.LICENCES + "dl-zero-de/2.0") in set(g.objects(None, URIRef(
        "http://purl.org/dc/terms/license")))


def test_dataset_without_publisher_gets_the_city_as_local_authority() -> None:
    dataset = helpers.call_action("package_show", id=create_full_dataset(publisher=[])["id"])
    g = graph(serialise(dataset))
    names = {str(o) for o in g.objects(None, URIRef("http://xmlns.com/foaf/0.1/name"))}
    assert names == {"Stadt Hamm"}
    assert (None, URIRef("http://purl.org/dc/terms/type"),
            URIRef(codelists.PUBLISHER_TYPE + "LocalAuthority")) in g
