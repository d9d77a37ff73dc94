"""Usage figures without personal data: views and downloads per dataset and day, robots left out."""
from __future__ import annotations

import re
from typing import Any

import pytest
import sqlalchemy as sa
from ckan import model
from ckan.tests import factories, helpers

from ckanext.hamm.model import usage
from tests.support.portal import PLUGINS, clean_db, hamm_dataset  # noqa: F401 (fixtures)

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.ckan_config("ckanext.hamm.cache.pages", "true"),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]
BROWSER = {"User-Agent": "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"}
PERSONAL = ("ip", "addr", "address", "cookie", "session", "user", "agent", "referrer", "referer", "token", "time")


def _rows() -> list[dict[str, Any]]:
    model.Session.remove()
    return [dict(row._mapping) for row in model.Session.execute(sa.text("SELECT * FROM hamm_usage"))]


def test_views_and_downloads_are_counted_per_day_without_visitor_data(app: Any) -> None:
    user = factories.User()
    org = factories.Organization(users=[{"name": user["name"], "capacity": "editor"}])
    dataset = hamm_dataset(owner_org=org["id"], name="baumkataster",
                           resources=[{"url": "https://daten.example.org/baeume.csv", "format": "CSV"}])
    resource_id = dataset["resources"][0]["id"]
    for _ in range(3):  # the second and third come from the page cache: counted all the same
        app.get("/dataset/baumkataster", headers={**BROWSER, "X-Forwarded-For": "203.0.113.7"},
                extra_environ={"REMOTE_ADDR": "198.51.100.23"})
    app.get(f"/dataset/{dataset['id']}", headers=BROWSER)
    app.get(f"/dataset/baumkataster/resource/{resource_id}/download", headers=BROWSER, follow_redirects=False)
    for robot in ("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
                  "python-requests/2.32", "curl/8.5.0", ""):
        app.get("/dataset/baumkataster", headers={"User-Agent": robot})
    app.get("/dataset/gibt-es-nicht", headers=BROWSER, status=404)
    app.post("/dataset/baumkataster", headers=BROWSER, status=405)

    rows = _rows()
    assert {(r["package_id"], r["kind"], r["count"]) for r in rows} == {
        (dataset["id"], "view", 4), (dataset["id"], "download", 1)}
    assert {r["day"] for r in rows} == {usage.today()}
    columns = {c["name"] for c in sa.inspect(model.meta.engine).get_columns("hamm_usage")}
    assert columns == {"package_id", "day", "kind", "count"}
    assert not [c for c in columns if any(word in c for word in PERSONAL)]
    stored = " ".join(str(value) for row in rows for value in row.values())
    for visitor_trace in ("203.0.113.7", "198.51.100.23", "Mozilla", user["name"]):
        assert visitor_trace not in stored

    figures = helpers.call_action("hamm_usage_show", context={"user": user["name"], "ignore_auth": False},
                                  id="baumkataster", days=7)
    assert (figures["views"], figures["downloads"]) == (4, 1)
    assert figures["by_day"] == [{"day": usage.today().isoformat(), "view": 4, "download": 1}]
    totals = helpers.call_action("hamm_usage_show", context={"user": "", "ignore_auth": False})
    assert totals["views"] == 4 and totals["top_views"][0]["name"] == "baumkataster"


def test_a_datasets_figures_are_for_its_editors_only(app: Any) -> None:
    org = factories.Organization()
    hamm_dataset(owner_org=org["id"], name="wahlergebnisse")
    for user in ("", factories.User()["name"]):
        with pytest.raises(Exception) as refused:
            helpers.call_action("hamm_usage_show", context={"user": user, "ignore_auth": False}, id="wahlergebnisse")
        assert type(refused.value).__name__ == "NotAuthorized"
    response = app.get("/api/3/action/hamm_usage_show?days=abc", status=409)
    assert "ganze Zahl" in response.get_data(as_text=True)


def test_staff_see_the_figures_on_the_dataset_page_and_kennzahlen_shows_totals(app: Any) -> None:
    user = factories.User()
    org = factories.Organization(users=[{"name": user["name"], "capacity": "editor"}])
    hamm_dataset(owner_org=org["id"], name="parkanlagen", title="Parkanlagen")
    app.get("/dataset/parkanlagen", headers=BROWSER)
    token = factories.APIToken(user=user["name"])["token"]
    staff = app.get("/dataset/parkanlagen", headers={**BROWSER, "Authorization": token}).get_data(as_text=True)
    assert "Nutzung (letzte 30 Tage)" in staff and "Seitenaufrufe" in staff
    assert "Nutzung (letzte 30 Tage)" not in app.get("/dataset/parkanlagen").get_data(as_text=True)
    kennzahlen = app.get("/kennzahlen").get_data(as_text=True)
    assert "Seitenaufrufe" in kennzahlen and "Parkanlagen" in kennzahlen


def test_the_download_button_of_a_linked_file_is_counted(app: Any) -> None:
    dataset = hamm_dataset(owner_org=factories.Organization()["id"], name="ladesaeulen",
                           resources=[{"url": "https://daten.example.org/ladesaeulen.csv", "format": "CSV"}])
    html = app.get("/dataset/ladesaeulen", headers={"User-Agent": "curl/8"}).get_data(as_text=True)
    [href] = re.findall(r'class="btn btn-primary hamm-download-button" href="([^"]+)"', html)
    response = app.get(href.replace("http://test.ckan.net", ""), headers=BROWSER, follow_redirects=False)
    assert response.status_code == 302 and response.headers["Location"] == "https://daten.example.org/ladesaeulen.csv"
    assert [(r["package_id"], r["kind"], r["count"]) for r in _rows()] == [(dataset["id"], "download", 1)]


def test_editors_see_their_organisations_usage_on_the_dashboard(app: Any) -> None:
    editor, outsider = factories.User(), factories.User()
    org = factories.Organization(title="Umweltamt", users=[{"name": editor["name"], "capacity": "editor"}])
    hamm_dataset(owner_org=org["id"], name="luftqualitaet", title="Luftqualität")
    hamm_dataset(owner_org=org["id"], name="entwurf", title="Entwurf", private=True)
    for name in ("luftqualitaet", "luftqualitaet", "entwurf"):
        app.get(f"/dataset/{name}", headers={**BROWSER, "Authorization": factories.APIToken(user=editor["name"])["token"]})
    figures = helpers.call_action("hamm_usage_show", context={"user": editor["name"], "ignore_auth": False},
                                  organization=org["name"])
    assert figures["views"] == 3 and [row["name"] for row in figures["top_views"]] == ["luftqualitaet", "entwurf"]
    with pytest.raises(Exception) as refused:
        helpers.call_action("hamm_usage_show", context={"user": outsider["name"], "ignore_auth": False},
                            organization=org["name"])
    assert type(refused.value).__name__ == "NotAuthorized"
    token = factories.APIToken(user=editor["name"])["token"]
    dashboard = app.get("/dashboard/datasets", headers={"Authorization": token}).get_data(as_text=True)
    assert "Nutzung Ihrer Datensätze (letzte 30 Tage)" in dashboard and "Umweltamt: 3 Seitenaufrufe, 0 Downloads" in dashboard


@pytest.mark.ckan_config("ckanext.dcat.enable_content_negotiation", "true")
def test_with_content_negotiation_the_page_still_counts_and_has_its_markup(app: Any) -> None:
    """ckanext-dcat then answers /dataset/<name> itself (endpoint dcat.read_dataset), as in production."""
    dataset = hamm_dataset(owner_org=factories.Organization()["id"], name="radverkehr")
    html = app.get("/dataset/radverkehr", headers={**BROWSER, "Accept": "text/html"}).get_data(as_text=True)
    assert '<script type="application/ld+json">' in html and 'rel="canonical"' in html
    app.get("/dataset/radverkehr.ttl", headers=BROWSER)   # metadata for machines: no page view
    assert [(r["package_id"], r["kind"], r["count"]) for r in _rows()] == [(dataset["id"], "view", 1)]
