"""Pure mapping and policy rules: no database, no HTTP."""
from __future__ import annotations

from importlib import resources

import pytest

from ckanext.hamm.demo.fake_rvr import make_dataset
from ckanext.hamm.harvesters import mapping, rdf, source_config
from ckanext.hamm.harvesters.errors import HammConfigError
from ckanext.hamm.net import policy
from ckanext.hamm.net.errors import HammContentError, HammPolicyError


@pytest.fixture(scope="module")
def rules() -> mapping.Rules:
    text = resources.files("ckanext.hamm.schemas").joinpath("rvr_mapping.yaml").read_text(encoding="utf-8")
    return mapping.load_rules(text)


CAPS = mapping.Caps()
BASE = "https://opendata.ruhr"


def test_groups_become_eu_themes_and_a_suggested_handlungsfeld(rules):
    remote = dict(make_dataset(0), groups=[{"name": "envi"}, {"name": "tran"}, {"name": "unknown"}])
    mapped = mapping.map_dataset(remote, rules, CAPS, BASE)
    assert mapped.package["theme"] == [mapping.THEME_URI.format("ENVI"), mapping.THEME_URI.format("TRAN")]
    assert mapped.suggested == {"handlungsfeld": ["mobilitaet", "umwelt"]}


def test_unmapped_groups_fall_back_to_the_default_handlungsfeld(rules):
    mapped = mapping.map_dataset(dict(make_dataset(0), groups=[{"name": "heal"}]), rules, CAPS, BASE)
    assert mapped.suggested == {"handlungsfeld": ["digitale-verwaltung"]}


@pytest.mark.parametrize("remote_id, expected", [("dl-by-de/2.0", "dl-by-de/2.0"), ("CC0-1.0", "cc-zero"),
                                                 ("dl-de-by-2.0", "dl-by-de/2.0"), ("odc-odbl", "odbl")])
def test_known_licences_map_to_our_register(rules, remote_id, expected):
    mapped = mapping.map_dataset(dict(make_dataset(1), license_id=remote_id), rules, CAPS, BASE)
    assert mapped.package["license_id"] == expected
    assert not any("Lizenz" in w for w in mapped.warnings)


def test_unknown_licence_is_flagged_never_silently_dropped(rules):
    mapped = mapping.map_dataset(dict(make_dataset(1), license_id="Stadt-Hamm-Sonderlizenz"), rules, CAPS, BASE)
    assert mapped.package["license_id"] is None
    assert any("Stadt-Hamm-Sonderlizenz" in w for w in mapped.warnings)
    assert "Stadt-Hamm-Sonderlizenz" in mapped.package["hamm_harvest_warnings"]


def test_tags_keep_umlauts_and_spaces_but_lose_forbidden_characters(rules):
    remote = dict(make_dataset(0), tags=[{"name": "Smarte Bänke"}, {"name": "Grün & Blau"}, {"name": "smarte bänke"},
                                         {"name": "x"}, {"name": "Straße/Weg"}])
    tags = [t["name"] for t in mapping.map_dataset(remote, rules, CAPS, BASE).package["tags"]]
    assert tags == ["Smarte Bänke", "Grün Blau", "Straße Weg"]


def test_formats_are_normalised(rules):
    assert mapping.map_format("csv", rules) == "CSV"
    assert mapping.map_format("application/json", rules) == "JSON"
    assert mapping.map_format(".GeoJSON", rules) == "GeoJSON"
    assert mapping.map_format("odt", rules) == "ODT"


def test_resources_are_capped_and_only_http_links_survive(rules):
    remote = make_dataset(5)
    remote["resources"] = [{"url": "javascript:alert(1)", "name": "böse"}, {"url": "file:///etc/passwd"}] + [
        {"url": f"https://opendata.ruhr/{n}.csv", "format": "csv"} for n in range(150)]
    mapped = mapping.map_dataset(remote, rules, mapping.Caps(max_resources=100), BASE)
    assert len(mapped.package["resources"]) == 98
    assert all(r["url"].startswith("https://") for r in mapped.package["resources"])
    assert any("152 Ressourcen" in w for w in mapped.warnings)
    assert any("böse" in w for w in mapped.warnings)


def test_huge_descriptions_are_capped_with_a_warning(rules):
    remote = dict(make_dataset(2), notes="ä" * 300_000)
    mapped = mapping.map_dataset(remote, rules, mapping.Caps(max_text=50_000), BASE)
    assert len(mapped.package["notes"]) == 50_000
    assert any("gekürzt" in w for w in mapped.warnings)


@pytest.mark.parametrize("value, expected", [("2020-12-31", "2020-12-31"), ("31.12.2020", "2020-12-31"),
                                             ("2024-03-01T08:00:00", "2024-03-01T08:00:00"),
                                             ("2024-03-01T08:00:00Z", "2024-03-01T08:00:00"),
                                             ("2018-05", ""), ("R/P1D", ""), ("gestern", "")])
def test_dates_are_iso_8601_or_dropped_with_a_warning(value, expected):
    warnings: list[str] = []
    assert mapping.normalise_date(value, "Datum", warnings) == expected
    assert bool(warnings) == (expected == "")


def test_provenance_is_part_of_the_mapped_dataset(rules):
    remote = make_dataset(3)
    package = mapping.map_dataset(remote, rules, CAPS, BASE).package
    assert package["hamm_source_title"] == "Open Data Portal Metropole Ruhr"
    assert package["hamm_source_url"] == f"{BASE}/dataset/{remote['name']}"
    assert package["hamm_remote_id"] == remote["id"]
    assert package["hamm_remote_modified"] == remote["metadata_modified"]


def test_fingerprint_changes_with_the_record_and_with_the_rules(rules):
    remote = make_dataset(4)
    first = mapping.fingerprint(remote, rules)
    assert mapping.fingerprint(dict(remote), rules) == first
    assert mapping.fingerprint(dict(remote, title="neu"), rules) != first
    other_rules = mapping.load_rules("themes: {envi: ENVI}\n")
    assert mapping.fingerprint(remote, other_rules) != first


def test_loop_guard_recognises_datasets_that_came_from_hamm():
    prefixes = ["https://opendata.hamm.de/dataset/"]
    assert mapping.originates_here({"url": "https://opendata.hamm.de/dataset/baeume"}, prefixes)
    assert mapping.originates_here({"extras": [{"key": "identifier",
                                                "value": "https://opendata.hamm.de/dataset/x"}]}, prefixes)
    assert not mapping.originates_here(make_dataset(1), prefixes)


def test_staff_edits_win_over_suggestions():
    staff = ("handlungsfeld", "zielgruppe")
    write, remember = mapping.merge_staff_fields({"handlungsfeld": ["umwelt"]}, {"handlungsfeld": ["umwelt"]},
                                                 {"handlungsfeld": ["mobilitaet"]}, staff)
    assert write == {"handlungsfeld": ["mobilitaet"]} and remember == {"handlungsfeld": ["mobilitaet"]}
    write, remember = mapping.merge_staff_fields({"handlungsfeld": ["soziales"]}, {"handlungsfeld": ["umwelt"]},
                                                 {"handlungsfeld": ["mobilitaet"]}, staff)
    assert write == {"handlungsfeld": ["soziales"]} and remember == {"handlungsfeld": ["umwelt"]}


def test_a_confirmed_suggestion_is_staff_owned_and_no_longer_pending():
    staff = ("handlungsfeld", "zielgruppe")
    written = {"handlungsfeld": ["umwelt"]}
    assert mapping.is_pending_suggestion(["umwelt"], written, "handlungsfeld")
    assert not mapping.is_pending_suggestion(["soziales"], written, "handlungsfeld")  # staff chose another
    assert not mapping.is_pending_suggestion(["umwelt"], written, "handlungsfeld", confirmed=["handlungsfeld"])
    assert not mapping.is_pending_suggestion(["x"], {}, "zielgruppe")  # never suggested
    write, remember = mapping.merge_staff_fields({"handlungsfeld": ["umwelt"]}, written,
                                                 {"handlungsfeld": ["mobilitaet"]}, staff, confirmed=["handlungsfeld"])
    assert write == {"handlungsfeld": ["umwelt"]} and remember == {"handlungsfeld": ["umwelt"]}


def test_names_keep_the_remote_slug_or_transliterate_the_title():
    assert mapping.ideal_name({"name": "hamm-baeume"}, "x") == "hamm-baeume"
    assert mapping.ideal_name({"name": "Bad Name!"}, "Straßenbäume in Hamm") == "strassenbaeume-in-hamm"


# -- URL policy (rows 3 and 4) -------------------------------------------------------
STRICT = policy.FetchPolicy()


def resolve_to(*addresses):
    return lambda host, port: list(addresses)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "/etc/passwd", "ftp://opendata.ruhr/x",
                                 "http://opendata.ruhr/", "https://user:pw@opendata.ruhr/",
                                 "https://evil.example.com/", "https://opendata.ruhr.evil.com/"])
def test_policy_refuses_non_https_foreign_and_credential_urls(url):
    with pytest.raises(HammPolicyError):
        policy.check_url(url, STRICT, resolve_to("93.184.216.34"))


@pytest.mark.parametrize("address", ["10.0.0.1", "192.168.1.1", "172.16.0.1", "127.0.0.1", "169.254.169.254",
                                     "::1", "fd00:ec2::254", "fe80::1", "0.0.0.0", "::ffff:127.0.0.1"])
def test_policy_refuses_internal_addresses(address):
    with pytest.raises(HammPolicyError):
        policy.check_url("https://bochum.opendata.ruhr/api", STRICT, resolve_to(address))


def test_policy_allows_subdomains_and_loopback_only_when_asked():
    assert policy.check_url("https://bochum.opendata.ruhr/x", STRICT, resolve_to("93.184.216.34"))
    testing = policy.FetchPolicy(allowed_hosts=("127.0.0.1",), allow_http=True, allow_loopback=True)
    assert policy.check_url("http://127.0.0.1:8000/x", testing, resolve_to("127.0.0.1"))
    with pytest.raises(HammPolicyError):
        policy.check_url("http://127.0.0.1:8000/x", testing, resolve_to("169.254.169.254"))


# -- source configuration -------------------------------------------------------------
def test_source_config_defaults_and_validation():
    assert source_config.parse("").organizations == ("hamm",)
    parsed = source_config.parse('{"organizations": ["hamm", "rvr"], "shrink_threshold": 0.5, "mode": "dcat"}')
    assert parsed.shrink_threshold == 0.5 and parsed.mode == "dcat"


@pytest.mark.parametrize("text, word", [('{"api_key": "x"}', "Zugangsdaten"), ('{"Authorization": "x"}', "Zugangsdaten"),
                                        ('{"page_size": 0}', "page_size"), ('{"mode": "csw"}', "mode"),
                                        ('{"organizations": ["Hamm OR *"]}', "organizations"),
                                        ('{"remote_orgs": "create"}', "Unbekannte"), ("[1]", "JSON-Objekt"),
                                        ("{", "JSON")])
def test_source_config_errors_are_readable(text, word):
    with pytest.raises(HammConfigError) as error:
        source_config.parse(text)
    assert word in str(error.value)
    with pytest.raises(ValueError):
        source_config.validate(text)


# -- RDF safety (rows 1, 2, 6) -----------------------------------------------------------
def test_doctype_and_entities_are_refused_before_parsing():
    from ckanext.hamm.demo.fake_rvr import LAUGHS, XXE

    for text in (XXE, LAUGHS):
        with pytest.raises(HammContentError):
            rdf.check_xml(text)


def test_remote_jsonld_contexts_are_refused():
    for doc in ({"@context": "http://x/ctx"}, {"@graph": [{"@context": ["http://x/ctx", {}]}]}, {"@context": {"@import": "x"}}):
        with pytest.raises(HammContentError):
            rdf.check_jsonld(doc)
    rdf.check_jsonld({"@context": {"dct": "http://purl.org/dc/terms/"}, "@id": "urn:x"})


def test_a_well_formed_record_has_no_shape_problems():
    assert mapping.shape_problems(make_dataset(1)) == []
    assert mapping.shape_problems(dict(make_dataset(1), notes=None, url=None, extras=None)) == []


@pytest.mark.parametrize("record, words", [
    ("text", "record: not an object"), ({}, "id: missing"),
    (dict(make_dataset(1), name="", title=" "), "title: empty, and no name either"),
])
def test_shape_problems_name_the_field(record, words):
    assert any(words in problem for problem in mapping.shape_problems(record))
