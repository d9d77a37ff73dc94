"""Round trip: a real dataset serialised by ``euro_dcat_ap_3 hamm_dcat_ap_de`` and parsed back
by the same stack restores every field of the data-model contract (one test per field)."""
from __future__ import annotations

from typing import Any, Callable

import pytest
from ckan.tests import helpers

from tests.profiles.conftest import config_marks, create_full_dataset, parse, serialise

pytestmark = config_marks()


def _round_trip(fmt: str = "ttl") -> tuple[dict[str, Any], dict[str, Any]]:
    created = create_full_dataset()
    shown = helpers.call_action("package_show", id=created["id"])
    [parsed] = parse(serialise(shown, fmt=fmt), fmt=fmt)
    return shown, parsed


def _same(key: str) -> Callable[[dict, dict], None]:
    def check(shown: dict, parsed: dict) -> None:
        assert parsed.get(key) == shown[key], key
    return check


def _tags(shown: dict, parsed: dict) -> None:
    # the Handlungsfeld/Zielgruppe keyword copies must not turn into tags
    assert sorted(t["name"] for t in parsed["tags"]) == sorted(t["name"] for t in shown["tags"])


def _subfields(key: str, *names: str) -> Callable[[dict, dict], None]:
    def check(shown: dict, parsed: dict) -> None:
        got = [{n: item.get(n) for n in names} for item in parsed[key]]
        assert got == [{n: item.get(n) for n in names} for item in shown[key]]
    return check


def _date(key: str) -> Callable[[dict, dict], None]:
    def check(shown: dict, parsed: dict) -> None:
        assert parsed[key][:10] == shown[key][:10]
    return check


DATASET_FIELDS: dict[str, Callable[[dict, dict], None]] = {
    "title": _same("title"),
    "notes": _same("notes"),
    "tags": _tags,
    "license_id": _same("license_id"),
    "handlungsfeld": _same("handlungsfeld"),
    "zielgruppe": _same("zielgruppe"),
    "theme": _same("theme"),
    "contact": _subfields("contact", "name", "email", "url"),
    "publisher": _subfields("publisher", "name", "email", "url", "type"),
    "temporal_coverage": _subfields("temporal_coverage", "start", "end"),
    "spatial_coverage": _subfields("spatial_coverage", "uri", "text"),
    "frequency": _same("frequency"),
    "issued": _date("issued"),
    "modified": _date("modified"),
    "identifier": _same("identifier"),
    "url": _same("url"),
    "documentation": _same("documentation"),
}


@pytest.mark.parametrize("field", DATASET_FIELDS)
def test_dataset_field_round_trip(field: str) -> None:
    shown, parsed = _round_trip()
    DATASET_FIELDS[field](shown, parsed)


def test_persona_round_trip() -> None:
    shown, parsed = _round_trip()
    if not shown.get("persona"):
        pytest.skip("the city has no persona vocabulary yet")
    assert parsed["persona"] == shown["persona"]


RESOURCE_FIELDS = ["url", "name", "description", "format", "mimetype", "license",
                   "availability", "size", "issued", "modified"]


@pytest.mark.parametrize("field", RESOURCE_FIELDS)
def test_resource_field_round_trip(field: str) -> None:
    shown, parsed = _round_trip()
    [resource] = parsed["resources"]
    expected = shown["resources"][0][field]
    if field in ("issued", "modified"):
        assert resource[field][:10] == expected[:10]
    else:
        assert resource[field] == expected


@pytest.mark.parametrize("fmt", ["rdf", "jsonld"])
def test_other_serialisations_round_trip(fmt: str) -> None:
    shown, parsed = _round_trip(fmt)
    assert parsed["handlungsfeld"] == shown["handlungsfeld"]
    assert parsed["resources"][0]["license"] == shown["resources"][0]["license"]
