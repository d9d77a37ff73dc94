"""A real portal for the browser tests: its own database, seeded, served by ``ckan run``.

Session-scoped: one server and one Chromium for the whole browser suite. The
database is ``<HAMM_TEST_DB>_browser`` (recreated each session), Redis uses
``HAMM_TEST_REDIS_DB``; the ini is written from the dev-stack template into a
temporary folder. Skips when Chromium, Playwright or axe-core are missing
(``make install-dev`` installs them).
"""
from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, Iterator

import pytest

from ckanext.hamm import devstack
from ckanext.hamm.devstack import throwaway
from ckanext.hamm.translations import compile_catalogs
from tests.support.fake_wms import running_wms

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
AXE = HERE / "node_modules" / "axe-core" / "axe.min.js"
HTMLCS = HERE / "node_modules" / "html_codesniffer" / "build" / "HTMLCS.js"
CHROMIUM = os.environ.get("HAMM_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
PLUGINS = ("hamm_search hamm scheming_datasets dcat datastore xloader datatables_view geojson_view"
           " hamm_wms_view hamm_geojson_view hamm_chart_view hamm_json_view harvest hamm_rvr")  # harvest: the staff screens
# The fake map server is the portal's map host (its WMS previews read capabilities from it).
# The city's and RVR's hosts cannot be reached offline: no loader job waits on them.
MAP_OPTIONS = ("\nckanext.hamm.previews.map_hosts = 127.0.0.1\nckanext.hamm.previews.map_allow_local = true\n"
               "ckanext.hamm.previews.linked_hosts =\n")


def _write_ini(folder: Path, database_url: str, redis_url: str, site_url: str) -> Path:
    """The dev-stack template with this session's database, Redis, URL, plugins and map host."""
    state = devstack.State(folder)
    folder.mkdir(parents=True, exist_ok=True)
    ini = devstack.write_config(state, database_url, redis_url, site_url, plugins=PLUGINS)
    ini.write_text(ini.read_text().replace("[app:main]\n", "[app:main]" + MAP_OPTIONS, 1))
    return ini


@pytest.fixture(scope="session")
def portal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """Base URL and seeded names of a live portal."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} missing (make install-dev installs Debian's chromium)")
    pytest.importorskip("playwright.sync_api")
    if not AXE.exists():
        pytest.skip("axe-core missing (make install-dev runs npm install in tests/browser)")
    compile_catalogs()
    state = devstack.default_state(REPO)
    server_url = devstack.postgres_url(state)
    name = os.environ.get("HAMM_TEST_DB", "ckan_test") + "_browser"
    database_url = throwaway.fresh_database(server_url, name, datastore=True)
    redis = os.environ.get("CKAN_REDIS_URL") or devstack.redis_url(state)
    redis = redis.rsplit("/", 1)[0] + "/" + os.environ.get("HAMM_TEST_REDIS_DB", "1")
    port = throwaway.free_port()
    url = f"http://127.0.0.1:{port}"
    folder = tmp_path_factory.mktemp("portal")
    ini = _write_ini(folder, database_url, redis, url)
    env = throwaway.clean_env()
    throwaway.ckan(ini, "db", "init", env=env)  # also applies the enabled plugins' migrations
    stack = contextlib.ExitStack()
    worker: subprocess.Popen | None = None
    wms = stack.enter_context(running_wms())
    env["HAMM_TEST_WMS_URL"] = f"{wms.url}/wms"  # seed.py adds a WMS resource served by the fake
    server = stack.enter_context(throwaway.Server(ini, port, env, folder / "ckan.log"))
    try:
        seeded = throwaway.run([sys.executable, str(HERE / "seed.py"), str(ini)], env=env)  # while it boots
        summary = json.loads(seeded.stdout.strip().splitlines()[-1])
        server.wait_until_up()
        # The process set's jobs worker: the DataStore loader fetches the seeded uploads from the portal.
        log = stack.enter_context((folder / "ckan.log").open("a"))  # one log, as before
        worker = subprocess.Popen(devstack.ckan_command() + ["-c", str(ini), "jobs", "worker"],
                                  stdout=log, stderr=subprocess.STDOUT, env=env)
        yield {"url": url, "harvested": summary["harvested"], "database": name, "log": folder / "ckan.log",
               "harvest_job": summary.get("harvest_job"), "wms": wms,
               "admin_token": summary["admin_token"]}
    finally:
        if worker is not None:
            throwaway.stop_process(worker)
        stack.close()


@pytest.fixture(scope="session")
def browser(portal: dict[str, Any], playwright_driver: Any) -> Iterator[Any]:
    chromium = playwright_driver.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    try:
        yield chromium
    finally:
        chromium.close()


def csp_violation(message: Any) -> bool:
    """A console message about the Content-Security-Policy, except one known no-op.

    CKAN 2.12's datatablesview.js calls ``setTimeout(initFilterObserver(), 100)`` when it
    loads a translation: it passes the function's result (``undefined``), which Chromium
    would evaluate as a string. The policy blocks that evaluation of "undefined"; the table
    works the same, so the policy stays without 'unsafe-eval'.
    """
    if "Content Security Policy" not in message.text:
        return False
    return not ("'unsafe-eval'" in message.text and "datatablesview" in (message.location or {}).get("url", ""))


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh page; any test whose pages break the portal's Content-Security-Policy fails."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(45000)
    violations: list[str] = []
    page.on("console", lambda message: violations.append(message.text)
            if csp_violation(message) else None)
    try:
        yield page
    finally:
        context.close()
    assert violations == [], violations


@pytest.fixture(scope="session")
def axe_source() -> str:
    return AXE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def htmlcs_source() -> str:
    if not HTMLCS.exists():
        pytest.skip("HTML_CodeSniffer missing (make install-dev runs npm install in tests/browser)")
    return HTMLCS.read_text(encoding="utf-8")


def inject(page: Any, source: str) -> None:
    """A checker's script, evaluated through the DevTools protocol: the portal's CSP forbids inline <script> tags."""
    page.evaluate(source + "\n;undefined")


def run_htmlcs(page: Any, htmlcs_source: str) -> list[str]:
    """HTML_CodeSniffer's WCAG2AA errors on the current page (the second engine besides axe-core)."""
    inject(page, htmlcs_source)
    return page.evaluate(
        """() => new Promise(resolve => HTMLCS.process('WCAG2AA', document, () => resolve(
             HTMLCS.getMessages().filter(m => m.type === HTMLCS.ERROR)
               .map(m => m.code + ': ' + m.msg + ' @ ' + (m.element.outerHTML || '').slice(0, 120)))))"""
    )


def run_axe(page: Any, axe_source: str) -> list[dict[str, Any]]:
    """axe-core's violations of WCAG 2.0/2.1 A and AA rules on the current page."""
    inject(page, axe_source)
    result = page.evaluate(
        """async () => await axe.run(document, {runOnly: {type: 'tag',
             values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']},
             resultTypes: ['violations']})"""
    )
    return result["violations"]


# page label -> language -> {impact: count}; printed after the run (closing-note figures).
AXE_COUNTS: dict[str, dict[str, dict[str, int]]] = {}


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not AXE_COUNTS:
        return
    write = terminalreporter.write_line
    write("")
    write("axe-core violations per page (serious/critical | moderate/minor):")
    write(f"{'page':<22} {'de':>16} {'en':>16}")
    for label, by_lang in AXE_COUNTS.items():
        cells = []
        for lang in ("de", "en"):
            counts = by_lang.get(lang)
            cells.append("-" if counts is None else
                         f"{counts['serious']}/{counts['critical']} | {counts['moderate']}/{counts['minor']}")
        write(f"{label:<22} {cells[0]:>16} {cells[1]:>16}")


def check_axe(page: Any, axe_source: str, label: str, lang: str) -> None:
    """Run axe-core, record the counts for the summary, fail on serious/critical violations."""
    violations = run_axe(page, axe_source)
    counts = {impact: 0 for impact in ("critical", "serious", "moderate", "minor")}
    for violation in violations:
        counts[violation.get("impact") or "minor"] += len(violation["nodes"])
    AXE_COUNTS.setdefault(label, {})[lang] = counts
    blocking = [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:5]}"
                for v in violations if v.get("impact") in ("serious", "critical")]
    assert not blocking, "\n".join(blocking)
