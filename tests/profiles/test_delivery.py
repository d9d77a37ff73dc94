"""A dataset without a dcat-ap.de licence stays on the portal, out of the DCAT-AP.de catalogue.

Staff see why in the dataset's quality box and in the organisation's list
"Nicht an GovData lieferbar"; once fixed, the dataset is in the next catalogue page.
"""
from __future__ import annotations

from typing import Any

import pytest
from ckan.tests import factories, helpers
from rdflib import Graph

from ckanext.dcat.profiles import DCAT, RDF
from ckanext.hamm.dataset import quality
from tests.profiles.conftest import config_marks, full_dataset_dict

pytestmark = config_marks()
CSV = {"url": "https://www.hamm.de/a.csv", "format": "CSV"}


def _catalogue(app: Any, **params: str) -> set[str]:
    body = app.get("/catalog.ttl", query_string=params).get_data(as_text=True)
    graph = Graph().parse(data=body, format="turtle")
    return {str(s).rsplit("/", 1)[-1] for s in graph.subjects(RDF.type, DCAT.Dataset)}


@pytest.fixture
def datasets() -> dict[str, Any]:
    user = factories.User()
    member = factories.User()
    org = factories.Organization(users=[{"name": user["name"], "capacity": "editor"},
                                        {"name": member["name"], "capacity": "member"}])
    made = {}
    for name, licence, resource_licence in [("mit-lizenz", "dl-by-de/2.0", ""),
                                            ("ohne-lizenz", "", ""),
                                            ("lizenz-je-ressource", "", "http://dcat-ap.de/def/licenses/cc-by/4.0")]:
        data = full_dataset_dict(org["id"], name=name, title=name.replace("-", " ").title(), license_id=licence,
                                 resources=[dict(CSV, license=resource_licence)])
        if not licence:  # only a harvested record may be public without a licence (the source named none)
            data.update(hamm_remote_id=f"rvr-{name}", hamm_source_title="Open Data Portal Metropole Ruhr")
        made[name] = helpers.call_action("package_create", **data)
    return {"org": org, "editor": user, "member": member, **made}


def test_gaps_name_what_blocks_delivery() -> None:
    ok = {"title": "T", "notes": "N", "license_id": "dl-by-de/2.0", "resources": [CSV]}
    assert quality.dcat_gaps(ok) == []
    assert [g["id"] for g in quality.dcat_gaps(dict(ok, license_id=None))] == ["license"]
    assert [g["id"] for g in quality.dcat_gaps(dict(ok, license_id="Stadt-Hamm-Sonderlizenz"))] == ["license"]
    assert [g["id"] for g in quality.dcat_gaps(dict(ok, notes=" ", resources=[{"url": "ftp://x"}]))] == [
        "description", "access_url"]
    # a licence on every distribution is enough; on only some of them it is not
    assert quality.dcat_gaps(dict(ok, license_id="", resources=[dict(CSV, license="cc-zero")])) == []
    assert quality.dcat_gaps(dict(ok, license_id="", resources=[dict(CSV, license="cc-zero"), CSV]))


def test_catalogue_leaves_out_datasets_without_licence(app: Any, datasets: dict[str, Any]) -> None:
    assert _catalogue(app) == {datasets["mit-lizenz"]["id"], datasets["lizenz-je-ressource"]["id"]}
    # on the portal it is public as before
    assert app.get("/dataset/ohne-lizenz").status_code == 200
    # a request's own filter cannot bring it back
    for fq in ("name:ohne-lizenz", "name:ohne-lizenz OR name:mit-lizenz", "x) OR (*:*", "*:*"):
        assert datasets["ohne-lizenz"]["id"] not in _catalogue(app, fq=fq), fq
    assert _catalogue(app, fq="name:mit-lizenz") == {datasets["mit-lizenz"]["id"]}


def test_fixed_dataset_comes_back(app: Any, datasets: dict[str, Any]) -> None:
    helpers.call_action("package_patch", id="ohne-lizenz", license_id="dl-zero-de/2.0")
    assert datasets["ohne-lizenz"]["id"] in _catalogue(app)


def test_quality_box_tells_editors(app: Any, datasets: dict[str, Any]) -> None:
    token = factories.APIToken(user=datasets["editor"]["name"])["token"]
    html = app.get("/dataset/ohne-lizenz", headers={"Authorization": token}).get_data(as_text=True)
    assert "Nicht an GovData lieferbar" in html
    assert f"/organization/{datasets['org']['id']}/govdata" in html
    html = app.get("/dataset/mit-lizenz", headers={"Authorization": token}).get_data(as_text=True)
    assert "Nicht an GovData lieferbar" not in html


@pytest.mark.parametrize("role, status", [("editor", 200), ("member", 403), ("anonymous", 403)])
def test_list_per_organisation_is_for_staff(app: Any, datasets: dict[str, Any], role: str, status: int) -> None:
    headers = {}
    if role != "anonymous":
        headers = {"Authorization": factories.APIToken(user=datasets[role]["name"])["token"]}
    response = app.get(f"/organization/{datasets['org']['name']}/govdata", headers=headers, status=status)
    if status == 200:
        html = response.get_data(as_text=True)
        assert "Ohne Lizenz" in html and "Mit Lizenz" not in html and "Lizenz Je Ressource" not in html
        assert "Wählen Sie eine Lizenz aus der Liste" in html


def test_list_action_answers_with_the_gaps(datasets: dict[str, Any]) -> None:
    result = helpers.call_action("hamm_dcat_undeliverable_list", {"user": datasets["editor"]["name"]},
                                 id=datasets["org"]["name"])
    assert result["count"] == 1
    assert [(d["name"], [g["id"] for g in d["gaps"]]) for d in result["results"]] == [("ohne-lizenz", ["license"])]


def test_contact_without_any_address_is_left_out_not_invented() -> None:
    """DCAT-AP.de 3.0: a vcard:Kind needs e-mail, URL or telephone; the dataset stays deliverable."""
    from tests.profiles.conftest import graph, serialise
    from tests.profiles.shacl import validator

    org = factories.Organization()
    created = helpers.call_action("package_create", **full_dataset_dict(org["id"], contact=[{"name": "Nur Name"}]))
    dataset = helpers.call_action("package_show", id=created["id"])
    g = graph(serialise(dataset))
    assert not list(g.objects(None, DCAT.contactPoint))
    assert not validator.violations(validator.validate(g, "dcat-ap-de-3"))
    assert quality.dcat_gaps(dataset) == []
