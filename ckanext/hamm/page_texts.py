"""The texts of the portal's own pages (Impressum, Datenschutz, Kontakt, "Über uns") that the city edits.

Markdown files ``<page>.<lang>.md`` in ``ckanext.hamm.pages.directory``, by default the
German templates shipped in ``schemas/pages``. They are read on each request (small
files), so an edit shows without a restart; HTML in them is stripped by CKAN's
Markdown renderer.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

import ckan.plugins.toolkit as tk

from ckanext.hamm import config as hamm_config
from ckanext.hamm.vocabularies.store import SCHEMAS

PAGES = ("impressum", "datenschutz", "kontakt", "about")


def directory() -> Path:
    return Path(hamm_config.pages_directory() or SCHEMAS / "pages")


def page_text(page: str, lang: str) -> Optional[dict[str, Any]]:
    """Title and rendered body of a page in ``lang`` (else German); None when there is no file."""
    folder = directory()
    for candidate in (lang, "de"):
        path = folder / f"{page}.{candidate}.md"
        if path.is_file():
            text = path.read_text(encoding="utf-8").strip()
            first, _, body = text.partition("\n")
            title = first.lstrip("# ").strip() if first.startswith("# ") else ""
            return {"title": title, "body": tk.h.render_markdown(body if title else text)}
    return None
