"""The harvesting screens as city staff see them: German labels, a red error badge only when a
job had errors, local German times, and the way there from the organisation page and dashboard."""
from __future__ import annotations

import datetime
import re
import uuid
from zoneinfo import ZoneInfo

import ckan.plugins.toolkit as tk
import pytest
import sqlalchemy as sa
from ckan import model
from ckan.lib.helpers import url_for
from ckan.tests import factories

from tests.support.portal import clean_db_with_harvest, log_in  # noqa: F401 (fixture)

PLUGINS = "hamm_search hamm scheming_datasets dcat harvest hamm_rvr"
PASSWORD = "Richtig-Pferd-42"
FINISHED = datetime.datetime(2026, 11, 30, 23, 30)  # UTC; in Hamm already 1 December, 00:30

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_db_with_harvest", "clean_index"),
]



@pytest.fixture
def world():
    users = {role: factories.User(password=PASSWORD) for role in ("editor", "member", "other_department")}
    users["sysadmin"] = factories.Sysadmin(password=PASSWORD)
    org = factories.Organization(name="stadt-hamm", title="Stadt Hamm",
                                 users=[{"name": users[r]["name"], "capacity": r} for r in ("editor", "member")])
    factories.Organization(name="stadtplanungsamt", users=[{"name": users["other_department"]["name"],
                                                            "capacity": "editor"}])
    source = tk.get_action("harvest_source_create")(
        {"user": users["sysadmin"]["name"]},
        {"name": "rvr", "title": "Open Data Portal Metropole Ruhr", "url": "https://opendata.ruhr/api/3",
         "source_type": "hamm_rvr", "owner_org": org["id"], "frequency": "MANUAL"})
    return {"users": users, "org": org, "source": source}


def _job(source_id: str, errored: int = 0, added: int = 3, when: datetime.datetime = FINISHED) -> str:
    job = str(uuid.uuid4())
    connection = model.Session.connection()
    connection.execute(sa.text(
        "INSERT INTO harvest_job (id, created, gather_started, gather_finished, finished, source_id, status) "
        "VALUES (:id, :t, :t, :t, :t, :source, 'Finished')"), {"id": job, "t": when, "source": source_id})
    for report in ["added"] * added + ["errored"] * errored:
        connection.execute(sa.text(
            "INSERT INTO harvest_object (id, guid, harvest_job_id, harvest_source_id, report_status, state, current) "
            "VALUES (:id, :id, :job, :source, :report, 'COMPLETE', true)"),
            {"id": str(uuid.uuid4()), "job": job, "source": source_id, "report": report})
    model.Session.commit()
    return job


def _login(app, world, role: str) -> None:
    if role != "anonymous":
        log_in(app, world["users"][role]["name"], PASSWORD)


def _visible(body: str) -> str:
    """The text a person reads, with tooltips (``title``)."""
    import lxml.html

    page = lxml.html.fromstring(body)
    for hidden in page.xpath("//script|//style"):
        hidden.drop_tree()
    return " ".join(page.text_content().split()) + " " + " ".join(page.xpath("//@title"))


def _badges(body: str) -> list[str]:
    return re.findall(r'<span class="badge([^"]*)"[^>]*data-diff="error"', body)


def test_admin_page_speaks_german(app, world):
    _job(world["source"]["id"])
    _login(app, world, "sysadmin")
    body = app.get(url_for("harvester.admin", id="rvr")).body
    for german in ("Neu ernten", "Leeren", "Letzter Erntejob", "Vollständigen Bericht ansehen", "Erntejobs"):
        assert german in body, german
    text = _visible(body)
    for english in ("Reharvest", "Clear", "Last Harvest Job", "View full job report", "errors",
                    "not modified", "Finished", "There is no description"):
        assert english not in text, english


def test_zero_errors_are_not_red_and_errors_are(app, world):
    _login(app, world, "sysadmin")
    _job(world["source"]["id"], errored=0)
    clean = app.get(url_for("harvester.admin", id="rvr")).body
    assert _badges(clean) and not any("bg-danger" in badge for badge in _badges(clean))
    assert "0 Fehler" in clean
    _job(world["source"]["id"], errored=2, when=FINISHED + datetime.timedelta(days=1))
    failed = app.get(url_for("harvester.admin", id="rvr")).body
    assert any("bg-danger" in badge for badge in _badges(failed)) and "2 Fehler" in failed
    jobs = app.get(url_for("harvester.job_list", source="rvr")).body
    assert sum("bg-danger" in badge for badge in _badges(jobs)) == 1


def test_job_times_are_local_and_german(app, world):
    job = _job(world["source"]["id"])
    _login(app, world, "sysadmin")
    local = FINISHED.replace(tzinfo=datetime.timezone.utc).astimezone(ZoneInfo("Europe/Berlin"))
    expected = local.strftime("%d.%m.%Y, %H:%M Uhr")
    assert expected == "01.12.2026, 00:30 Uhr"
    for url in (url_for("harvester.admin", id="rvr"), url_for("harvester.job_list", source="rvr"),
                url_for("harvester.job_show", source="rvr", id=job)):
        body = app.get(url).body
        assert expected in body, url
        assert "November 30, 2026" not in body and "30.11.2026" not in body


def test_source_pages_speak_german(app, world):
    _login(app, world, "sysadmin")
    for url in (url_for("harvest.read", id="rvr"), url_for("harvester.about", id="rvr"), "/harvest"):
        text = _visible(app.get(url).body)
        assert "There is no description" not in text and "Harvest Sources" not in text, url
    assert "Für diese Harvest-Quelle gibt es keine Beschreibung" in app.get(url_for("harvester.about", id="rvr")).body


@pytest.mark.parametrize("role", ["anonymous", "member", "other_department", "editor", "sysadmin"])
def test_harvest_sources_linked_from_the_organisation_page(app, world, role):
    _login(app, world, role)
    body = app.get(url_for("organization.read", id="stadt-hamm")).body
    link = url_for("harvester.admin", id="rvr")
    assert (link in body) is (role in ("editor", "sysadmin"))


@pytest.mark.parametrize("role", ["member", "other_department", "editor", "sysadmin"])
def test_harvest_sources_linked_from_the_dashboard(app, world, role):
    _job(world["source"]["id"], errored=1)
    _login(app, world, role)
    body = app.get(url_for("dashboard.datasets")).body
    link = url_for("harvester.admin", id="rvr")
    assert (link in body) is (role in ("editor", "sysadmin"))
    if role == "editor":
        assert "Open Data Portal Metropole Ruhr" in body and "01.12.2026, 00:30 Uhr" in body and "1 Fehler" in body
