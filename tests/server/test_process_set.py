"""The process set of ckanext/hamm/server/Procfile, run for real as ``make demo`` runs it."""
from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

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


# ------------------------------------------------ the catalogue after the workers ran (issue 26)
HYDRA_NEXT = "http://www.w3.org/ns/hydra/core#next"
LOADER_FORMATS = ("csv", "tsv", "xls", "xlsx")  # ckanext.xloader.formats of the devstack ini


def _harvest(stack, token: str, name: str, fake: FakeRVR, org: str) -> dict:
    """Create a source of the fake RVR and start its job as "Neu ernten" does; wait until finished."""
    source = api(stack, "harvest_source_create", {
        "name": name, "title": f"RVR ({org})", "url": fake.url, "source_type": "hamm_rvr",
        "owner_org": "umweltamt", "frequency": "MANUAL", "config": json.dumps({"organizations": [org]})}, token)
    job = api(stack, "harvest_job_create", {"source_id": source["id"]}, token)
    wait_until(lambda: stack.sql("SELECT status FROM harvest_job WHERE id = %s", job["id"]) == [("Finished",)],
               60, f"the harvest job of {name}", every=1)
    return source


def _uploads_loaded(stack) -> bool:
    """Every upload the loader takes has its MD5 in ``hash``: the jobs worker is through."""
    rows = stack.sql("SELECT coalesce(hash, '') <> '' FROM resource WHERE state = 'active' "
                     "AND url_type = 'upload' AND lower(format) = ANY(%s)", list(LOADER_FORMATS))
    return bool(rows) and all(loaded for (loaded,) in rows)


@pytest.fixture(scope="module")
def after_workers(stack, token) -> dict:
    """The demo seed's uploads loaded by the process set's jobs worker, and an RVR harvest run
    by its gather and fetch consumers (14 records: every licence of the fake twice)."""
    with FakeRVR(14, org="shacl", rdf_page_size=7) as fake:
        _harvest(stack, token, "rvr-shacl", fake, "shacl")
    wait_until(lambda: _uploads_loaded(stack), 90, "the jobs worker loading the seeded uploads", every=1)
    return {"harvested": stack.sql("SELECT count(*) FROM harvest_object o JOIN package p ON p.id = o.package_id "
                                   "WHERE o.current AND p.state = 'active'")[0][0]}


def _catalogue_pages(stack) -> list:
    from rdflib import Graph, URIRef

    pages, url = [], stack.url + "/catalog.ttl"
    while url:
        status, body = get(url, timeout=120)
        assert status == 200, (url, status, body[:500])
        pages.append(Graph().parse(data=body, format="turtle"))
        url = next((str(o) for o in pages[-1].objects(None, URIRef(HYDRA_NEXT))), None)
        assert len(pages) < 30
    return pages


def test_catalogue_and_public_dataset_pages_pass_shacl_after_the_workers(stack, after_workers):
    """Done when of issue 26: 0 violations of DCAT-AP 3 and DCAT-AP.de 3 on every /catalog.ttl
    page and every public dataset's own RDF page, after uploads are loaded and a harvest ran."""
    from rdflib import Graph, URIRef
    from rdflib.namespace import DCAT, PROV, RDF

    from tests.profiles.shacl import validator

    pages = _catalogue_pages(stack)
    spdx = URIRef("http://spdx.org/rdf/terms#checksum")
    assert len(pages) >= 2  # hydra paging is followed (20 datasets a page)
    assert any((None, spdx, None) in g for g in pages), "no checksum: the loader did not run"
    assert any((None, PROV.wasDerivedFrom, None) in g for g in pages), "no harvested copy in the catalogue"
    in_catalogue = {s for g in pages for s in g.subjects(RDF.type, DCAT.Dataset)}

    status, body = get(stack.url + "/api/3/action/package_search?q=*:*&rows=1000&fl=id,name")
    public = json.loads(body)["result"]["results"]
    graphs, kept_out = {f"catalogue page {n}": g for n, g in enumerate(pages, 1)}, []
    for dataset in public:
        status, body = get(f"{stack.url}/dataset/{dataset['name']}.ttl", timeout=60)
        if URIRef(f"{stack.url}/dataset/{dataset['id']}") not in in_catalogue:
            assert status == 404, (dataset["name"], status)  # kept out of the catalogue: no RDF either
            kept_out.append(dataset["name"])
            continue
        assert status == 200, (dataset["name"], status)
        graphs[dataset["name"]] = Graph().parse(data=body, format="turtle")
    assert len(graphs) - len(pages) == len(in_catalogue)

    figures = {}
    for profile in ("dcat-ap-3", "dcat-ap-de-3"):
        bad = [f"{label}: {finding}" for label, g in graphs.items()
               for finding in validator.violations(validator.validate(g, profile))]
        figures[profile] = len(bad)
        assert not bad, "\n".join(bad[:20])
    print(f"SHACL after the workers: catalogue pages={len(pages)} dataset pages={len(graphs) - len(pages)} "
          f"kept out (404)={len(kept_out)} harvested={after_workers['harvested']} violations={figures}")


# ------------------------------------------------------------- "Neu ernten" in a real browser
PASSWORD = "Neu-Ernten-2026!"


@pytest.fixture(scope="module")
def chromium(playwright_driver):
    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} missing (make install-dev installs Debian's chromium)")
    browser = playwright_driver.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    try:
        yield browser
    finally:
        browser.close()


def test_neu_ernten_in_the_browser_as_department_editor_finishes_within_60_seconds(stack, token, chromium):
    """An editor of the owning department: source page, "Neu ernten", the German confirm
    dialog, and the job page says "Abgeschlossen" within 60 s (gather/fetch consumers ran it)."""
    editor = "umwelt-ernte"
    stack.ckan("user", "add", editor, f"email={editor}@example.org", f"password={PASSWORD}")
    api(stack, "organization_member_create", {"id": "umweltamt", "username": editor, "role": "editor"}, token)
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="de-DE")
    page = context.new_page()
    page.set_default_timeout(30000)
    try:
        with FakeRVR(6, org="browser") as fake:
            source = api(stack, "harvest_source_create", {
                "name": "rvr-browser", "title": "RVR (Browser)", "url": fake.url, "source_type": "hamm_rvr",
                "owner_org": "umweltamt", "frequency": "MANUAL",
                "config": json.dumps({"organizations": ["browser"]})}, token)
            page.goto(stack.url + "/user/login")
            page.locator("#field-login").fill(editor)
            page.locator("#field-password").fill(PASSWORD)
            with page.expect_navigation():
                page.locator("#field-password").press("Enter")
            assert page.locator("#field-password").count() == 0, "login failed"

            response = page.goto(f"{stack.url}/harvest/admin/rvr-browser")
            assert response.status == 200
            page.wait_for_load_state("networkidle")  # CKAN's confirm module is bound only once its JS ran
            page.get_by_role("link", name="Neu ernten").click()
            dialog = page.locator(".modal.show")
            dialog.wait_for()
            assert "Bitte bestätigen" in dialog.inner_text()
            assert dialog.get_by_role("button", name="Abbrechen").count() == 1
            started = time.monotonic()
            with page.expect_navigation():
                dialog.get_by_role("button", name="Bestätigen").click()
            assert "Die Ernte beginnt in Kürze" in page.content()

            def finished() -> bool:
                # the status cell, not the "Abgeschlossen" row heading every job page has (that check
                # passed while the job still ran, and the count below raced the consumers)
                page.goto(f"{stack.url}/harvest/rvr-browser/job/last")
                status = page.locator("tr", has=page.locator("th", has_text="Status")).locator("td")
                return status.count() == 1 and status.inner_text().strip() == "Abgeschlossen"

            try:
                wait_until(finished, 60, "the job page saying Abgeschlossen", every=1)
            except AssertionError as error:  # say where the job got stuck
                jobs = stack.sql("SELECT status, gather_started, gather_finished FROM harvest_job "
                                 "WHERE source_id = %s", source["id"])
                raise AssertionError(f"{error}; jobs: {jobs}") from None
            elapsed = time.monotonic() - started
        assert elapsed < 60
        added = stack.sql("SELECT count(*) FROM harvest_object WHERE harvest_source_id = %s AND current "
                          "AND package_id IS NOT NULL", source["id"])[0][0]
        errors = stack.sql("SELECT e.stage, e.message FROM harvest_object_error e JOIN harvest_object o "
                           "ON o.id = e.harvest_object_id WHERE o.harvest_source_id = %s", source["id"])
        assert (added, errors) == (6, [])
        print(f"Neu ernten in the browser: Abgeschlossen after {elapsed:.1f} s")
    finally:
        context.close()


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
