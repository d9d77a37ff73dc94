"""The pure mapping of a Hamm dataset onto a stock CKAN dataset (no DB, no HTTP)."""
from __future__ import annotations

from importlib import resources

from ckanext.hamm.publish import mapping

RULES = mapping.load_rules(resources.files("ckanext.hamm.schemas").joinpath("rvr_publish.yaml").read_text("utf-8"))
LABELS = {("handlungsfeld", "umwelt"): "Umwelt- und Klimaschutz", ("zielgruppe", "buergerinnen"): "Bürger:innen",
          ("zielgruppe", "wissenschaft"): "Wissenschaft & Hochschulen",
          ("persona", "planerin-hitzeaktionsplan"): "Sabine, Planerin für den Hitzeaktionsplan"}
THEME = "http://publications.europa.eu/resource/authority/data-theme/"
PKG = {
    "id": "5d1c9a0e-0000-4000-8000-000000000001", "name": "kuehle-orte", "title": "Kühle Orte bei Hitze",
    "notes": "Schattige **Parks**.", "license_id": "dl-by-de/2.0",
    "tags": [{"name": "Hitze"}, {"name": "Smarte Bänke"}],
    "handlungsfeld": ["umwelt"], "zielgruppe": ["buergerinnen", "wissenschaft"],
    "persona": ["planerin-hitzeaktionsplan"],
    "theme": [THEME + "HEAL", THEME + "ENVI"],
    "contact": [{"name": "Umweltamt", "email": "umweltamt@stadt.hamm.de"}],
    "publisher": [{"name": "Stadt Hamm", "url": "https://www.hamm.de/"}],
    "spatial_coverage": [{"uri": "http://dcat-ap.de/def/politicalGeocoding/municipalityKey/05915000", "text": "Hamm"}],
    "issued": "2024-05-01", "modified": "2025-06-30",
    "resources": [{"url": "https://www.hamm.de/k.geojson", "name": "Kühle Orte", "format": "GeoJSON",
                   "license": "http://dcat-ap.de/def/licenses/dl-by-de/2.0"},
                  {"url": "javascript:alert(1)", "name": "kaputt"}],
}


def mapped(**changes) -> mapping.Mapped:
    return mapping.map_dataset(dict(PKG, **changes), RULES, lambda d, c: LABELS.get((d, c), c),
                               "https://opendata.hamm.de/dataset/kuehle-orte",
                               "https://opendata.hamm.de/dataset/" + PKG["id"])


def test_dimension_labels_become_valid_ckan_tags_with_umlauts():
    names = [t["name"] for t in mapped().package["tags"]]
    assert names == ["Hitze", "Smarte Bänke", "Umwelt- und Klimaschutz", "Bürger_innen",
                     "Wissenschaft und Hochschulen", "Sabine - Planerin für den Hitzeaktionsplan"]


def test_core_fields_contact_publisher_page_and_extras():
    package = mapped().package
    assert package["name"] == "hamm-kuehle-orte" and package["title"] == "Kühle Orte bei Hitze"
    assert (package["maintainer"], package["maintainer_email"]) == ("Umweltamt", "umweltamt@stadt.hamm.de")
    assert package["author"] == "Stadt Hamm" and "author_email" not in package
    assert package["url"] == "https://opendata.hamm.de/dataset/kuehle-orte"
    assert package["license_id"] == "dl-by-de/2.0"
    extras = {e["key"]: e["value"] for e in package["extras"]}
    assert extras == {
        "identifier": "https://opendata.hamm.de/dataset/" + PKG["id"],
        "hamm_origin": "https://opendata.hamm.de/dataset/" + PKG["id"],
        "issued": "2024-05-01", "modified": "2025-06-30",
        "politicalGeocodingURI": '["http://dcat-ap.de/def/politicalGeocoding/municipalityKey/05915000"]',
        "politicalGeocodingLevelURI": "http://dcat-ap.de/def/politicalGeocoding/Level/municipality"}


def test_resources_keep_licence_and_drop_non_http_links_with_a_warning():
    result = mapped()
    assert result.package["resources"] == [{
        "url": "https://www.hamm.de/k.geojson", "name": "Kühle Orte", "description": "", "format": "GeoJSON",
        "license": "http://dcat-ap.de/def/licenses/dl-by-de/2.0", "license_id": "dl-by-de/2.0"}]
    assert any("kaputt" in w for w in result.warnings)


def test_themes_become_lower_case_groups_and_only_existing_ones_are_sent():
    result = mapped(theme=[THEME + "HEAL", THEME + "INTR", "http://example.org/nonsense"])
    assert result.groups == ["heal", "intr"]
    assert any("nonsense" in w for w in result.warnings)
    assert mapping.split_groups(result.groups, ["heal", "envi"]) == (["heal"], ["intr"])


def test_unknown_licence_is_sent_unchanged_and_reported():
    result = mapped(license_id="stadt-hamm-sonderlizenz")
    assert result.package["license_id"] == "stadt-hamm-sonderlizenz"
    assert any("stadt-hamm-sonderlizenz" in w for w in result.warnings)


def test_fingerprint_changes_with_what_is_sent_and_only_then():
    assert mapped().fingerprint == mapped(metadata_modified="2030-01-01").fingerprint
    assert mapped().fingerprint != mapped(title="Anders").fingerprint
    assert mapped().fingerprint != mapped(persona=[]).fingerprint


def test_names_stay_within_ckans_100_characters_also_with_a_clash_suffix():
    long = "x" * 99
    assert len(mapping.remote_name(long, RULES)) == 100
    renamed = mapping.remote_name(long, RULES, "5d1c9a0e")
    assert len(renamed) == 100 and renamed.endswith("-5d1c9a0e")
