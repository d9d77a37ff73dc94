"""Controlled fields accept only their lists; errors are bilingual, name the field and the allowed values."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories, helpers

from ckanext.hamm.vocabularies import store as vocabulary

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", "hamm_search hamm scheming_datasets dcat"),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]

# controlled field -> (an invalid value, words the message must contain)
DATASET_INVALID: dict[str, tuple[Any, list[str]]] = {
    "handlungsfeld": (["umwelt", "raumfahrt"], ["Handlungsfeld", "Field of action", "raumfahrt", "mobilitaet"]),
    "zielgruppe": (["aliens"], ["Zielgruppe", "Target group", "aliens", "buergerinnen"]),
    "persona": (["superheld"], ["Persona", "superheld", "lokaljournalistin"]),
    "theme": (["http://example.org/theme/X"], ["Thema (EU)", "Theme (EU)", vocabulary.theme_uri("ENVI")]),
    "frequency": ("sometimes", ["Aktualisierung", "Update frequency", "sometimes",
                                "http://publications.europa.eu/resource/authority/frequency/ANNUAL"]),
    "license_id": ("cc-by/9.0", ["Lizenz", "Licence", '"cc-by/9.0"', "dl-by-de/2.0"]),  # cc-by is listed
}
RESOURCE_INVALID: dict[str, tuple[Any, list[str]]] = {
    "license": ("https://example.org/my-licence", ["Lizenz", "Licence",
                                                   "http://dcat-ap.de/def/licenses/dl-zero-de/2.0"]),
    "availability": ("forever", ["Verfügbarkeit", "Availability",
                                 "http://publications.europa.eu/resource/authority/planned-availability/STABLE"]),
}


@pytest.fixture
def org() -> dict[str, Any]:
    return factories.Organization()


def _valid(org: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return dict({"name": "luft", "title": "Luft", "owner_org": org["id"], "handlungsfeld": ["umwelt"],
                 "license_id": "dl-by-de/2.0"}, **extra)


def _create(data: dict[str, Any]) -> dict[str, Any]:
    return helpers.call_action("package_create", context={"ignore_auth": True,
                                                          "user": factories.Sysadmin()["name"]}, **data)


@pytest.mark.parametrize("field", sorted(DATASET_INVALID))
def test_invalid_dataset_value_names_field_and_allowed_values(org: dict[str, Any], field: str) -> None:
    value, words = DATASET_INVALID[field]
    with pytest.raises(tk.ValidationError) as caught:
        _create(_valid(org, **{field: value}))
    message = " ".join(caught.value.error_dict[field])
    for word in words:
        assert word in message, (word, message)


@pytest.mark.parametrize("field", sorted(RESOURCE_INVALID))
def test_invalid_resource_value_names_field_and_allowed_values(org: dict[str, Any], field: str) -> None:
    value, words = RESOURCE_INVALID[field]
    with pytest.raises(tk.ValidationError) as caught:
        _create(_valid(org, resources=[{"url": "https://www.hamm.de/a.csv", field: value}]))
    message = " ".join(caught.value.error_dict["resources"][0][field])
    for word in words:
        assert word in message, (word, message)


@pytest.mark.parametrize("field", sorted(DATASET_INVALID))
def test_api_answers_409_per_field(app: Any, org: dict[str, Any], field: str) -> None:
    sysadmin = factories.SysadminWithToken()
    response = app.post("/api/3/action/package_create", json=_valid(org, **{field: DATASET_INVALID[field][0]}),
                        headers={"Authorization": sysadmin["token"]}, status=409)
    error = response.json["error"]
    assert error["__type"] == "Validation Error"
    assert [k for k in error if k != "__type"] == [field]


@pytest.mark.parametrize("field", sorted(RESOURCE_INVALID))
def test_api_answers_409_for_resource_fields(app: Any, org: dict[str, Any], field: str) -> None:
    sysadmin = factories.SysadminWithToken()
    data = _valid(org, resources=[{"url": "https://www.hamm.de/a.csv", field: RESOURCE_INVALID[field][0]}])
    response = app.post("/api/3/action/package_create", json=data,
                        headers={"Authorization": sysadmin["token"]}, status=409)
    assert field in response.json["error"]["resources"][0]


def test_handlungsfeld_required_before_public(org: dict[str, Any]) -> None:
    with pytest.raises(tk.ValidationError) as caught:
        _create(_valid(org, handlungsfeld=[]))
    message = " ".join(caught.value.error_dict["handlungsfeld"])
    assert "öffentliche" in message and "public" in message and "umwelt" in message


def test_private_draft_may_lack_handlungsfeld_until_published(org: dict[str, Any]) -> None:
    draft = _create(_valid(org, handlungsfeld=[], private=True))
    assert draft["handlungsfeld"] == []
    with pytest.raises(tk.ValidationError) as caught:
        helpers.call_action("package_patch", context={"ignore_auth": True}, id=draft["id"], private=False)
    assert "handlungsfeld" in caught.value.error_dict
    published = helpers.call_action("package_patch", context={"ignore_auth": True}, id=draft["id"],
                                    private=False, handlungsfeld=["soziales"])
    assert published["handlungsfeld"] == ["soziales"] and not published["private"]


def test_unpublished_draft_may_lack_licence_and_handlungsfeld(org: dict[str, Any]) -> None:
    """CKAN's form and API clients save a draft (state=draft) before it is complete."""
    draft = _create(_valid(org, handlungsfeld=[], license_id="", state="draft"))
    assert draft["state"] == "draft" and not draft.get("license_id")
    with pytest.raises(tk.ValidationError) as caught:
        helpers.call_action("package_patch", context={"ignore_auth": True}, id=draft["id"], state="active")
    assert {"handlungsfeld", "license_id"} <= set(caught.value.error_dict)


def test_form_style_single_string_and_codes_are_accepted(org: dict[str, Any]) -> None:
    pkg = _create(_valid(org, handlungsfeld="mobilitaet", theme=["tran", "ENVI"], frequency="ANNUAL",
                         resources=[{"url": "https://www.hamm.de/a.csv", "license": "cc-by/4.0",
                                     "availability": "STABLE"}]))
    assert pkg["handlungsfeld"] == ["mobilitaet"]
    assert pkg["theme"] == [vocabulary.theme_uri("TRAN"), vocabulary.theme_uri("ENVI")]
    assert pkg["frequency"].endswith("/frequency/ANNUAL")
    assert pkg["resources"][0]["license"] == "http://dcat-ap.de/def/licenses/cc-by/4.0"
    assert pkg["resources"][0]["availability"].endswith("/planned-availability/STABLE")


def test_licence_register_is_the_local_dcat_ap_de_list(org: dict[str, Any]) -> None:
    pkg = _create(_valid(org, license_id="dl-zero-de/2.0"))
    assert pkg["license_url"] == "http://dcat-ap.de/def/licenses/dl-zero-de/2.0"
    ids = {lic["id"] for lic in helpers.call_action("license_list")}
    assert {"dl-by-de/2.0", "dl-zero-de/2.0", "cc-by/4.0", "cc-zero", "cc-by-sa/4.0", "odbl",
            "other-open", "other-closed"} <= ids
