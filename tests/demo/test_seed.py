"""Demo content: loads through the real action layer and never duplicates."""
import re

import pytest
from ckan import model
from ckan.tests import helpers

from ckanext.hamm import demo
from tests.support.portal import clean_db  # noqa: F401 (fixture: also applies the hamm migrations the seed writes to)

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", "hamm_search hamm scheming_datasets dcat"),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


def test_seed_twice_creates_everything_once():
    content = demo.load_content()
    first = demo.seed("hamm-admin")
    assert first["datasets created"] == len(content["datasets"])
    second = demo.seed("hamm-admin")
    assert second["datasets created"] == 0 and second["organizations created"] == 0
    assert model.Session.query(model.Package).filter_by(state="active").count() == len(content["datasets"])
    assert model.Session.query(model.Group).filter_by(is_organization=True).count() == len(content["organizations"])
    found = helpers.call_action("package_search", rows=0)["count"]
    assert found == len(content["datasets"])


def test_seed_revives_a_deleted_demo_dataset():
    demo.seed("hamm-admin")
    helpers.call_action("package_delete", context={"ignore_auth": True}, id="baumkataster")
    counts = demo.seed("hamm-admin")
    assert counts["datasets created"] == 1
    assert helpers.call_action("package_show", id="baumkataster")["state"] == "active"


def test_token_belongs_to_the_demo_sysadmin():
    token = demo.api_token("hamm-admin")
    user = model.User.get("hamm-admin")
    assert user.sysadmin and len(token) > 20


def test_seed_prints_working_logins_for_a_sysadmin_and_an_editor(cli):
    from ckanext.hamm.cli import hamm

    result = cli.invoke(hamm, ["demo", "seed"])
    assert result.exit_code == 0, result.output
    logins = dict(re.findall(r"^\s+.*?: ([\w-]+) / (\S+)$", result.output, re.M))
    assert set(logins) == {"hamm-admin", "hamm-redaktion"}
    admin, editor = model.User.get("hamm-admin"), model.User.get("hamm-redaktion")
    assert admin.sysadmin and admin.validate_password(logins["hamm-admin"])
    assert not editor.sysadmin and editor.validate_password(logins["hamm-redaktion"])
    for org in demo.load_content()["organizations"]:
        members = helpers.call_action("member_list", id=org["name"], object_type="user")
        assert any(m[0] == editor.id and m[2].lower() == "editor" for m in members)
    again = cli.invoke(hamm, ["demo", "seed"])
    assert logins["hamm-admin"] not in again.output  # a fresh password on every run


def test_seed_uploads_the_local_files_for_offline_previews():
    """The previews of the demo need files the portal itself serves, not links to hamm.de."""
    demo.seed("hamm-admin")
    demo.seed("hamm-admin")  # a second run replaces the uploads, it does not add more
    resources = helpers.call_action("package_show", id="radverkehrszaehlung")["resources"]
    assert [(r["format"], r["url_type"], r["url"].rsplit("/", 1)[-1]) for r in resources] == [
        ("CSV", "upload", "radzaehlung-2025.csv"), ("CSV", "upload", "radzaehlung-monate-2025.csv"),
        ("GeoJSON", "upload", "radzaehlstellen.geojson")]  # the monthly counts give the chart (issue 32)
    assert resources[0]["size"] == (demo.FILES / "radzaehlung-2025.csv").stat().st_size
