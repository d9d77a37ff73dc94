"""schema.org ``Dataset`` markup: only schema.org terms, values within their ranges."""
from __future__ import annotations

import json

from ckanext.hamm.dataset import schema_org
from tests.dataset.test_citation import PKG, URL
from tests.support.schema_org import check

FULL = {**PKG, "notes": "Alle Bäume der Stadt.", "identifier": "https://opendata.hamm.de/id/baumkataster",
        "tags": [{"name": "baeume", "display_name": "Bäume"}], "issued": "2021-05-01",
        "spatial_coverage": [{"uri": "http://dcat-ap.de/def/politicalGeocoding/municipalityKey/05915000",
                              "text": "Hamm"}],
        "resources": [{"url": "https://www.hamm.de/baeume.csv", "name": "Bäume", "format": "csv",
                       "last_modified": "2024-03-01T12:00:00"},
                      {"url": "javascript:alert(1)", "format": "HTML"}]}


def markup(pkg: dict = FULL) -> dict:
    return schema_org.dataset_markup(pkg, URL, "de", "Stadt Hamm", "https://www.hamm.de/", "https://opendata.hamm.de/")


def test_every_type_and_property_is_schema_org_and_fits_its_range() -> None:
    node = markup()
    assert check(node) == []
    for key in ("name", "description", "url", "identifier", "keywords", "license", "publisher", "creator",
                "temporalCoverage", "spatialCoverage", "distribution", "dateModified", "isAccessibleForFree",
                "inLanguage"):
        assert key in node, key


def test_values_say_what_a_search_engine_shows() -> None:
    node = markup()
    assert node["temporalCoverage"] == "2020-01-01/2023-12-31"
    assert node["publisher"] == {"@type": "Organization", "name": "Stadt Hamm – Umweltamt", "url": "https://www.hamm.de/"}
    assert node["creator"]["name"] == "Umweltamt"
    assert node["distribution"] == [{"@type": "DataDownload", "contentUrl": "https://www.hamm.de/baeume.csv",
                                     "name": "Bäume", "encodingFormat": "CSV"}]   # no javascript: link
    assert node["keywords"] == ["Bäume"] and node["inLanguage"] == "de" and node["isAccessibleForFree"] is True
    assert node["dateModified"] == "2024-03-01"


def test_a_sparse_dataset_leaves_fields_out_instead_of_sending_empty_ones() -> None:
    node = markup({"id": "x", "name": "x", "title": "X", "resources": []})
    assert check(node) == []
    assert "temporalCoverage" not in node and "distribution" not in node and "license" not in node


def test_the_checker_catches_wrong_terms_and_ranges() -> None:
    bad = {**markup(), "colour": "grün", "dateModified": "gestern", "publisher": {"@type": "Dataset", "name": "x"},
           "distribution": [{"@type": "DataDownload", "contentUrl": "kein Link"}]}
    problems = "\n".join(check(bad))
    for fragment in ("colour", "dateModified", "publisher", "contentUrl"):
        assert fragment in problems


def test_the_script_text_cannot_close_its_tag() -> None:
    text = schema_org.as_script_json(markup({**FULL, "title": "</script><script>alert(1)</script>"}))
    assert "</script>" not in text and json.loads(text)["name"].startswith("</script>")
