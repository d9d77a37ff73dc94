"""``/impressum``, ``/datenschutz``, ``/kontakt``: the portal's legal pages, texts the city edits
(ckanext/hamm/page_texts.py)."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from flask import Blueprint

from ckanext.hamm.page_texts import PAGES, page_text
from ckanext.hamm.vocabularies.store import current_language

__all__ = ["hamm_legal"]

hamm_legal = Blueprint("hamm_legal", __name__)


def show(page: str) -> str:
    found = page_text(page, current_language())
    if found is None:
        return tk.abort(404, tk._("Page not found"))
    return tk.render("hamm/legal_page.html", {"page": page, "title": found["title"], "body": found["body"]})


for _page in PAGES[:3]:
    hamm_legal.add_url_rule(f"/{_page}", _page, show, defaults={"page": _page})
