"""Every field of the Hamm schema survives create → show → update → show."""
from __future__ import annotations

from typing import Any

import pytest
from ckan.tests import factories, helpers

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", "hamm_search hamm scheming_datasets dcat"),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]

THEME = "http://publications.europa.eu/resource/authority/data-theme/"
FREQ = "http://publications.europa.eu/resource/authority/frequency/"
AVAIL = "http://publications.europa.eu/resource/authority/planned-availability/"
HAMM = "http://dcat-ap.de/def/politicalGeocoding/municipalityKey/05915000"

# field: (value at create, value at update)
DATASET_FIELDS: dict[str, tuple[Any, Any]] = {
    "title": ("Baumkataster", "Baumkataster der Stadt Hamm"),
    "notes": ("Alle Bäume.", "Alle städtischen Bäume."),
    "license_id": ("dl-by-de/2.0", "cc-by/4.0"),
    "handlungsfeld": (["umwelt"], ["umwelt", "mobilitaet"]),
    "zielgruppe": (["buergerinnen"], ["wissenschaft", "presse-medien"]),
    "persona": (["klimaaktive-buergerin"], ["lokaljournalistin"]),
    "theme": ([THEME + "ENVI"], [THEME + "ENVI", THEME + "REGI"]),
    "contact": ([{"name": "Umweltamt", "email": "umwelt@stadt.hamm.de"}],
                [{"name": "Grünflächenamt", "email": "gruen@stadt.hamm.de",
                  "url": "https://www.hamm.de/gruen"}]),
    "publisher": ([{"name": "Stadt Hamm", "type": "http://purl.org/adms/publishertype/LocalAuthority"}],
                  [{"name": "Stadt Hamm", "url": "https://www.hamm.de/",
                    "uri": "https://www.hamm.de/#stadt"}]),
    "temporal_coverage": ([{"start": "2020-01-01", "end": "2024-12-31"}],
                          [{"start": "2021-01-01"}]),
    "spatial_coverage": ([{"uri": HAMM, "text": "Hamm"}],
                         [{"uri": HAMM, "text": "Stadt Hamm"}]),
    "frequency": (FREQ + "ANNUAL", FREQ + "MONTHLY"),
    "issued": ("2024-03-01", "2024-03-02"),
    "modified": ("2025-01-15", "2025-02-15"),
    "identifier": ("https://opendata.hamm.de/baumkataster", "urn:hamm:baumkataster"),
    "url": ("https://www.hamm.de/baeume", "https://www.hamm.de/stadtgruen/baeume"),
    "documentation": (["https://www.hamm.de/doku.pdf"], ["https://www.hamm.de/doku-2.pdf"]),
}
RESOURCE_FIELDS: dict[str, tuple[Any, Any]] = {
    "url": ("https://www.hamm.de/b.csv", "https://www.hamm.de/b2.csv"),
    "name": ("Baumkataster", "Baumkataster 2025"),
    "description": ("CSV", "CSV, UTF-8"),
    "format": ("CSV", "XLSX"),
    "mimetype": ("text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "license": ("http://dcat-ap.de/def/licenses/dl-by-de/2.0", "http://dcat-ap.de/def/licenses/cc-zero"),
    "availability": (AVAIL + "STABLE", AVAIL + "AVAILABLE"),
    "size": (1024, 2048),
    "issued": ("2024-03-01", "2024-04-01"),
    "modified": ("2025-01-15", "2025-05-15"),
}


def _base(org: dict[str, Any]) -> dict[str, Any]:
    return {"name": "baumkataster", "owner_org": org["id"]}


def _dataset(org: dict[str, Any], which: int) -> dict[str, Any]:
    data = _base(org)
    data.update({k: v[which] for k, v in DATASET_FIELDS.items()})
    data["resources"] = [{k: v[which] for k, v in RESOURCE_FIELDS.items()}]
    return data


def _same(field: str, expected: Any, got: Any) -> bool:
    """Equal, ignoring subfields that came back empty."""
    if isinstance(got, list) and got and isinstance(got[0], dict):
        got = [{k: v for k, v in item.items() if v not in ("", None)} for item in got]
    return expected == got


@pytest.fixture
def created() -> dict[str, Any]:
    sysadmin = factories.Sysadmin()
    org = factories.Organization()
    context = {"user": sysadmin["name"], "ignore_auth": True}
    pkg = helpers.call_action("package_create", context=dict(context), **_dataset(org, 0))
    return {"context": context, "org": org, "pkg": pkg}


@pytest.mark.parametrize("field", sorted(DATASET_FIELDS))
def test_dataset_field_round_trips(created: dict[str, Any], field: str) -> None:
    shown = helpers.call_action("package_show", id=created["pkg"]["id"])
    assert _same(field, DATASET_FIELDS[field][0], shown[field]), shown[field]
    update = _dataset(created["org"], 1)
    update["id"] = shown["id"]
    helpers.call_action("package_update", context=dict(created["context"]), **update)
    shown = helpers.call_action("package_show", id=created["pkg"]["id"])
    assert _same(field, DATASET_FIELDS[field][1], shown[field]), shown[field]


@pytest.mark.parametrize("field", sorted(RESOURCE_FIELDS))
def test_resource_field_round_trips(created: dict[str, Any], field: str) -> None:
    shown = helpers.call_action("package_show", id=created["pkg"]["id"])
    assert _same(field, RESOURCE_FIELDS[field][0], shown["resources"][0][field])
    update = _dataset(created["org"], 1)
    update["id"] = shown["id"]
    helpers.call_action("package_update", context=dict(created["context"]), **update)
    shown = helpers.call_action("package_show", id=created["pkg"]["id"])
    assert _same(field, RESOURCE_FIELDS[field][1], shown["resources"][0][field])
