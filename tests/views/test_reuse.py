"""Reuse on the dataset and search pages: citation, API box, similar datasets, the hit list as
CSV, "Neueste", canonical links, the sitemap and robots.txt."""
from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from typing import Any
from urllib.parse import urlparse

import pytest
from ckan.tests import factories

from ckanext.hamm.views import reuse
from tests.dataset.test_schema_org import check
from tests.support.portal import PLUGINS, clean_db, hamm_dataset  # noqa: F401 (fixtures)

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture
def catalogue() -> dict[str, Any]:
    org = factories.Organization(title="Umweltamt")
    trees = hamm_dataset(owner_org=org["id"], name="baumkataster", title="Baumkataster", handlungsfeld=["umwelt"],
                         tags=[{"name": "baeume"}], version="3",
                         temporal_coverage=[{"start": "2020-01-01", "end": "2023-12-31"}],
                         resources=[{"url": "https://daten.example.org/baeume.csv", "format": "CSV", "name": "Bäume",
                                     "datastore_active": True, "last_modified": "2024-03-01T12:00:00"}])
    parks = hamm_dataset(owner_org=org["id"], name="parkanlagen", title="=HYPERLINK(\"x\") Parks",
                         handlungsfeld=["umwelt"], notes="Grün; \"Parks\"\nund mehr")
    other = hamm_dataset(owner_org=org["id"], name="wahlergebnisse", title="Wahlergebnisse",
                         handlungsfeld=["strategie-und-kommunikation"])
    secret = hamm_dataset(owner_org=org["id"], name="geheim", title="Geheime Bäume", handlungsfeld=["umwelt"],
                          private=True)
    return {"trees": trees, "parks": parks, "other": other, "secret": secret, "org": org}


def _html(app: Any, url: str) -> str:
    return app.get(url).get_data(as_text=True)


def check_dataset_page_has_citation_with_the_data_dates_apart(app: Any, catalogue: dict[str, Any]) -> None:
    html = _html(app, "/dataset/baumkataster")
    assert "So zitieren Sie diese Daten" in html
    permalink = f"http://test.ckan.net/dataset/{catalogue['trees']['id']}"
    assert re.search(r"Stadt Hamm \(2024\): Baumkataster\. Version 3\. Stand: 01\.03\.2024\. "
                     r"Lizenz: Datenlizenz Deutschland – Namensnennung – Version 2\.0\. " + re.escape(permalink), html)
    for label in ("Zeitraum der Daten", "01.01.2020 – 31.12.2023", "<dt>Datei zuletzt geändert</dt><dd>01.03.2024",
                  "Metadatensatz erstellt"):
        assert label in html
    bib = app.get("/dataset/baumkataster/zitation.bib")
    assert bib.headers["Content-Type"].startswith("application/x-bibtex")
    assert "@misc{hamm_baumkataster" in bib.get_data(as_text=True)
    [item] = json.loads(app.get("/dataset/baumkataster/zitation.csl.json").get_data(as_text=True))
    assert item["type"] == "dataset" and item["URL"] == permalink


def check_citation_files_of_private_or_unknown_datasets_are_404(app: Any, catalogue: dict[str, Any]) -> None:
    app.get("/dataset/geheim/zitation.bib", status=404)
    app.get("/dataset/gibt-es-nicht/zitation.csl.json", status=404)


def check_api_box_names_package_show_datastore_and_dcat(app: Any, catalogue: dict[str, Any]) -> None:
    html = _html(app, "/dataset/baumkataster")
    resource_id = catalogue["trees"]["resources"][0]["id"]
    assert "http://test.ckan.net/api/3/action/package_show?id=baumkataster" in html
    assert f"http://test.ckan.net/api/3/action/datastore_search?resource_id={resource_id}&amp;limit=5" in html
    for suffix in (".ttl", ".xml", ".jsonld"):
        assert f"http://test.ckan.net/dataset/baumkataster{suffix}" in html
    assert 'data-module="hamm-copy"' in html


def check_similar_datasets_are_visible_others_never_the_dataset_itself(app: Any, catalogue: dict[str, Any]) -> None:
    html = _html(app, "/dataset/baumkataster")
    similar = html[html.index('id="hamm-similar-title"'):]
    similar = similar[:similar.index("</section>")]
    assert "/dataset/parkanlagen" in similar
    assert "/dataset/baumkataster" not in similar and "/dataset/geheim" not in similar
    assert "/dataset/wahlergebnisse" not in similar


def check_schema_org_markup_and_canonical_link_on_the_dataset_page(app: Any, catalogue: dict[str, Any]) -> None:
    html = _html(app, f"/dataset/{catalogue['trees']['id']}")
    assert '<link rel="canonical" href="http://test.ckan.net/dataset/baumkataster">' in html
    [script] = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    node = json.loads(script)
    assert check(node) == []
    assert node["@type"] == "Dataset" and node["name"] == "Baumkataster"
    assert node["temporalCoverage"] == "2020-01-01/2023-12-31"


def check_canonical_links(app: Any) -> None:
    for url, canonical in [("/dataset?q=baum&sort=title_string+asc&ext_x=", "http://test.ckan.net/dataset/?q=baum"),
                           ("/handlungsfeld/umwelt", "http://test.ckan.net/handlungsfeld/umwelt"),
                           ("/handlungsfeld", "http://test.ckan.net/handlungsfeld")]:
        found = re.findall(r'<link rel="canonical" href="([^"]+)">', _html(app, url))
        assert found == [canonical], url


def test_search_offers_neueste_the_hit_list_and_canonical_links(app: Any, catalogue: dict[str, Any]) -> None:
    check_canonical_links(app)
    html = _html(app, "/dataset?q=&vocab_handlungsfeld=umwelt&page=1")
    assert re.search(r'<option value="metadata_created desc"[^>]*>\s*Neueste\s*</option>', html)
    link = re.search(r'href="([^"]*trefferliste\.csv[^"]*)"', html)
    assert link and "vocab_handlungsfeld=umwelt" in link.group(1) and "page=" not in link.group(1)
    assert "Trefferliste als CSV" in html
    newest = _html(app, "/dataset?sort=metadata_created+desc")
    positions = [newest.index(f"/dataset/{name}\"") for name in ("wahlergebnisse", "parkanlagen", "baumkataster")]
    assert positions == sorted(positions)   # the last created first


def _rows(app: Any, url: str) -> list[list[str]]:
    response = app.get(url)
    assert response.headers["Content-Type"].startswith("text/csv")
    assert "trefferliste.csv" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def test_hit_list_keeps_the_filters_in_german_and_formula_safe(app: Any, catalogue: dict[str, Any],
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    rows = _rows(app, "/dataset/trefferliste.csv?vocab_handlungsfeld=umwelt&sort=title_string+asc")
    assert rows[0][:3] == ["Titel", "Adresse", "Organisation"] and "Metadaten geändert" in rows[0]
    titles = [row[0] for row in rows[1:]]
    assert titles == ["'=HYPERLINK(\"x\") Parks", "Baumkataster"]   # no Wahlergebnisse, no private one
    parks = rows[1]
    assert parks[1] == "http://test.ckan.net/dataset/parkanlagen" and parks[2] == "Umweltamt"
    assert parks[3] == 'Grün; "Parks" und mehr' and parks[4] == "Umwelt- und Klimaschutz"
    assert rows[2][8:10] == ["2020-01-01", "2023-12-31"]
    assert len(_rows(app, "/dataset/trefferliste.csv?q=Wahlergebnisse")) == 2
    check_hit_list_with_a_bad_filter_is_no_500(app, catalogue)
    check_hit_list_is_bounded(app, catalogue, monkeypatch)


def check_hit_list_is_bounded(app: Any, catalogue: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reuse, "MAX_HIT_ROWS", 2)
    monkeypatch.setattr(reuse, "PAGE", 1)
    assert len(_rows(app, "/dataset/trefferliste.csv")) == 1 + 2


def check_hit_list_with_a_bad_filter_is_no_500(app: Any, catalogue: dict[str, Any]) -> None:
    rows = _rows(app, "/dataset/trefferliste.csv?q=%22unclosed&tags=%22%29%28")
    assert rows[0][0] == "Titel"


def _check_sitemap(root: ET.Element, kind: str) -> list[str]:
    """sitemaps.org 0.9: the root, only <loc>/<lastmod> children, absolute URLs, W3C dates, ≤ 50,000."""
    assert root.tag == f"{SM}{kind}"
    child = "url" if kind == "urlset" else "sitemap"
    entries = list(root)
    assert 0 < len(entries) <= 50_000
    locations = []
    for entry in entries:
        assert entry.tag == f"{SM}{child}"
        assert {e.tag for e in entry} <= {f"{SM}loc", f"{SM}lastmod", f"{SM}changefreq", f"{SM}priority"}
        loc = entry.findtext(f"{SM}loc")
        assert loc and len(loc) < 2048 and urlparse(loc).scheme in ("http", "https") and urlparse(loc).netloc
        lastmod = entry.findtext(f"{SM}lastmod")
        assert lastmod is None or re.fullmatch(r"\d{4}-\d{2}-\d{2}", lastmod)
        locations.append(loc)
    return locations


def test_sitemap_lists_public_datasets_and_main_pages(app: Any, catalogue: dict[str, Any],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    response = app.get("/sitemap.xml")
    assert response.headers["Content-Type"].startswith("application/xml")
    locations = _check_sitemap(ET.fromstring(response.get_data()), "urlset")
    assert "http://test.ckan.net/dataset/baumkataster" in locations
    assert "http://test.ckan.net/dataset/geheim" not in locations
    assert "http://test.ckan.net/handlungsfeld/umwelt" in locations and "http://test.ckan.net/" in locations
    assert len(locations) == len(set(locations))
    check_robots_txt_points_to_the_sitemap(app)
    check_sitemap_becomes_an_index_above_the_limit(app, catalogue, monkeypatch)


def check_sitemap_becomes_an_index_above_the_limit(app: Any, catalogue: dict[str, Any],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    every = _check_sitemap(ET.fromstring(app.get("/sitemap.xml").get_data()), "urlset")
    monkeypatch.setattr(reuse, "SITEMAP_URLS", 10)
    parts = _check_sitemap(ET.fromstring(app.get("/sitemap.xml").get_data()), "sitemapindex")
    assert len(parts) == -(-len(every) // 10)
    joined = []
    for part in parts:
        joined += _check_sitemap(ET.fromstring(app.get(urlparse(part).path).get_data()), "urlset")
    assert joined == every
    app.get(f"/sitemap-{len(parts) + 1}.xml", status=404)


def check_robots_txt_points_to_the_sitemap(app: Any) -> None:
    text = app.get("/robots.txt").get_data(as_text=True)
    assert "Sitemap: http://test.ckan.net/sitemap.xml" in text and "Disallow: /api/" in text


def test_dataset_page_cites_offers_the_api_and_similar_datasets(app: Any, catalogue: dict[str, Any]) -> None:
    check_dataset_page_has_citation_with_the_data_dates_apart(app, catalogue)
    check_citation_files_of_private_or_unknown_datasets_are_404(app, catalogue)
    check_api_box_names_package_show_datastore_and_dcat(app, catalogue)
    check_similar_datasets_are_visible_others_never_the_dataset_itself(app, catalogue)
    check_schema_org_markup_and_canonical_link_on_the_dataset_page(app, catalogue)
