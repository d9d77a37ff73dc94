""""So zitieren Sie diese Daten": who, title, the data's date, version, licence and a stable link."""
from __future__ import annotations

import json

from ckanext.hamm.dataset import citation

URL = "https://opendata.hamm.de/dataset/0b1c"
PKG = {
    "id": "0b1c", "name": "baumkataster", "title": "Baumkataster & Standorte", "version": "2.1",
    "license_id": "dl-by-de/2.0", "license_title": "Datenlizenz Deutschland – Namensnennung – Version 2.0",
    "license_url": "http://dcat-ap.de/def/licenses/dl-by-de/2.0",
    "organization": {"name": "umweltamt", "title": "Umweltamt"},
    "publisher": [{"name": "Stadt Hamm – Umweltamt"}],
    "metadata_created": "2026-11-30T10:00:00", "metadata_modified": "2026-12-05T08:00:00",
    "temporal_coverage": [{"start": "2020-01-01", "end": "2023-12-31"}],
    "resources": [{"last_modified": "2024-03-01T12:00:00"}, {"created": "2023-02-01T00:00:00"}],
}


def test_citation_names_publisher_year_title_version_date_licence_and_link() -> None:
    assert citation.citation(PKG, URL) == (
        "Stadt Hamm – Umweltamt (2024): Baumkataster & Standorte. Version 2.1. Stand: 01.03.2024. "
        "Lizenz: Datenlizenz Deutschland – Namensnennung – Version 2.0. https://opendata.hamm.de/dataset/0b1c")


def test_the_data_date_is_not_the_catalogue_date() -> None:
    dates = citation.data_dates(PKG)
    assert dates["data"].isoformat() == "2024-03-01"            # the newest file, not the record
    assert dates["file_changed"].isoformat() == "2024-03-01"
    assert (dates["coverage_start"].isoformat(), dates["coverage_end"].isoformat()) == ("2020-01-01", "2023-12-31")
    assert dates["record_changed"].isoformat() == "2026-12-05"
    assert citation.data_dates({**PKG, "modified": "2024-06-30"})["data"].isoformat() == "2024-06-30"


def test_without_publisher_the_organisation_then_the_city_is_named() -> None:
    bare = {**PKG, "publisher": [{"name": ""}]}
    assert citation.citation(bare, URL).startswith("Umweltamt (2024)")
    assert citation.citation({**bare, "organization": None}, URL, "Stadt Hamm").startswith("Stadt Hamm (2024)")


def test_bibtex_is_escaped_and_complete() -> None:
    entry = citation.bibtex(PKG, URL)
    assert entry.startswith("@misc{hamm_baumkataster,\n")
    assert "author = {{Stadt Hamm – Umweltamt}}" in entry       # a corporate author stays whole
    assert r"title = {Baumkataster \& Standorte}" in entry
    for line in ("year = {2024}", "version = {2.1}", f"url = {{{URL}}}", "note = {Lizenz: Datenlizenz"):
        assert line in entry
    assert entry.count("{") == entry.count("}")


def test_csl_json_is_a_dataset_item() -> None:
    [item] = json.loads(json.dumps(citation.csl_json(PKG, URL)))
    assert item["type"] == "dataset" and item["URL"] == URL and item["version"] == "2.1"
    assert item["author"] == [{"literal": "Stadt Hamm – Umweltamt"}]
    assert item["issued"] == {"date-parts": [[2024, 3, 1]]}
    assert item["license"] == "http://dcat-ap.de/def/licenses/dl-by-de/2.0"
