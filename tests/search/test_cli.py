"""``ckan search-index rebuild | check | show | clear`` against the PostgreSQL index."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from ckan import model
from ckan.cli.cli import ckan as ckan_cli
from ckan.tests import factories, helpers

from .commands import indexed_names, run_ckan

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", "hamm_search"),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


@pytest.fixture
def three():
    org = factories.Organization()
    return [factories.Dataset(owner_org=org["id"], name=f"ds-{i}") for i in range(3)]


def test_clear_one_then_check_reports_it_and_rebuild_restores_it(cli, three):
    result = cli.invoke(ckan_cli, ["search-index", "clear", "ds-1"])
    assert result.exit_code == 0, result.output
    assert indexed_names() == {"ds-0", "ds-2"}

    result = cli.invoke(ckan_cli, ["search-index", "check"])
    assert result.exit_code == 0, result.output
    assert "Packages not indexed = 1 out of 3" in result.output
    assert "ds-1" in result.output

    result = cli.invoke(ckan_cli, ["search-index", "rebuild", "-o"])
    assert result.exit_code == 0, result.output
    assert indexed_names() == {"ds-0", "ds-1", "ds-2"}


def test_clear_all_and_full_rebuild(cli, three):
    assert cli.invoke(ckan_cli, ["search-index", "clear"]).exit_code == 0
    assert indexed_names() == set()
    result = cli.invoke(ckan_cli, ["search-index", "rebuild", "-q"])
    assert result.exit_code == 0, result.output
    assert indexed_names() == {"ds-0", "ds-1", "ds-2"}
    assert helpers.call_action("package_search")["count"] == 3


def test_rebuild_drops_orphans_and_rebuilds_one(cli, three):
    model.Session.execute(sa.text("DELETE FROM package_tag"))
    model.Session.execute(sa.text("DELETE FROM resource"))
    model.Session.execute(sa.text("DELETE FROM member"))
    model.Session.execute(sa.text("DELETE FROM package WHERE name = 'ds-2'"))
    model.Session.commit()
    result = cli.invoke(ckan_cli, ["search-index", "rebuild", "-q"])
    assert result.exit_code == 0, result.output
    assert indexed_names() == {"ds-0", "ds-1"}
    assert cli.invoke(ckan_cli, ["search-index", "rebuild", "ds-0"]).exit_code == 0


def test_show_prints_the_indexed_document(cli, three):
    result = cli.invoke(ckan_cli, ["search-index", "show", "ds-0"])
    assert result.exit_code == 0, result.output
    assert "'name': 'ds-0'" in result.output
    assert "validated_data_dict" in result.output


def test_rebuild_is_one_transaction_and_batches_writes(cli):
    org = factories.Organization()
    for i in range(5):
        factories.Dataset(owner_org=org["id"], name=f"viele-{i}")
    from ckan.lib import search

    search.clear_all()
    search.rebuild(defer_commit=True, quiet=True)
    assert indexed_names() == {f"viele-{i}" for i in range(5)}


def test_rebuild_fast_indexes_every_active_dataset_from_worker_processes(cli, three, tmp_path):
    """CKAN's parallel rebuild forks one worker per core; it hung while they shared our connection."""
    assert cli.invoke(ckan_cli, ["search-index", "clear"]).exit_code == 0
    model.Session.commit()
    result = run_ckan(tmp_path, "search-index", "rebuild-fast")
    assert result.returncode == 0, result.stderr[-2000:]
    assert indexed_names() == {"ds-0", "ds-1", "ds-2"}
