"""A new dataset gets contact, publisher and spatial coverage when staff leave them empty."""
from __future__ import annotations

from typing import Any

import pytest
from ckan.tests import factories, helpers

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", "hamm_search hamm scheming_datasets dcat"),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


def _create(**data: Any) -> dict[str, Any]:
    return helpers.call_action("package_create", context={"ignore_auth": True,
                                                          "user": factories.Sysadmin()["name"]},
                               **dict({"name": "kuehle-orte", "handlungsfeld": ["umwelt"],
                                        "license_id": "dl-by-de/2.0"}, **data))


def test_empty_fields_come_from_the_organisation_and_hamm() -> None:
    org = factories.Organization(title="Umweltamt", name="umweltamt",
                                 extras=[{"key": "email", "value": "umweltamt@stadt.hamm.de"}])
    pkg = _create(owner_org=org["id"], contact=[{"name": "", "email": ""}])
    assert pkg["contact"] == [{"name": "Umweltamt", "email": "umweltamt@stadt.hamm.de",
                               "url": "http://test.ckan.net/organization/umweltamt"}]
    assert pkg["publisher"][0]["name"] == "Stadt Hamm"
    assert pkg["publisher"][0]["type"] == "http://purl.org/adms/publishertype/LocalAuthority"
    assert pkg["spatial_coverage"] == [{
        "uri": "http://dcat-ap.de/def/politicalGeocoding/municipalityKey/05915000", "text": "Hamm"}]


@pytest.mark.ckan_config("ckanext.hamm.dcat.municipality_key", "05913000")
@pytest.mark.ckan_config("ckanext.hamm.dcat.municipality_name", "Dortmund")
@pytest.mark.ckan_config("ckanext.hamm.dcat.publisher_name", "Stadt Dortmund")
def test_the_city_comes_from_configuration_only() -> None:
    """Another city runs the extension by setting its AGS and name; nothing says Hamm then."""
    pkg = _create(owner_org=factories.Organization()["id"])
    assert pkg["spatial_coverage"] == [{
        "uri": "http://dcat-ap.de/def/politicalGeocoding/municipalityKey/05913000", "text": "Dortmund"}]
    assert pkg["publisher"][0]["name"] == "Stadt Dortmund"


def test_given_values_are_kept() -> None:
    org = factories.Organization()
    pkg = _create(owner_org=org["id"], contact=[{"name": "Frau Muster", "email": "muster@stadt.hamm.de"}],
                  spatial_coverage=[{"text": "Bockum-Hövel"}])
    assert pkg["contact"] == [{"name": "Frau Muster", "email": "muster@stadt.hamm.de"}]
    assert pkg["spatial_coverage"] == [{"text": "Bockum-Hövel"}]


def test_harvested_records_get_no_hamm_defaults() -> None:
    org = factories.Organization()
    pkg = _create(owner_org=org["id"], hamm_remote_id="rvr-123")
    assert not pkg.get("spatial_coverage") and not pkg.get("contact")
