"""hamm_search through CKAN's real action layer, web views and CLI (no Solr anywhere)."""
from __future__ import annotations

import ckan.lib.search as search
import ckan.logic as logic
import ckan.plugins.toolkit as tk
import pytest
import sqlalchemy as sa
from ckan import model
from ckan.tests import factories, helpers

from ckanext.hamm.search import table


@pytest.fixture
def org():
    return factories.Organization()


pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", "hamm_search"),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


def _search(**params):
    return helpers.call_action("package_search", **params)


def _index_rows(dataset_id: str) -> int:
    return model.Session.execute(
        sa.text(f"SELECT count(*) FROM {table.TABLE} WHERE id = :id"), {"id": dataset_id}
    ).scalar()


def test_create_search_show_update_delete_round_trip():
    org = factories.Organization()
    dataset = helpers.call_action("package_create", name="datensatz-1", title="Baumkataster",
                                  notes="Alle Stadtbäume", owner_org=org["id"])
    assert [d["name"] for d in _search(q="Baumkataster")["results"]] == ["datensatz-1"]
    assert helpers.call_action("package_show", id="datensatz-1")["title"] == "Baumkataster"

    helpers.call_action("package_patch", id=dataset["id"], title="Stadtbäume")
    # the old title as a phrase: the bare word would still find the part "Baum" of "Stadtbäume"
    assert _search(q='"Baumkataster"')["count"] == 0
    assert [d["title"] for d in _search(q="Stadtbäume")["results"]] == ["Stadtbäume"]

    helpers.call_action("package_delete", id=dataset["id"])
    assert _search(q="Stadtbäume")["count"] == 0
    assert _search(q="Stadtbäume", include_deleted=True)["count"] in (0, 1)


def test_failed_create_leaves_no_index_row():
    org = factories.Organization()
    with pytest.raises(tk.ValidationError):
        helpers.call_action("package_create", name="x" * 200, owner_org=org["id"])
    assert model.Session.execute(sa.text(f"SELECT count(*) FROM {table.TABLE}")).scalar() == 0


def test_index_row_rolls_back_with_its_transaction():
    org = factories.Organization()
    dataset = factories.Dataset(owner_org=org["id"])
    model.Session.commit()
    helpers.call_action("package_patch", id=dataset["id"], title="Geändert")
    model.Session.rollback()  # patch already committed: the index keeps it
    assert _search(q="Geändert")["count"] == 1

    pkg = model.Package.get(dataset["id"])
    pkg.title = "Nie gespeichert"
    logic.index_update_package({"ignore_auth": True}, dataset["id"], defer_commit=True)
    model.Session.rollback()
    assert _search(q="gespeichert")["count"] == 0
    assert _search(q="Geändert")["count"] == 1


def test_private_dataset_hidden_from_anonymous_but_found_by_its_editor():
    editor = factories.User()
    org = factories.Organization(users=[{"name": editor["name"], "capacity": "editor"}])
    other_org_editor = factories.User()
    factories.Organization(users=[{"name": other_org_editor["name"], "capacity": "editor"}])
    factories.Dataset(name="geheim", owner_org=org["id"], private=True)
    factories.Dataset(name="offen", owner_org=org["id"])

    def names(user):
        context = {"user": user["name"] if user else "", "ignore_auth": False}
        result = helpers.call_action("package_search", context=context, include_private=True)
        return sorted(d["name"] for d in result["results"])

    assert names(None) == ["offen"]
    assert names(other_org_editor) == ["offen"]
    assert names(editor) == ["geheim", "offen"]


def test_drafts_and_deleted_need_explicit_request():
    org = factories.Organization()
    factories.Dataset(name="entwurf", owner_org=org["id"], state="draft")
    gone = factories.Dataset(name="weg", owner_org=org["id"])
    helpers.call_action("package_delete", id=gone["id"])
    context = {"ignore_auth": True}
    assert helpers.call_action("package_search", context=context)["count"] == 0
    assert helpers.call_action("package_search", context=context, include_drafts=True)["count"] == 1


def test_facet_counts_equal_direct_counts():
    orgs = [factories.Organization(name=f"amt-{i}") for i in range(3)]
    formats = ["CSV", "JSON", "CSV", "PDF", "CSV"]
    for i, fmt in enumerate(formats):
        factories.Dataset(owner_org=orgs[i % 3]["id"], tags=[{"name": "umwelt"}, {"name": f"t{i % 2}"}],
                          resources=[{"url": "https://example.org/a", "format": fmt}])
    result = _search(**{"facet.field": '["organization", "tags", "res_format"]', "rows": 0})
    facets = result["facets"]
    direct_orgs: dict[str, int] = {}
    direct_formats: dict[str, int] = {}
    for pkg in model.Session.query(model.Package).filter_by(state="active"):
        org = model.Group.get(pkg.owner_org)
        direct_orgs[org.name] = direct_orgs.get(org.name, 0) + 1
        for fmt in {r.format for r in pkg.resources}:
            direct_formats[fmt] = direct_formats.get(fmt, 0) + 1
    assert facets["organization"] == direct_orgs
    assert facets["res_format"] == direct_formats
    assert facets["tags"] == {"umwelt": 5, "t0": 3, "t1": 2}
    items = result["search_facets"]["tags"]["items"]
    assert items[0] == {"name": "umwelt", "display_name": "umwelt", "count": 5}


def test_fq_sort_and_paging():
    org = factories.Organization(name="umweltamt")
    other = factories.Organization(name="stadtplanungsamt")
    for i, title in enumerate(["Cäsium", "Apfel", "Birne", "Zebra"]):
        factories.Dataset(name=f"ds-{i}", title=title, owner_org=(org if i % 2 else other)["id"])
    asc = _search(sort="title_string asc")["results"]
    assert [d["title"] for d in asc] == ["Apfel", "Birne", "Cäsium", "Zebra"]
    page2 = _search(sort="title_string asc", rows=2, start=2)["results"]
    assert [d["title"] for d in page2] == ["Cäsium", "Zebra"]
    only_org = _search(fq="organization:umweltamt", sort="name desc")["results"]
    assert [d["name"] for d in only_org] == ["ds-3", "ds-1"]
    not_org = _search(fq="-organization:umweltamt", sort="name asc")["results"]
    assert [d["name"] for d in not_org] == ["ds-0", "ds-2"]


def test_metadata_modified_range_with_date_math(org):
    factories.Dataset(name="neu", owner_org=org["id"])
    assert _search(fq="metadata_modified:[NOW-1DAY TO *]")["count"] == 1
    assert _search(fq="metadata_modified:[* TO NOW-1DAY]")["count"] == 0


def test_unsupported_query_is_a_clear_409_not_a_500(app):
    response = app.get("/api/3/action/package_search", query_string={"q": "title:(baum"})
    assert response.status_code in (400, 409)
    assert "parenthesis" in str(response.json["error"])


def test_rebuild_restores_a_cleared_index(cli, org):
    from ckan.cli.cli import ckan as ckan_cli

    for i in range(3):
        factories.Dataset(name=f"ds-{i}", owner_org=org["id"])
    search.clear_all()
    assert _search()["count"] == 0
    result = cli.invoke(ckan_cli, ["search-index", "rebuild"])
    assert result.exit_code == 0, result.output
    assert _search()["count"] == 3


def test_index_table_is_recreated_when_a_reset_dropped_it(org):
    model.Session.execute(sa.text(f"DROP TABLE {table.TABLE}"))
    model.Session.commit()
    factories.Dataset(name="nach-dem-reset", owner_org=org["id"])
    assert [d["name"] for d in _search()["results"]] == ["nach-dem-reset"]


def test_organization_page_counts_its_datasets(app):
    org = factories.Organization(name="umweltamt", title="Umweltamt")
    for _ in range(2):
        factories.Dataset(owner_org=org["id"])
    factories.Dataset(owner_org=factories.Organization()["id"])
    listed = helpers.call_action("organization_list", all_fields=True)
    counts = {o["name"]: o["package_count"] for o in listed}
    assert counts["umweltamt"] == 2
    page = app.get("/organization/umweltamt")
    assert page.status_code == 200
    assert "2 Datensätze" in page.body or "2 datasets" in page.body


def test_dataset_list_page_renders_without_solr(app, org):
    factories.Dataset(title="Luftqualität", owner_org=org["id"])
    page = app.get("/dataset/?q=Luftqualität")
    assert page.status_code == 200
    assert "Luftqualität" in page.body


def test_cached_facets_follow_every_committed_write(org):
    def tags():
        return helpers.call_action("package_search", **{"facet.field": '["tags"]', "rows": 0})["facets"]["tags"]

    factories.Dataset(owner_org=org["id"], tags=[{"name": "umwelt"}])
    assert tags() == {"umwelt": 1}
    assert tags() == {"umwelt": 1}  # served from the cache
    second = factories.Dataset(owner_org=org["id"], tags=[{"name": "umwelt"}])
    assert tags() == {"umwelt": 2}
    helpers.call_action("package_delete", id=second["id"])
    assert tags() == {"umwelt": 1}
    search.clear_all()
    assert tags() == {}


def test_own_uncommitted_index_writes_bypass_the_cache(org):
    dataset = factories.Dataset(owner_org=org["id"], tags=[{"name": "alt"}])
    assert _search(**{"facet.field": '["tags"]'})["facets"]["tags"] == {"alt": 1}
    logic.index_update_package({"ignore_auth": True}, dataset["id"], defer_commit=False)
    model.Session.execute(sa.text(f"UPDATE {table.TABLE} SET facets = ARRAY['tags' || chr(31) || 'neu']"))
    assert _search(**{"facet.field": '["tags"]'})["facets"]["tags"] == {"neu": 1}
    model.Session.rollback()
    assert _search(**{"facet.field": '["tags"]'})["facets"]["tags"] == {"alt": 1}
