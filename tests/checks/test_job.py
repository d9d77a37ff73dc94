"""The link check job: public resources checked and kept as history, due ones only, datasets untouched."""
from __future__ import annotations

import datetime

import pytest
from ckan import model
from ckan.tests import factories, helpers

from ckanext.hamm.checks import run
from ckanext.hamm.checks.links import Result
from ckanext.hamm.devstack.fake_links import FakeLinkServer
from ckanext.hamm.model import linkcheck
from tests.support.portal import PLUGINS, clean_db, hamm_dataset  # noqa: F401 (fixtures)

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.ckan_config("ckanext.hamm.links.allow_loopback", "true"),
    pytest.mark.ckan_config("ckanext.hamm.links.timeout", "1"),
    pytest.mark.ckan_config("ckanext.hamm.links.keep", "3"),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


def _datasets(server: FakeLinkServer) -> tuple[dict, dict]:
    org = factories.Organization()
    public = hamm_dataset(owner_org=org["id"], name="baumkataster", resources=[
        {"url": server.url(0, "ok", "baeume.csv"), "format": "CSV"},
        {"url": server.url(0, "notfound", "weg.csv"), "format": "CSV"},
        {"url": server.url(0, "private", "p0"), "format": "CSV"}])
    private = hamm_dataset(owner_org=org["id"], name="intern", private=True,
                           resources=[{"url": server.url(0, "ok", "intern.csv"), "format": "CSV"}])
    return public, private


def test_public_resources_are_checked_once_within_the_interval(link_server: FakeLinkServer) -> None:
    public, private = _datasets(link_server)
    first = run.run()
    assert (first["checked"], first["outcomes"]) == (3, {"ok": 1, "broken": 1, "refused": 1})
    assert private["resources"][0]["id"] not in linkcheck.last_checked()

    again = run.run()  # the scheduler runs hourly: nothing is due yet
    assert (again["checked"], again["requests"], again["skipped"]) == (0, 0, 3)

    helpers.call_action("resource_patch", id=public["resources"][0]["id"], url=link_server.url(0, "ok", "neu.csv"))
    changed = run.run()  # a changed URL is due at once
    assert changed["checked"] == 1
    assert len(linkcheck.history([public["resources"][0]["id"]])[public["resources"][0]["id"]]) == 2

    unchanged = model.Package.get(public["id"])
    assert unchanged is not None and unchanged.state == "active" and not unchanged.private  # never withdrawn


def test_a_link_is_broken_only_after_failures_on_consecutive_days(link_server: FakeLinkServer) -> None:
    public, _ = _datasets(link_server)
    resource = public["resources"][1]
    url = resource["url"]
    now = datetime.datetime(2026, 12, 8, 6, 0, tzinfo=datetime.timezone.utc)
    failed = Result(resource["id"], url, "broken", status=404, package_id=public["id"])
    linkcheck.record([failed], now, datetime.date(2026, 12, 7), keep=3)
    assert run.states([resource])[resource["id"]]["state"] == "failing"
    linkcheck.record([failed], now + datetime.timedelta(days=1), datetime.date(2026, 12, 8), keep=3)
    state = run.states([resource])[resource["id"]]
    assert (state["state"], state["status"]) == ("broken", 404)
    assert run.states([{**resource, "url": "https://neu.example/x.csv"}])[resource["id"]]["state"] == "unchecked"


def test_only_the_last_checks_are_kept(link_server: FakeLinkServer) -> None:
    public, _ = _datasets(link_server)
    resource = public["resources"][0]
    start = datetime.datetime(2026, 12, 1, tzinfo=datetime.timezone.utc)
    for day in range(5):
        at = start + datetime.timedelta(days=day)
        linkcheck.record([Result(resource["id"], resource["url"], "ok", status=200, package_id=public["id"])],
                         at, at.date(), keep=3)
    kept = linkcheck.history([resource["id"]])[resource["id"]]
    assert [row.day.day for row in kept] == [5, 4, 3]


def test_the_command_reports_in_german_and_english(link_server: FakeLinkServer) -> None:
    from click.testing import CliRunner

    from ckanext.hamm.cli import hamm

    _datasets(link_server)
    result = CliRunner().invoke(hamm, ["links", "check"])
    assert result.exit_code == 0, result.output
    assert "Linkprüfung: 3 von 3 Ressourcen geprüft" in result.output
    assert "Link check: 3 of 3 resources checked" in result.output


def test_the_quality_score_uses_the_latest_checks(link_server: FakeLinkServer) -> None:
    org = factories.Organization()
    pkg = hamm_dataset(owner_org=org["id"], name="spielplaetze", resources=[
        {"url": link_server.url(0, "ok", "spiel.csv"), "format": "CSV"},
        {"url": link_server.url(0, "error", "kaputt.csv"), "format": "CSV"}])
    before = helpers.call_action("hamm_quality_show", id="spielplaetze")
    assert "access_url" in {c["id"] for c in before["checks"]}  # nothing checked yet: what the metadata says
    run.run()
    after = helpers.call_action("hamm_quality_show", id=pkg["id"])
    points = {c["id"]: c["points"] for c in after["checks"]}
    # one of two URLs answers: half of accessURL's 50 and of downloadURL accessibility's 30
    assert (points["access_url_answers"], points["download_url"], points["download_url_answers"]) == (25, 20, 15)
