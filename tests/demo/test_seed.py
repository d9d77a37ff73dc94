"""Demo content: loads through the real action layer and never duplicates."""
import pytest

from ckan import model
from ckan.tests import helpers

from ckanext.hamm import demo

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
