"""The demo's RVR source belongs to a department its editor works for, so "Neu ernten" is theirs.

The demo prints one editor login, "editor of every demo organisation". The Dateninventur
adds departments that editor is not in (Bürgeramt, …, to show what other departments keep
private); the source used to land in the alphabetically first of them, so the editor got
403 on the source page and 404 after "Neu ernten" (issue 26).
"""
from __future__ import annotations

from pathlib import Path

import ckan.plugins.toolkit as tk
import pytest
import yaml
from ckan import model
from ckan.tests import helpers
from click.testing import CliRunner

from ckanext.hamm import demo
from ckanext.hamm.cli import hamm
from tests.harvesters.conftest import PLUGINS
from tests.support.portal import clean_db_with_harvest  # noqa: F401 (fixture)

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_db_with_harvest", "clean_index"),
]


def _demo_organisations() -> None:
    """The organisations `ckan hamm demo seed` makes: content and Dateninventur."""
    inventory = yaml.safe_load(Path(demo.__file__).with_name("inventory.yaml").read_text(encoding="utf-8"))
    context = {"user": demo.ensure_sysadmin("hamm-admin")["name"], "ignore_auth": True}
    for org in demo.load_content()["organizations"] + inventory["organizations"]:
        helpers.call_action("organization_create", context=dict(context), **org)


def _may(auth: str, user: str, **data) -> bool:
    try:
        helpers.call_auth(auth, {"user": user, "model": model}, **data)
    except tk.NotAuthorized:
        return False
    return True


def test_demo_editor_may_see_and_reharvest_the_demo_source():
    _demo_organisations()
    [_, (_, editor, _)] = demo.demo_logins("hamm-admin", "hamm-redaktion")
    result = CliRunner().invoke(hamm, ["rvr", "demo-harvest", "--count", "2"], catch_exceptions=False)
    assert result.exit_code == 0, result.output

    source = model.Package.get("rvr-demo")
    mine = {o["name"] for o in helpers.call_action(
        "organization_list_for_user", {"user": editor}, id=editor, permission="update_dataset")}
    assert model.Group.get(source.owner_org).name in mine
    assert _may("harvest_source_show", editor, id=source.id)
    assert _may("harvest_job_create", editor, source_id=source.id)  # "Neu ernten"
