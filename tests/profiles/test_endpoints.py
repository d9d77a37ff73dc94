"""The DCAT endpoints as harvesters and browsers see them: formats, paging, visibility, roles."""
from __future__ import annotations

from typing import Any

import pytest
from ckan.tests import factories, helpers
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from tests.profiles.conftest import config_marks, full_dataset_dict

pytestmark = config_marks() + [
    pytest.mark.ckan_config("ckanext.dcat.enable_content_negotiation", "true"),
    pytest.mark.ckan_config("ckanext.dcat.datasets_per_page", "2"),
]
DCAT_DATASET = URIRef("http://www.w3.org/ns/dcat#Dataset")
HYDRA_NEXT = URIRef("http://www.w3.org/ns/hydra/core#next")
CONTENT_TYPES = {"ttl": ("text/turtle", "turtle"), "rdf": ("application/rdf+xml", "xml"),
                 "jsonld": ("application/ld+json", "json-ld")}


def _graph(response: Any, fmt: str = "ttl") -> Graph:
    return Graph().parse(data=response.body, format=CONTENT_TYPES[fmt][1])


def _titles(g: Graph) -> set[str]:
    title = URIRef("http://purl.org/dc/terms/title")
    return {str(g.value(d, title)) for d in g.subjects(RDF.type, DCAT_DATASET)}


@pytest.fixture
def catalogue() -> dict[str, Any]:
    """Three public datasets plus a private, a draft and a deleted one in one organisation."""
    member, editor, admin = factories.User(), factories.User(), factories.User()
    org = factories.Organization(users=[{"name": member["name"], "capacity": "member"},
                                        {"name": editor["name"], "capacity": "editor"},
                                        {"name": admin["name"], "capacity": "admin"}])
    public = [helpers.call_action("package_create", **full_dataset_dict(
        org["id"], name=f"oeffentlich-{i}", title=f"Öffentlich {i}")) for i in range(3)]
    private = helpers.call_action("package_create", **full_dataset_dict(
        org["id"], name="geheim", title="Geheim", private=True))
    draft = helpers.call_action("package_create", **full_dataset_dict(
        org["id"], name="entwurf", title="Entwurf", state="draft"))
    deleted = helpers.call_action("package_create", **full_dataset_dict(
        org["id"], name="geloescht", title="Gelöscht"))
    helpers.call_action("package_delete", id=deleted["id"])
    other_editor = factories.User()
    factories.Organization(users=[{"name": other_editor["name"], "capacity": "editor"}])
    return {"public": public, "private": private, "draft": draft, "deleted": deleted,
            "users": {"member": member, "editor": editor, "admin": admin,
                      "other_editor": other_editor, "sysadmin": factories.Sysadmin()}}


@pytest.fixture
def negotiating_blueprint(with_plugins: None) -> Any:
    """ckanext-dcat decides on content negotiation when its blueprints module is
    first imported; re-import it under this module's config (and back afterwards),
    so the test does not depend on which test imported it first."""
    import importlib

    import ckanext.dcat.blueprints as dcat_blueprints

    importlib.reload(dcat_blueprints)
    yield
    from ckan.common import config

    previous = config.get("ckanext.dcat.enable_content_negotiation")
    config["ckanext.dcat.enable_content_negotiation"] = "false"
    try:
        importlib.reload(dcat_blueprints)
    finally:
        config["ckanext.dcat.enable_content_negotiation"] = previous


def _all_pages(app: Any, url: str, headers: dict | None = None) -> set[str]:
    titles: set[str] = set()
    for _ in range(10):
        response = app.get(url, headers=headers or {})
        assert response.status_code == 200
        g = _graph(response)
        titles |= _titles(g)
        nxt = list(g.objects(None, HYDRA_NEXT))
        if not nxt:
            return titles
        url = str(nxt[0]).split("opendata.hamm.de", 1)[-1]
    raise AssertionError("paging did not end")


@pytest.mark.parametrize("fmt", ["ttl", "rdf", "jsonld"])
def test_catalogue_formats(app: Any, catalogue: dict, fmt: str) -> None:
    response = app.get(f"/catalog.{fmt}")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith(CONTENT_TYPES[fmt][0])
    assert len(_titles(_graph(response, fmt))) == 2  # first page


@pytest.mark.parametrize("role", [None, "member", "sysadmin"])
def test_catalogue_pages_hold_public_active_datasets_only(app: Any, catalogue: dict, role: str) -> None:
    headers = {}
    if role:
        token = factories.APIToken(user=catalogue["users"][role]["name"])["token"]
        headers = {"Authorization": token}
    assert _all_pages(app, "/catalog.ttl", headers) == {"Öffentlich 0", "Öffentlich 1", "Öffentlich 2"}


def test_modified_since(app: Any, catalogue: dict) -> None:
    assert _all_pages(app, "/catalog.ttl?modified_since=2000-01-01") == {
        "Öffentlich 0", "Öffentlich 1", "Öffentlich 2"}
    assert _all_pages(app, "/catalog.ttl?modified_since=2999-01-01") == set()
    assert app.get("/catalog.ttl?modified_since=gestern").status_code == 409


@pytest.mark.parametrize("fq", ["+state:deleted", "state:draft", "capacity:private",
                                "+state:(active OR deleted)"])
def test_visibility_filters_are_refused(app: Any, catalogue: dict, fq: str) -> None:
    response = app.get("/catalog.ttl", query_string={"fq": fq})
    assert response.status_code == 409
    assert "Gelöscht" not in response.body


def test_harmless_fq_still_works(app: Any, catalogue: dict) -> None:
    assert _all_pages(app, "/catalog.ttl?fq=name:oeffentlich-1") == {"Öffentlich 1"}


@pytest.mark.parametrize("fmt", ["ttl", "rdf", "jsonld"])
def test_public_dataset_formats(app: Any, catalogue: dict, fmt: str) -> None:
    response = app.get(f"/dataset/oeffentlich-0.{fmt}")
    assert response.status_code == 200
    assert _titles(_graph(response, fmt)) == {"Öffentlich 0"}


@pytest.mark.parametrize("which", ["private", "draft", "deleted"])
@pytest.mark.parametrize("fmt", ["ttl", "rdf", "jsonld"])
@pytest.mark.parametrize("role", [None, "other_editor"])
def test_hidden_dataset_as_rdf_is_403_or_404(app: Any, catalogue: dict, which: str, fmt: str,
                                             role: str) -> None:
    headers = {}
    if role:
        headers = {"Authorization": factories.APIToken(user=catalogue["users"][role]["name"])["token"]}
    name = catalogue[which]["name"]
    for url, extra in ((f"/dataset/{name}.{fmt}", {}),
                       (f"/dataset/{name}", {"Accept": CONTENT_TYPES[fmt][0]})):
        response = app.get(url, headers={**headers, **extra})
        if role and which == "private" and "." not in url.rsplit("/", 1)[-1]:
            # city staff read every inventory entry's page (issue 19), never its RDF
            assert response.status_code in (200, 403, 404), url
            assert not response.headers["Content-Type"].startswith(CONTENT_TYPES[fmt][0]), url
            continue
        assert response.status_code in (403, 404), url
        assert "Geheim" not in response.body and "Entwurf" not in response.body


@pytest.mark.parametrize("role", ["member", "editor", "admin", "sysadmin"])
def test_private_dataset_as_rdf_for_its_organisation(app: Any, catalogue: dict, role: str) -> None:
    token = factories.APIToken(user=catalogue["users"][role]["name"])["token"]
    response = app.get("/dataset/geheim.ttl", headers={"Authorization": token})
    assert response.status_code == 200
    assert _titles(_graph(response)) == {"Geheim"}


def test_unknown_dataset_is_404(app: Any, catalogue: dict) -> None:
    assert app.get("/dataset/gibt-es-nicht.ttl").status_code == 404
    assert app.get("/dataset/gibt-es-nicht", headers={"Accept": "text/turtle"}).status_code == 404


def test_content_negotiation(negotiating_blueprint: None, app: Any, catalogue: dict) -> None:
    response = app.get("/dataset/oeffentlich-1", headers={"Accept": "text/turtle"})
    assert response.headers["Content-Type"].startswith("text/turtle")
    assert _titles(_graph(response)) == {"Öffentlich 1"}
    home = app.get("/", headers={"Accept": "application/ld+json"})
    assert home.headers["Content-Type"].startswith("application/ld+json")
    html = app.get("/dataset/oeffentlich-1", headers={"Accept": "text/html"})
    assert html.status_code == 200 and "<html" in html.body


def test_dataset_page_links_its_rdf(app: Any, catalogue: dict) -> None:
    body = app.get("/dataset/oeffentlich-1").body
    dataset_id = catalogue["public"][1]["id"]
    for fmt, (mime, _) in CONTENT_TYPES.items():
        assert f'rel="alternate" type="{mime}"' in body
        assert f"/dataset/{dataset_id}.{'xml' if fmt == 'rdf' else fmt}" in body
