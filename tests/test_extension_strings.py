"""Every text of ckanext-spatial's templates that our pages include is German.

ckanext-spatial ships no German catalogue; our ``ckanext-hamm.po`` carries its strings
(CKAN merges every plugin's catalogue). "Filter by location" stood in English on /dataset.
"""
from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

from babel.messages.pofile import read_po

REPO = Path(__file__).resolve().parent.parent
PO = REPO / "ckanext/hamm/i18n/de/LC_MESSAGES/ckanext-hamm.po"
INCLUDED = ("spatial/snippets/spatial_query.html", "spatial/snippets/dataset_map_base.html")


def test_the_spatial_snippets_we_include_read_german() -> None:
    with PO.open("rb") as handle:
        catalogue = read_po(handle)
    templates = resources.files("ckanext.spatial") / "templates"
    texts = {text for name in INCLUDED
             for text in re.findall(r"_\(\s*['\"]([^'\"]+)['\"]\s*\)", (templates / name).read_text())}
    assert "Filter by location" in texts
    missing = sorted(t for t in texts if not (catalogue.get(t) and catalogue.get(t).string))
    assert missing == []
