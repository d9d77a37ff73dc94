"""Parity leftovers from running CKAN's own search tests against ``hamm_search`` (issue 16).

``hamm_search`` alone, without ckanext-harvest; ``search-index rebuild
--keep-orphans``; ``field : value`` with spaces; local parameters ``{!…}``.
"""
from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
import sqlalchemy as sa
from ckan import model
from ckan.cli.cli import ckan as ckan_cli
from ckan.lib.search.common import SearchError
from ckan.tests import factories, helpers

from ckanext.hamm.search import localparams, lucene

from .commands import REPO, indexed_names, run_ckan

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", "hamm_search"),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


def test_hamm_search_alone_never_loads_harvest_and_purges(tmp_path):
    """With harvest off its tables are absent; once its models were mapped, every purge queried them."""
    ini = tmp_path / "ckan.ini"
    ini.write_text(f"[app:main]\nuse = config:{REPO / 'test.ini'}\nckan.plugins = hamm_search\n")
    script = textwrap.dedent(f"""
        import sys
        from ckan.cli import load_config
        from ckan.config.middleware import make_app
        app = make_app(load_config({str(ini)!r}))
        from ckan.tests import factories, helpers
        with app._wsgi_app.app_context():
            org = factories.Organization()
            dataset = factories.Dataset(owner_org=org["id"])
            helpers.call_action("dataset_purge", id=dataset["id"])
        assert "ckanext.harvest.model" not in sys.modules, "harvest was imported"
        print("purged")
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "purged" in result.stdout


def test_rebuild_keep_orphans_keeps_them_and_check_counts_missing(cli):
    org = factories.Organization()
    for name in ("eins", "zwei"):
        factories.Dataset(owner_org=org["id"], name=name)
    model.Session.execute(sa.text("DELETE FROM package_tag; DELETE FROM resource; DELETE FROM member; "
                                  "DELETE FROM package WHERE name = 'zwei'"))
    model.Session.commit()
    result = cli.invoke(ckan_cli, ["search-index", "rebuild", "-q", "--keep-orphans"])
    assert result.exit_code == 0, result.output
    assert indexed_names() == {"eins", "zwei"}
    result = cli.invoke(ckan_cli, ["search-index", "list-orphans"])
    assert "Found 1 orphaned package(s)." in result.output
    factories.Dataset(owner_org=org["id"], name="drei")
    cli.invoke(ckan_cli, ["search-index", "clear", "drei"])
    result = cli.invoke(ckan_cli, ["search-index", "check"])
    assert "Packages not indexed = 1 out of 2" in result.output


def test_clear_one_dataset_from_the_command_line_lasts(tmp_path):
    """``ckan search-index clear <name>`` removes that dataset from the index, as with Solr.

    The single-dataset delete rides the caller's transaction; the command never commits,
    so the row came back when the process ended.
    """
    org = factories.Organization()
    for name in ("eins", "zwei"):
        factories.Dataset(owner_org=org["id"], name=name)
    assert indexed_names() == {"eins", "zwei"}
    result = run_ckan(tmp_path, "search-index", "clear", "zwei")
    assert result.returncode == 0, result.stderr[-3000:]
    assert indexed_names() == {"eins"}
    result = run_ckan(tmp_path, "search-index", "check")
    assert "Packages not indexed = 1 out of 2" in result.stdout + result.stderr


@pytest.mark.parametrize("text", ["_query_store : true", "_query_store: true", "_query_store :true"])
def test_spaces_around_the_colon_still_name_a_field(text):
    assert lucene.parse(text) == lucene.Term("_query_store", "true")


def test_a_word_before_a_colon_elsewhere_stays_a_word():
    assert lucene.parse("baum kataster") == lucene.Bool((("must", lucene.Term(None, "baum")),
                                                        ("must", lucene.Term(None, "kataster"))))


@pytest.fixture
def two():
    org = factories.Organization()
    factories.Dataset(owner_org=org["id"], name="baeume", title="Baumkataster", notes="Stadtbäume")
    factories.Dataset(owner_org=org["id"], name="strassen", title="Straßenverzeichnis")


@pytest.mark.ckan_config("ckan.search.solr_allowed_query_parsers", "lucene dismax edismax knn")
@pytest.mark.parametrize("q, expected", [
    ("{!lucene}name:baeume", ["baeume"]),
    ("{!lucene q.op=OR}name:baeume name:strassen", ["baeume", "strassen"]),
    ("{!dismax}Baumkataster", ["baeume"]),
    ("{!edismax qf=title}Straßen", ["strassen"]),
    ("{!type=lucene v='name:strassen'}", ["strassen"]),
])
def test_allowed_local_params_work(two, q, expected):
    result = helpers.call_action("package_search", q=q, sort="name asc")
    assert [d["name"] for d in result["results"]] == expected


@pytest.mark.ckan_config("ckan.search.solr_allowed_query_parsers", "knn")
def test_other_allowed_parsers_answer_a_clear_409(two, app):
    response = app.get("/api/3/action/package_search", query_string={"q": "{!knn f=vector topK=3}[1,2]"},
                       status=409)
    assert "knn" in response.get_data(as_text=True)
    assert "lokalen Parametern" in response.get_data(as_text=True)


def test_local_params_not_allowed_by_ckan_stay_refused(two, app):
    response = app.get("/api/3/action/package_search", query_string={"q": "{!lucene}name:baeume"})
    assert response.status_code in (400, 409) and "Local parameters are not supported" in response.get_data(
        as_text=True)


def test_unreadable_local_params_are_refused():
    with pytest.raises(SearchError):
        localparams.split("{!lucene v='unclosed}x")


def _set_modified(name: str, value: str) -> None:
    model.Session.execute(sa.text("UPDATE package SET metadata_modified = :m WHERE name = :n"),
                          {"m": value, "n": name})
    model.Session.commit()
    model.Session.remove()
    from ckan.lib import search

    search.rebuild(package_id=name)
    model.Session.commit()


def test_dates_come_back_with_milliseconds_as_from_solr(two):
    _set_modified("baeume", "2024-02-01 10:00:00.123456")
    _set_modified("strassen", "2024-02-01 10:00:00")
    result = helpers.call_action("package_search", fl="name,metadata_modified", sort="name asc")
    assert [(d["name"], d["metadata_modified"]) for d in result["results"]] == [
        ("baeume", "2024-02-01T10:00:00.123Z"), ("strassen", "2024-02-01T10:00:00Z")]


def test_the_connection_decodes_dates_to_datetimes_like_pysolr(two):
    import datetime as dt

    from ckan.lib.search.common import make_connection

    _set_modified("baeume", "2024-02-01 10:00:00.123456")
    docs = make_connection().search(q="name:baeume", fl="name,metadata_modified").docs
    assert docs == [{"name": "baeume", "metadata_modified": dt.datetime(2024, 2, 1, 10, 0, 0)}]
    raw = make_connection(decode_dates=False).search(q="name:baeume", fl="metadata_modified").docs
    assert raw == [{"metadata_modified": "2024-02-01T10:00:00.123Z"}]
