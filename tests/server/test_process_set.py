"""The process set of ckanext/hamm/server/Procfile, run for real as ``make demo`` runs it."""
from __future__ import annotations

import json
import subprocess
import sys
import urllib.request

import pytest

from ckanext.hamm import devstack
from ckanext.hamm.demo.fake_rvr import FakeRVR

from .conftest import get, wait_until

pytestmark = pytest.mark.usefixtures("process_set")

LEAKS = ("Traceback", "Werkzeug", "__debugger__", "sqlalchemy", "psycopg2", "OperationalError")


def api(stack, action: str, data: dict, token: str) -> dict:
    request = urllib.request.Request(f"{stack.url}/api/3/action/{action}", data=json.dumps(data).encode(),
                                     headers={"Authorization": token, "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read())["result"]
    except urllib.error.HTTPError as error:
        raise AssertionError(f"{action}: {error.code} {error.read()[:500]!r}") from None


@pytest.fixture(scope="module")
def token(stack) -> str:
    return stack.ckan("hamm", "demo", "token").stdout.strip().splitlines()[-1]


def test_status_lists_every_process_running(stack):
    out = subprocess.run([sys.executable, "-m", "ckanext.hamm.devstack", "status"], env=stack.env(),
                         text=True, capture_output=True, check=True).stdout
    for name in ("web", "gather", "fetch", "worker", "scheduler"):
        line = next(line for line in out.splitlines() if line.strip().startswith(name + ":"))
        assert "running (pid" in line, out
    assert "2 workers" in out  # WEB_CONCURRENCY=2 in the fixture


def test_web_is_gunicorn_with_cached_static_files(stack):
    with urllib.request.urlopen(stack.url + "/base/images/ckan-logo.png", timeout=30) as response:
        assert response.headers["Server"] == "gunicorn"
        assert "max-age=" in response.headers["Cache-Control"]
        assert "Set-Cookie" not in response.headers


def test_healthz_reports_every_part_ok(stack):
    status, body = get(stack.url + "/healthz")
    assert status == 200
    assert json.loads(body) == {"status": "ok", "checks": {"database": "ok", "redis": "ok", "search": "ok"},
                                "failing": []}


def test_neu_ernten_is_executed_by_the_consumers_within_60_seconds(stack, token):
    with FakeRVR(20, org="queue") as fake:
        source = api(stack, "harvest_source_create", {
            "name": "rvr-queue", "title": "RVR (queue)", "url": fake.url, "source_type": "hamm_rvr",
            "owner_org": "umweltamt", "frequency": "MANUAL",
            "config": json.dumps({"organizations": ["queue"]})}, token)
        job = api(stack, "harvest_job_create", {"source_id": source["id"]}, token)  # what "Neu ernten" sends

        def finished():
            rows = stack.sql("SELECT status FROM harvest_job WHERE id = %s", job["id"])
            return rows and rows[0][0] == "Finished"

        wait_until(finished, 60, "the job executed by gather/fetch consumers and marked finished", every=1)
    imported = stack.sql("SELECT count(*) FROM harvest_object WHERE harvest_job_id = %s "
                         "AND state = 'COMPLETE' AND package_id IS NOT NULL", job["id"])[0][0]
    assert imported == 20


def test_with_postgresql_stopped_no_answer_shows_a_traceback(stack, token):
    assert devstack.stop_postgres(stack.state)
    try:
        answers = [
            get(stack.url + "/"),
            get(stack.url + "/dataset?q=Baum"),
            get(stack.url + "/dataset", {"Authorization": token}),
            get(stack.url + "/dataset", {"Cookie": "ckan=someone-s-session"}),
            get(stack.url + "/api/3/action/package_search", {"Authorization": token}),
            get(stack.url + "/api/3/action/status_show"),
        ]
        for status, body in answers:
            assert status >= 500 or status == 200
            assert not any(leak in body for leak in LEAKS), body[:2000]
        status, body = get(stack.url + "/healthz")
        assert status == 503
        assert "database" in json.loads(body)["failing"]
        assert json.loads(body)["checks"]["redis"] == "ok"
    finally:
        stack.start_services()
    wait_until(lambda: get(stack.url + "/healthz")[0] == 200, 30, "healthy again after PostgreSQL is back")


def test_confirm_dialog_texts_are_german_under_gunicorn(stack):
    """CKAN's confirm dialog ("Please Confirm / Cancel / Confirm") reads /api/i18n/de; only
    `ckan run` built that file, so every dialog of the process set was English (issue 26)."""
    status, body = get(stack.url + "/api/i18n/de")
    assert status == 200
    texts = json.loads(body)
    assert texts["Please Confirm"][1] == "Bitte bestätigen"
    assert texts["Cancel"][1] == "Abbrechen" and texts["Confirm"][1] == "Bestätigen"
