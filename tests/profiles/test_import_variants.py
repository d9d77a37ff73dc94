"""Faithful import of real German DCAT-AP.de catalogues: one small hand-written sample per variant.

What matches a list (dcat-ap.de licences of every version, EU frequencies and themes) is
mapped onto it; everything else is kept where it fits (text, keywords, place names) and named
in ``hamm_harvest_warnings``. No test accepts a URI that the source did not contain, except the
list URI of a licence or frequency the source named in another spelling.
"""
from __future__ import annotations

import json
import re
from typing import Any

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories, helpers
from rdflib import Graph

from ckanext.hamm.vocabularies import codelists
from tests.profiles import test_shacl as shacl_checks
from tests.profiles.conftest import HAMM_KEY, config_marks, parse

pytestmark = config_marks()

PREFIXES = """
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix locn: <http://www.w3.org/ns/locn#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcatde: <http://dcat-ap.de/def/dcatde/> .
@prefix dcatde1: <http://dcat-ap.de/def/dcatde/1_0/> .
"""
EU = "http://publications.europa.eu/resource/authority/"


def dataset(extra: str = "", distribution: str = "") -> str:
    """A minimal foreign record; ``extra`` adds dataset triples, ``distribution`` distribution triples."""
    return PREFIXES + f"""
<https://daten.example.org/ds/1> a dcat:Dataset ;
    dct:title "Haushaltsplan 2024"@de ; dct:description "Der Haushalt der Stadt."@de ;
    dcat:distribution <https://daten.example.org/ds/1/csv> {(';' + extra) if extra else ''} .
<https://daten.example.org/ds/1/csv> a dcat:Distribution ;
    dcat:accessURL <https://daten.example.org/haushalt.csv> {(';' + distribution) if distribution else ''} .
"""


def uris_in(value: Any) -> set[str]:
    text = json.dumps(value, ensure_ascii=False)
    return {u.rstrip("\\") for u in re.findall(r"https?://[^\s\"<>“]+", text)}


def assert_nothing_invented(parsed: dict[str, Any], source: str, allowed: set[str] = frozenset()) -> None:
    source_uris = set(re.findall(r"https?://[^\s\"<>]+", source))
    site = tk.config["ckan.site_url"]  # ckanext-dcat notes the catalogue's homepage as an extra
    invented = {u for u in uris_in(parsed) if u not in source_uris and u not in allowed and u != site}
    assert not invented


# -- licences ---------------------------------------------------------------------------
LICENCE_URIS = [
    ("http://dcat-ap.de/def/licenses/dl-by-de/2.0", "dl-by-de/2.0"),                # 2.0/3.0
    ("https://www.dcat-ap.de/def/licenses/dl-zero-de/2.0/", "dl-zero-de/2.0"),      # https, www, slash
    ("http://dcat-ap.de/def/licenses/dl-by-de/2_0", "dl-by-de/2.0"),                # 1.0 drafts
    ("http://dcat-ap.de/def/licenses/cc-by", "cc-by"),                              # unversioned 1.x code
    ("http://dcat-ap.de/def/licenses/cc-by-nc-de/4_0", "cc-by-nc/4.0"),             # no national CC 4.0
    ("http://dcat-ap.de/def/licenses/20200715/odbl", "odbl"),                       # versioned list IRI
    ("http://dcat-ap.de/def/licenses/geonutz/20130319", "geonutz/20130319"),
    ("http://dcat-ap.de/def/licenses/other-closed", "other-closed"),                # not open, still listed
    ("https://www.govdata.de/dl-de/by-2-0", "dl-by-de/2.0"),                        # GovData before DCAT-AP.de
    ("https://creativecommons.org/licenses/by/4.0/deed.de", "cc-by/4.0"),
    ("http://creativecommons.org/licenses/by-sa/4.0/legalcode", "cc-by-sa/4.0"),
    ("http://opendatacommons.org/licenses/odbl/1-0/", "odbl"),
    (EU + "licence/CC_BY_4_0", "cc-by/4.0"),                                       # EU authority table
    (EU + "licence/DL_DE_BY_2_0", "dl-by-de/2.0"),
]


@pytest.mark.parametrize("uri, code", LICENCE_URIS)
def test_licence_uris_of_every_version_map_to_the_register(uri: str, code: str) -> None:
    source = dataset(distribution=f"dct:license <{uri}>")
    [parsed] = parse(source)
    assert parsed["license_id"] == code
    assert parsed["resources"][0]["license"] == codelists.LICENCES + code
    assert code in codelists.licence_register()
    assert "hamm_harvest_warnings" not in parsed
    assert_nothing_invented(parsed, source, {codelists.LICENCES + code})


NOT_LICENCES = [
    ('"Nutzungsbedingungen der Stadt Musterstadt"', "Nutzungsbedingungen der Stadt Musterstadt"),
    ('"Nutzungsbedingungen der Stadt Musterstadt"@de', "Nutzungsbedingungen der Stadt Musterstadt"),
    ('[ a dct:LicenseDocument ; dct:title "Eigene Lizenz der Stadtwerke" ]', "Eigene Lizenz der Stadtwerke"),
    ('[ a dct:LicenseDocument ; rdfs:label "Frei nutzbar" ]', "Frei nutzbar"),
    ("<https://daten.example.org/lizenz>", "https://daten.example.org/lizenz"),
    ("<http://dcat-ap.de/def/licenses/stadt-musterstadt-lizenz>", "stadt-musterstadt-lizenz"),
]


@pytest.mark.parametrize("licence, kept", NOT_LICENCES)
def test_other_licences_are_kept_as_text_and_flagged_never_as_uri(licence: str, kept: str) -> None:
    source = dataset(distribution=f"dct:license {licence}")
    [parsed] = parse(source)
    assert parsed["license_id"] == ""
    assert "license" not in parsed["resources"][0]
    assert kept in parsed["hamm_harvest_warnings"]
    assert "Lizenz" in parsed["hamm_harvest_warnings"]
    assert_nothing_invented(parsed, source)


def test_dataset_licence_literal_and_known_distribution_licence() -> None:
    source = dataset('dct:license "Siehe Website"', "dct:license <http://dcat-ap.de/def/licenses/cc-zero>")
    [parsed] = parse(source)
    assert parsed["license_id"] == "cc-zero"
    assert "Siehe Website" in parsed["hamm_harvest_warnings"]


# -- frequency --------------------------------------------------------------------------
@pytest.mark.parametrize("frequency, expected", [
    (f"<{EU}frequency/IRREGULAR>", "IRREG"),
    (f"<{EU}frequency/ANNUAL>", "ANNUAL"),
    ("<http://purl.org/cld/freq/annual>", "ANNUAL"),
    ("<http://dcat-ap.de/def/frequency/monthly>", "MONTHLY"),
    ('"continuous"', "CONT"),
    ("<http://purl.org/cld/freq/semiannual>", None),     # not in the portal's list: kept in the note
    ("<https://daten.example.org/frequenz/bei-bedarf>", None),
])
def test_frequency_spellings(frequency: str, expected: str | None) -> None:
    source = dataset(f"dct:accrualPeriodicity {frequency}")
    [parsed] = parse(source)
    if expected:
        assert parsed["frequency"] == f"{EU}frequency/{expected}"
        assert "hamm_harvest_warnings" not in parsed
        assert_nothing_invented(parsed, source, {f"{EU}frequency/{expected}"})
    else:
        assert "frequency" not in parsed
        assert frequency.strip('<>"') in parsed["hamm_harvest_warnings"]
        assert_nothing_invented(parsed, source)


# -- themes -----------------------------------------------------------------------------
def test_foreign_themes_become_keywords_eu_themes_stay_and_suggest_a_handlungsfeld() -> None:
    source = dataset(f"""dcat:theme <{EU}data-theme/ENVI>, <https://daten.example.org/themen/haushalt>,
        <https://daten.example.org/themen/k17> ; dcat:keyword "Finanzen" ;
        dcat:theme <https://daten.example.org/themen/k17>""") + """
<https://daten.example.org/themen/k17> skos:prefLabel "Öffentliche Finanzen"@de ."""
    [parsed] = parse(source)
    assert parsed["theme"] == [f"{EU}data-theme/ENVI"]
    assert {t["name"] for t in parsed["tags"]} == {"Finanzen", "haushalt", "Öffentliche Finanzen"}
    assert parsed["handlungsfeld"] == ["umwelt"]  # rvr_mapping.yaml: envi → umwelt, as for RVR


# -- places -----------------------------------------------------------------------------
def test_location_names_and_political_geocoding_are_kept() -> None:
    source = dataset("""dct:spatial [ a dct:Location ; locn:adminUnitL2 "Kreis Unna" ;
            locn:geographicName "Musterstadt" ; skos:prefLabel "Stadtgebiet Musterstadt"@de ] ;
        dcatde1:politicalGeocodingURI <http://dcat-ap.de/def/politicalGeocoding/regionalKey/059780000000> ;
        dcatde1:politicalGeocodingLevelURI <http://dcat-ap.de/def/politicalGeocoding/Level/municipality> ;
        dct:spatial <%s>""" % HAMM_KEY) + f"""
<{HAMM_KEY}> a dct:Location ; skos:prefLabel "Hamm"@de ."""
    [parsed] = parse(source)
    coverage = parsed["spatial_coverage"]
    texts = " | ".join(c.get("text", "") for c in coverage)
    for name in ("Kreis Unna", "Musterstadt", "Stadtgebiet Musterstadt"):
        assert name in texts
    assert {"uri": HAMM_KEY, "text": "Hamm"} in coverage
    assert {"uri": "http://dcat-ap.de/def/politicalGeocoding/regionalKey/059780000000"} in coverage
    assert_nothing_invented(parsed, source)


# -- publishers -------------------------------------------------------------------------
@pytest.mark.parametrize("publisher, name", [
    ('"Stadt Musterstadt, Kämmerei"', "Stadt Musterstadt, Kämmerei"),
    ('[ a foaf:Organization ; foaf:name "Kreis Unna"@de ]', "Kreis Unna"),
    ('<https://daten.example.org/org/kaemmerei>', "Kämmerei"),
])
def test_publishers_keep_their_name(publisher: str, name: str) -> None:
    source = dataset(f"dct:publisher {publisher}") + """
<https://daten.example.org/org/kaemmerei> a foaf:Agent ; foaf:name "Kämmerei" ."""
    [parsed] = parse(source)
    assert [p["name"] for p in parsed["publisher"]] == [name]


# -- the same record in three syntaxes, through the Hamm schema -------------------------
REAL_WORLD = PREFIXES + f"""
<https://daten.example.org/ds/baustellen> a dcat:Dataset ;
    dct:title "Baustellen im Stadtgebiet"@de ;
    dct:description "Aktuelle Baustellen mit Zeitraum und Umleitung."@de ;
    dct:identifier "baustellen-2024" ;
    dct:publisher "Stadt Musterstadt" ;
    dct:accrualPeriodicity <{EU}frequency/IRREGULAR> ;
    dcat:theme <{EU}data-theme/TRAN>, <https://daten.example.org/themen/verkehr> ;
    dcat:keyword "Baustellen", "Verkehr" ;
    dct:spatial [ a dct:Location ; locn:geographicName "Musterstadt" ; locn:adminUnitL2 "Kreis Unna" ] ;
    dcatde:politicalGeocodingURI <http://dcat-ap.de/def/politicalGeocoding/regionalKey/059780000000> ;
    dcat:contactPoint [ a <http://www.w3.org/2006/vcard/ns#Organization> ;
        <http://www.w3.org/2006/vcard/ns#fn> "Tiefbauamt" ;
        <http://www.w3.org/2006/vcard/ns#hasEmail> <mailto:tiefbau@musterstadt.example> ] ;
    dcat:distribution <https://daten.example.org/ds/baustellen/csv> .
<https://daten.example.org/ds/baustellen/csv> a dcat:Distribution ;
    dct:title "Baustellen (CSV)" ;
    dcat:accessURL <https://daten.example.org/baustellen.csv> ;
    dct:format <{EU}file-type/CSV> ;
    dct:license <http://dcat-ap.de/def/licenses/dl-by-de/2_0> .
"""


def _in(fmt: str) -> str:
    return Graph().parse(data=REAL_WORLD, format="turtle").serialize(format=fmt)


@pytest.mark.parametrize("fmt", ["ttl", "xml", "json-ld"])
def test_real_world_record_in_every_syntax_passes_the_hamm_schema(fmt: str, app: Any) -> None:
    data = REAL_WORLD if fmt == "ttl" else _in(fmt)
    [parsed] = parse(data, fmt=fmt)
    assert parsed["license_id"] == "dl-by-de/2.0"
    assert parsed["frequency"] == f"{EU}frequency/IRREG"
    assert parsed["handlungsfeld"] == ["mobilitaet"]  # suggested from TRAN
    assert "hamm_harvest_warnings" not in parsed
    # what Hamm adds itself: a name and the owning organisation
    org = factories.Organization()
    created = helpers.call_action("package_create", **dict(parsed, name="baustellen-musterstadt",
                                                             owner_org=org["id"]))
    assert created["publisher"][0]["name"] == "Stadt Musterstadt"
    assert {t["name"] for t in created["tags"]} == {"Baustellen", "Verkehr"}  # theme "verkehr" folded in
    assert created["resources"][0]["license"] == codelists.LICENCES + "dl-by-de/2.0"
    assert created["resources"][0]["format"] == "CSV"
    if fmt == "ttl":  # and it goes out again as valid DCAT-AP.de
        shacl_checks._check(shacl_checks._pages(app))


def test_imported_variants_catalogue_is_conformant(app: Any) -> None:
    """Every variant above, imported and published: 0 violations (no licence: left out)."""
    org = factories.Organization()
    samples = ([dataset(distribution=f"dct:license <{u}>") for u, _ in LICENCE_URIS]
               + [dataset(distribution=f"dct:license {lic}") for lic, _ in NOT_LICENCES]
               + [REAL_WORLD])
    for n, sample in enumerate(samples):
        [parsed] = parse(sample.replace("/ds/1", f"/ds/{n}"))
        parsed.setdefault("handlungsfeld", ["umwelt"])
        # what a harvest adds: the remote id lets a record without a known licence be public
        helpers.call_action("package_create", **dict(parsed, name=f"import-{n}", owner_org=org["id"],
                                                     hamm_remote_id=f"https://daten.example.org/ds/{n}"))
    pages = shacl_checks._pages(app)
    figures = shacl_checks._check(pages)
    assert figures["dcat-ap-de-3"][0] == 0
