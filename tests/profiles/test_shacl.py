"""Our /catalog.ttl pages pass the DCAT-AP 3.0 (SEMIC) and DCAT-AP.de 3.0 (GovData) shapes.

Checked: every page of the demo catalogue and a catalogue of datasets that use every
optional field. Warnings are allowed only where the shapes cannot know a municipality
(see EXPECTED_WARNINGS); anything else fails, so a new warning is a decision, not an accident.
"""
from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from ckan.tests import factories
from rdflib import URIRef

from ckanext.hamm import demo
from tests.profiles.conftest import config_marks, full_dataset_dict, graph
from tests.profiles.shacl import validator

pytestmark = config_marks() + [pytest.mark.ckan_config("ckanext.dcat.datasets_per_page", "5")]

HYDRA_NEXT = URIRef("http://www.w3.org/ns/hydra/core#next")
PROFILES = ["dcat-ap-3", "dcat-ap-de-3"]
EXPECTED_WARNINGS = {
    # SEMIC: the publisher is not in the EU corporate-body list (no German municipality is)
    ("dcat-ap-3", "http://purl.org/dc/terms/publisher"),
    # SEMIC: dct:spatial is a dcat-ap.de geocoding URI, not an EU country/place/GeoNames IRI
    ("dcat-ap-3", "http://purl.org/dc/terms/spatial"),
    # GovData: politicalGeocodingURI is deprecated in 3.0 but kept for 2.0 consumers
    ("dcat-ap-de-3", "http://dcat-ap.de/def/dcatde/politicalGeocodingURI"),
}


def _pages(app: Any) -> list[str]:
    pages, url = [], "/catalog.ttl"
    while url:
        response = app.get(url)
        assert response.status_code == 200
        pages.append(response.body)
        nxt = [str(o) for o in graph(response.body).objects(None, HYDRA_NEXT)]
        url = nxt[0].split("opendata.hamm.de", 1)[-1] if nxt else None
        assert len(pages) < 50
    return pages


def _check(pages: list[str]) -> dict[str, tuple[int, int]]:
    figures, kinds = {}, Counter()
    for profile in PROFILES:
        n_violations = n_warnings = 0
        for body in pages:
            findings = validator.validate(graph(body), profile)
            bad = validator.violations(findings)
            assert not bad, "\n".join(map(str, bad))
            unexpected = [f for f in validator.warnings(findings)
                          if (profile, f.path) not in EXPECTED_WARNINGS]
            assert not unexpected, "\n".join(map(str, unexpected))
            n_violations += len(bad)
            n_warnings += len(validator.warnings(findings))
            kinds.update((profile, f.path, f.message[:90]) for f in validator.warnings(findings))
        figures[profile] = (n_violations, n_warnings)
    print(f"SHACL pages={len(pages)} " + " ".join(
        f"{p}: violations={v} warnings={w}" for p, (v, w) in figures.items()))
    for (profile, path, message), count in sorted(kinds.items()):
        print(f"  {profile} {count:4}x {path}: {message}")
    return figures


def _with_handlungsfeld(data: dict[str, Any]) -> dict[str, Any]:
    """Public datasets need a Handlungsfeld; the demo content may not carry one yet."""
    data.setdefault("handlungsfeld", ["umwelt"])
    return data


def test_demo_catalogue_has_no_violations(app: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(demo, "DATASET_ENRICHERS", demo.DATASET_ENRICHERS + [_with_handlungsfeld])
    demo.seed("shacl-admin")
    pages = _pages(app)
    assert len(pages) >= 3  # 15 demo datasets, 5 per page
    _check(pages)


LICENCES = ["dl-by-de/2.0", "dl-zero-de/2.0", "cc-by/4.0", "cc-zero", "odbl", "officialWork"]


def test_all_optional_fields_catalogue_has_no_violations(app: Any) -> None:
    from ckan.tests import helpers

    org = factories.Organization(title="Umweltamt", email="umwelt@stadt.hamm.de")
    for i, licence in enumerate(LICENCES):
        data = full_dataset_dict(org["id"], name=f"alle-felder-{i}", license_id=licence)
        data["resources"].append({"url": "https://geo.hamm.de/wms/baeume", "name": "Karte",
                                  "format": "WMS", "license": ""})
        helpers.call_action("package_create", **data)
    pages = _pages(app)
    assert len(pages) == 2
    _check(pages)
