"""The sync as the process set runs it (``ckan hamm directory sync``, the scheduler) and the roles file.

The command is invoked as click's test runner does, in this process, so it sees the test's options.
"""
from __future__ import annotations

import pytest
from ckan import model
from ckan.tests import factories
from click.testing import CliRunner

from ckanext.hamm.directory import roles
from ckanext.hamm.directory.sync import directory_group
from ckanext.hamm.server import scheduler
from tests.directory.slapd import SERVICE_PASSWORD
from tests.support.portal import PLUGINS, clean_db  # noqa: F401 (fixtures)

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_db"),
]


def test_the_command_follows_the_directory(ldap_config):
    """A role given by the directory earlier and no group gives now is taken away by the command."""
    factories.Organization(name="umweltamt")
    factories.Organization(name="verkehr", users=[{"name": factories.User(name="emuster")["name"],
                                                   "capacity": "admin"}])
    user = model.User.get("emuster")
    user.plugin_extras = {"hamm_directory": {"dn": "cn=emuster,ou=users,dc=stadt,dc=hamm,dc=de", "login": "emuster",
                                             "roles": {"kultur": "editor"}, "sysadmin": False}}
    model.Session.commit()
    result = CliRunner().invoke(directory_group, ["sync"])
    assert result.exit_code == 0, result.output
    assert "1 active, 0 deactivated" in result.output
    capacities = {m.group.name: m.capacity for m in model.Session.query(model.Member).filter(
        model.Member.table_id == user.id, model.Member.state == "active")}
    assert capacities == {"umweltamt": "editor", "verkehr": "member"}  # the directory's, over the hand-given admin


def test_an_unreachable_directory_changes_nothing(ldap_config, monkeypatch):
    monkeypatch.setitem(ldap_config, "ckanext.hamm.ldap.uri", "ldap://127.0.0.1:9")
    user = factories.User(name="emuster")
    model.User.get(user["id"]).plugin_extras = {"hamm_directory": {"dn": "x", "login": "emuster"}}
    model.Session.commit()
    result = CliRunner().invoke(directory_group, ["sync"])
    assert result.exit_code != 0 and "directory unavailable" in result.output
    assert model.User.get(user["id"]).state == "active"


def test_the_bind_password_may_come_from_the_environment(ldap_config, monkeypatch):
    """Kept out of the ini file: HAMM_LDAP_BIND_PASSWORD (the operations docs' hamm.env)."""
    monkeypatch.setitem(ldap_config, "ckanext.hamm.ldap.bind_password", "")
    monkeypatch.delenv("HAMM_LDAP_BIND_PASSWORD", raising=False)
    assert CliRunner().invoke(directory_group, ["sync"]).exit_code != 0  # an anonymous search may not read
    monkeypatch.setenv("HAMM_LDAP_BIND_PASSWORD", SERVICE_PASSWORD)
    result = CliRunner().invoke(directory_group, ["sync"])
    assert result.exit_code == 0, result.output


def test_without_a_directory_the_command_does_nothing():
    result = CliRunner().invoke(directory_group, ["sync"])
    assert result.exit_code == 0 and "No directory configured" in result.output


def test_the_scheduler_syncs_only_with_a_directory(ldap_config):
    jobs = {job.id: int(job.trigger.interval.total_seconds()) for job in scheduler.build_scheduler().get_jobs()}
    assert jobs["directory-sync"] == 900


def test_the_scheduler_without_a_directory_has_no_sync():
    assert "directory-sync" not in {job.id for job in scheduler.build_scheduler().get_jobs()}


@pytest.mark.parametrize("raw", [{"groups": [{"organisation": "umweltamt", "role": "editor"}]},
                                 {"groups": [{"group": "cn=a", "organisation": "umweltamt", "role": "chef"}]},
                                 {"groups": [{"group": "cn=a"}]}, {"groups": "cn=a"}])
def test_a_broken_rule_is_named(raw):
    with pytest.raises(ValueError, match="directory_roles.yaml"):
        roles.rules(raw)


def test_the_shipped_file_is_valid_and_the_highest_role_wins(tmp_path, ckan_config, monkeypatch):
    assert roles.rules(roles.read_yaml_when_changed(roles.SCHEMAS / "directory_roles.yaml")) == []
    path = tmp_path / "roles.yaml"
    path.write_text("groups:\n"
                    "  - {group: 'CN=A, OU=G', organisation: amt, role: admin}\n"
                    "  - {group: 'cn=b,ou=g', organisation: amt, role: member}\n")
    monkeypatch.setitem(ckan_config, "ckanext.hamm.ldap.roles_file", str(path))
    assert roles.wanted(["cn=a,ou=g", "CN=B,OU=G"]) == roles.Wanted({"amt": "admin"}, False)
