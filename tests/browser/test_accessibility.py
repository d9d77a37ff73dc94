"""axe-core on every page type a citizen meets, in German and English: 0 serious, 0 critical."""
from __future__ import annotations

import json
import urllib.request
from typing import Any

import pytest

from tests.browser.conftest import check_axe

PAGES = {
    "home": "/",
    "dataset search": "/dataset?vocab_handlungsfeld=umwelt",
    "dataset": "/dataset/baumkataster",
    "resource": "RESOURCE",
    "persona index": "/persona",
    "persona": "/persona/klimaaktive-buergerin",
    "handlungsfeld": "/handlungsfeld/umwelt",
    "zielgruppe": "/zielgruppe/buergerinnen",
    "report form": "/dataset/baumkataster/fehler-melden",
    "barrierefreiheit": "/barrierefreiheit",
    "impressum": "/impressum",
    "about": "/about",
}


def resource_path(base: str, dataset: str) -> str:
    with urllib.request.urlopen(f"{base}/api/3/action/package_show?id={dataset}") as response:
        resource = json.load(response)["result"]["resources"][0]
    return f"/dataset/{dataset}/resource/{resource['id']}"


@pytest.mark.parametrize("lang", ["de", "en"])
@pytest.mark.parametrize("label", list(PAGES))
def test_no_serious_or_critical_violations(portal: dict[str, Any], page: Any, axe_source: str,
                                           label: str, lang: str) -> None:
    path = PAGES[label]
    if path == "RESOURCE":
        path = resource_path(portal["url"], "baumkataster")
    prefix = "" if lang == "de" else "/en"
    response = page.goto(portal["url"] + prefix + path)
    assert response.status == 200
    assert page.get_attribute("html", "lang") == lang
    check_axe(page, axe_source, label, lang)
