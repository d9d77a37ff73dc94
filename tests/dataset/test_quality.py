"""Unit tests of the metadata quality score: every check passes on complete metadata and
fails on exactly the gap it is about."""
from __future__ import annotations

import copy
import datetime

import pytest

from ckanext.hamm.dataset import quality

COMPLETE = {
    "title": "Baumkataster", "notes": "Alle Stadtbäume", "owner_org": "org-id",
    "tags": [{"name": "Bäume"}], "theme": ["http://publications.europa.eu/resource/authority/data-theme/ENVI"],
    "spatial_coverage": [{"uri": "http://dcat-ap.de/def/politicalGeocoding/municipalityKey/05915000"}],
    "temporal_coverage": [{"start": "2020-01-01", "end": "2025-12-31"}],
    "license_id": "dl-by-de/2.0", "license_title": "Datenlizenz Deutschland – Namensnennung – Version 2.0",
    "license_url": "http://dcat-ap.de/def/licenses/dl-by-de/2.0",
    "contact": [{"name": "Grünflächenamt", "email": "gruen@hamm.example"}],
    "publisher": [{"name": "Stadt Hamm"}], "issued": "2020-01-01", "modified": "2025-06-01",
    "frequency": "http://publications.europa.eu/resource/authority/frequency/ANNUAL",
    "resources": [{"url": "https://www.hamm.de/baeume.csv", "format": "CSV", "mimetype": "text/csv",
                   "size": "1024", "availability": "http://data.europa.eu/r5r/availability/stable"}],
}


def _without(path: str, value=None):
    pkg = copy.deepcopy(COMPLETE)
    target, key = pkg, path
    if path.startswith("res."):
        target, key = pkg["resources"][0], path[4:]
    target[key] = value
    return pkg


def _failed(pkg) -> list[str]:
    return [c["id"] for c in quality.score(pkg)["checks"] if not c["passed"]]


def test_complete_metadata_scores_full_marks():
    result = quality.score(COMPLETE)
    assert result["points"] == result["max"] == quality.MAX_POINTS
    assert (result["percent"], result["rating"], result["to_fix"]) == (100.0, "excellent", [])
    assert set(result["dimensions"]) == set(quality.DIMENSIONS)


@pytest.mark.parametrize("path, value, expected", [
    ("tags", [], ["keywords"]),
    ("theme", [], ["themes"]),
    ("spatial_coverage", [{"uri": "", "text": ""}], ["spatial"]),
    ("temporal_coverage", None, ["temporal"]),
    ("res.url", "ftp://hamm.de/x.csv", ["access_url", "dcat_ap"]),
    ("res.availability", "", ["availability"]),
    ("res.mimetype", "", ["media_type"]),
    ("res.mimetype", "application/x-unbekannt", ["format_vocabulary"]),
    ("license_id", "", ["license", "license_vocabulary", "license_open"]),
    ("license_url", "", ["license_vocabulary"]),
    ("contact", [], ["contact"]),
    ("res.size", "groß", ["byte_size"]),
    ("issued", None, ["issued"]),
    ("modified", "", ["modified"]),
    ("frequency", "", ["frequency"]),
])
def test_each_check_fails_on_its_gap(path, value, expected):
    pkg = _without(path, value)
    if path == "license_url":
        pkg["license_title"] = pkg["license_id"]
    assert _failed(pkg) == expected


def test_format_checks():
    assert _failed(_without("res.format", "")) == ["download_url", "format", "format_vocabulary",
                                                   "non_proprietary", "machine_readable"]
    xlsx = _without("res.format", "XLSX")
    xlsx["resources"][0]["mimetype"] = quality.MEDIA_TYPES["XLSX"]
    assert _failed(xlsx) == ["non_proprietary"]
    pdf = _without("res.format", "PDF")
    pdf["resources"][0]["mimetype"] = "application/pdf"
    assert _failed(pdf) == ["machine_readable"]
    html = _without("res.format", "HTML")
    html["resources"][0]["mimetype"] = "text/html"
    assert _failed(html) == ["download_url", "machine_readable"]


def test_no_resources_fails_every_resource_check():
    assert set(_failed(_without("resources", []))) == {
        "access_url", "download_url", "availability", "format", "media_type", "format_vocabulary",
        "non_proprietary", "machine_readable", "dcat_ap", "byte_size"}


def test_dcat_core_needs_description_and_publisher():
    assert _failed(_without("notes", "")) == ["dcat_ap"]
    pkg = _without("publisher", [])
    pkg["owner_org"] = None
    assert _failed(pkg) == ["dcat_ap", "publisher"]


@pytest.mark.parametrize("value, expected", [
    ("csv", "CSV"), (".CSV", "CSV"), ("text/csv", "CSV"), ("GeoJSON", "GEOJSON"),
    ("application/geo+json", "GEOJSON"), ("JSON-LD", "JSONLD"), ("jpg", "JPEG"), (None, ""),
])
def test_normalise_format(value, expected):
    assert quality.normalise_format(value) == expected


def test_open_licence():
    assert quality.is_open_license({"license_id": "cc-zero"})
    assert not quality.is_open_license({"license_id": "other-closed"})
    assert quality.is_open_license({"license_id": "something", "isopen": True})


@pytest.mark.parametrize("licence, is_open", [
    ("dl-by-de/2.0", True), ("geonutz/20130319", True), ("officialWork", True), ("odby", True),
    ("cc-by-nc/4.0", False), ("dl-by-nc-de/1.0", False), ("cc-by-nd/4.0", False), ("other-commercial", False),
])
def test_open_flag_of_the_whole_dcat_ap_de_list(licence, is_open):
    """The /kennzahlen share follows the list's isOpenLicense, also for the non-open licences it holds."""
    assert quality.is_open_license({"license_id": licence, "isopen": not is_open}) is is_open


@pytest.mark.parametrize("percent, expected", [(100, "excellent"), (87, "excellent"), (86.9, "good"),
                                               (55, "good"), (30, "sufficient"), (29.9, "bad"), (0, "bad")])
def test_rating_thresholds(percent, expected):
    assert quality.rating(percent) == expected


@pytest.mark.parametrize("frequency, modified, expected", [
    ("http://publications.europa.eu/resource/authority/frequency/ANNUAL", "2025-01-01", True),
    ("http://publications.europa.eu/resource/authority/frequency/ANNUAL", "2024-01-01", False),
    ("http://publications.europa.eu/resource/authority/frequency/MONTHLY", "2025-06-20", True),
    ("http://publications.europa.eu/resource/authority/frequency/DAILY", "2025-06-01", False),
    ("http://publications.europa.eu/resource/authority/frequency/IRREG", "2025-06-01", None),
    ("", "2025-06-01", None),
    ("http://publications.europa.eu/resource/authority/frequency/WEEKLY", "", False),
])
def test_freshness_against_declared_frequency(frequency, modified, expected):
    today = datetime.date(2025, 7, 1)
    assert quality.is_fresh({"frequency": frequency, "modified": modified}, today) is expected


def test_freshness_falls_back_to_metadata_modified():
    pkg = {"frequency": "http://publications.europa.eu/resource/authority/frequency/WEEKLY",
           "metadata_modified": "2025-06-30T10:00:00"}
    assert quality.is_fresh(pkg, datetime.date(2025, 7, 1)) is True
