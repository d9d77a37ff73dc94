"""A dataset's extent in DCAT-AP.de, in and out (issue 28).

Out: ``spatial`` (GeoJSON) becomes a ``dct:Location`` with ``locn:geometry``,
``dcat:bbox`` and ``dcat:centroid`` beside the political geocoding. In: every form
DCAT-AP.de 2.x/3.0 allows for a place (geometry as WKT, GeoJSON or GML, only a
bbox, only a centroid), and geocoding / GeoNames URIs in their current spelling.
"""
from __future__ import annotations

import json

import pytest
from rdflib import URIRef
from rdflib.namespace import RDF, Namespace

from ckanext.hamm.dataset import extent
from tests.profiles.conftest import (
    HAMM_KEY,
    config_marks,
    create_full_dataset,
    full_dataset_dict,
    graph,
    parse,
    serialise,
)
from tests.profiles.test_import_variants import dataset

pytestmark = config_marks()

DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCT = Namespace("http://purl.org/dc/terms/")
LOCN = Namespace("http://www.w3.org/ns/locn#")
GSP = Namespace("http://www.opengis.net/ont/geosparql#")
HAMM_BOX = (7.67, 51.58, 8.0, 51.77)
GEO_PREFIXES = "@prefix gsp: <http://www.opengis.net/ont/geosparql#> .\n"


def _location_with_geometry(g):
    for location in g.objects(None, DCT.spatial):
        if any(g.objects(location, LOCN.geometry)):
            return location
    return None


def test_extent_is_published_as_location_with_geometry_bbox_and_centroid() -> None:
    created = create_full_dataset(spatial="7.67,51.58,8.00,51.77")
    g = graph(serialise(created))
    location = _location_with_geometry(g)
    assert location is not None
    # DCAT-AP 3.0: one locn:Geometry node, in GeoSPARQL's WKT and GeoJSON
    [geometry] = list(g.objects(location, LOCN.geometry))
    assert (geometry, RDF.type, LOCN.Geometry) in g
    [as_wkt] = list(g.objects(geometry, GSP.asWKT))
    assert as_wkt.datatype == GSP.wktLiteral and extent.bounds(extent.from_wkt(str(as_wkt))) == HAMM_BOX
    [as_json] = list(g.objects(geometry, GSP.asGeoJSON))
    assert extent.bounds(str(as_json)) == HAMM_BOX
    [bbox] = list(g.objects(location, DCAT.bbox))
    assert bbox.datatype == GSP.wktLiteral and extent.bounds(extent.from_wkt(str(bbox))) == HAMM_BOX
    [centroid] = list(g.objects(location, DCAT.centroid))
    assert centroid.datatype == GSP.wktLiteral and str(centroid) == "POINT (7.835 51.675)"
    # the political geocoding stays beside it
    assert URIRef(HAMM_KEY) in set(g.objects(None, DCT.spatial))


def test_dataset_without_extent_publishes_no_geometry() -> None:
    g = graph(serialise(create_full_dataset()))
    assert not list(g.objects(None, LOCN.geometry)) and not list(g.objects(None, DCAT.bbox))


POLYGON_WKT = "POLYGON((7.67 51.58, 8.0 51.58, 8.0 51.77, 7.67 51.77, 7.67 51.58))"
POLYGON_JSON = json.dumps(extent.box_polygon(*HAMM_BOX)).replace('"', '\\"')
GML = ('<gml:Envelope xmlns:gml=\\"http://www.opengis.net/gml/3.2\\" srsName=\\"http://www.opengis.net/def/crs/EPSG/0/4326\\">'
       '<gml:lowerCorner>51.58 7.67</gml:lowerCorner><gml:upperCorner>51.77 8.0</gml:upperCorner></gml:Envelope>')


@pytest.mark.parametrize("location, box", [
    (f'locn:geometry [ a locn:Geometry ; gsp:asWKT "{POLYGON_WKT}"^^gsp:wktLiteral ]', HAMM_BOX),  # DCAT-AP 3.0
    (f'locn:geometry [ gsp:asGeoJSON "{POLYGON_JSON}"^^gsp:geoJSONLiteral ]', HAMM_BOX),
    (f'locn:geometry "{POLYGON_WKT}"^^gsp:wktLiteral', HAMM_BOX),
    (f'locn:geometry "<http://www.opengis.net/def/crs/OGC/1.3/CRS84> {POLYGON_WKT}"^^gsp:wktLiteral', HAMM_BOX),
    (f'locn:geometry "{POLYGON_JSON}"^^<https://www.iana.org/assignments/media-types/application/vnd.geo+json>',
     HAMM_BOX),
    (f'locn:geometry "{GML}"^^gsp:gmlLiteral', HAMM_BOX),
    (f'dcat:bbox "{POLYGON_WKT}"^^gsp:wktLiteral', HAMM_BOX),
    ('dcat:centroid "POINT(7.835 51.675)"^^gsp:wktLiteral', (7.835, 51.675, 7.835, 51.675)),
    (f'locn:adminUnitL2 "Hamm" ; locn:geometry "{POLYGON_WKT}"^^gsp:wktLiteral', HAMM_BOX),
])
def test_every_form_of_a_located_place_keeps_its_extent(location: str, box) -> None:
    source = GEO_PREFIXES + dataset(f"dct:spatial [ a dct:Location ; {location} ]")
    [parsed] = parse(source)
    assert extent.bounds(parsed["spatial"]) == pytest.approx(box)


def test_geometry_wins_over_bbox_and_centroid() -> None:
    source = GEO_PREFIXES + dataset(
        'dct:spatial [ a dct:Location ; dcat:centroid "POINT(7.8 51.7)"^^gsp:wktLiteral ; '
        'dcat:bbox "POLYGON((7 51, 9 51, 9 52, 7 52, 7 51))"^^gsp:wktLiteral ; '
        f'locn:geometry "{POLYGON_WKT}"^^gsp:wktLiteral ]')
    [parsed] = parse(source)
    assert extent.bounds(parsed["spatial"]) == pytest.approx(HAMM_BOX)


def test_an_unreadable_geometry_is_a_note_not_a_broken_extent() -> None:
    source = GEO_PREFIXES + dataset('dct:spatial [ a dct:Location ; locn:geometry "POLYGON((kaputt"^^gsp:wktLiteral ]')
    [parsed] = parse(source)
    assert not parsed.get("spatial")
    assert "Geometrie" in json.dumps(parsed.get("hamm_harvest_warnings"), ensure_ascii=False)


@pytest.mark.parametrize("given, kept", [
    ("https://dcat-ap.de/def/politicalGeocoding/municipalityKey/05915000", HAMM_KEY),
    ("http://dcat-ap.de/def/politicalGeocoding/regionalKey/059150000000",
     "http://dcat-ap.de/def/politicalGeocoding/regionalKey/059150000000"),
    ("http://dcat-ap.de/def/politicalGeocoding/stateKey/05", "http://dcat-ap.de/def/politicalGeocoding/stateKey/05"),
    ("http://sws.geonames.org/2911298", "https://sws.geonames.org/2911298/"),
    ("https://www.geonames.org/2911298/hamm.html", "https://sws.geonames.org/2911298/"),
    ("http://www.geonames.org/2911298/", "https://sws.geonames.org/2911298/"),
])
def test_geocoding_and_geonames_uris_are_kept_in_their_current_form(given: str, kept: str) -> None:
    [parsed] = parse(dataset(f"dct:spatial <{given}>"))
    assert kept in {c.get("uri") for c in parsed["spatial_coverage"]}


def test_imported_extent_survives_the_round_trip_through_the_schema() -> None:
    [parsed] = parse(GEO_PREFIXES + dataset(f'dct:spatial [ a dct:Location ; dcat:bbox "{POLYGON_WKT}"^^gsp:wktLiteral ]'))
    created = create_full_dataset(spatial=parsed["spatial"])
    [again] = parse(serialise(created))
    assert extent.bounds(again["spatial"]) == pytest.approx(HAMM_BOX)


def test_catalogue_with_extents_has_no_shacl_violations(app) -> None:
    from ckan.tests import factories, helpers

    from tests.profiles import test_shacl

    org = factories.Organization(title="Vermessungs- und Katasteramt")
    for name, value in (("stadtgebiet", "7.67,51.58,8.00,51.77"),
                        ("messstation", '{"type": "Point", "coordinates": [7.81, 51.68]}')):
        helpers.call_action("package_create", **full_dataset_dict(org["id"], name=name, spatial=value))
    test_shacl._check(test_shacl._pages(app))
