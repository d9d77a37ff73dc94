"""The main navigation: which item is the current section, said to screen readers, too.

CKAN's ``build_nav_main`` marks a whole blueprint active, so the persona and target-group
pages (same blueprint as the Handlungsfelder) highlighted "Handlungsfelder", and it sets
no ``aria-current``.
"""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from flask import request
from markupsafe import Markup, escape

from ckanext.hamm.vocabularies.store import current_language

__all__ = ["hamm_build_nav_main", "hamm_list_other_languages"]


def _is_current(endpoint: str, highlights: tuple[str, ...]) -> bool:
    current = request.endpoint or ""
    if current == endpoint:
        return True
    return any(current == item or (item.endswith(".") and current.startswith(item)) for item in highlights)


def hamm_build_nav_main(*items: Any) -> Markup:
    """``<li><a>`` per ``(endpoint, title, highlights)``; highlights are endpoints or ``blueprint.`` prefixes."""
    output = Markup("")
    for endpoint, title, *rest in items:
        highlights = tuple(rest[0]) if rest else ()
        current = _is_current(endpoint, highlights)
        attrs = Markup(' aria-current="page"') if request.endpoint == endpoint else (
            Markup(' aria-current="true"') if current else Markup(""))
        output += Markup('<li{}><a class="nav-link" href="{}"{}>{}</a></li>').format(
            Markup(' class="active"') if current else Markup(""), tk.h.url_for(endpoint), attrs, escape(title))
    return output


LANGUAGE_NAMES = {"de": "Deutsch", "en": "English"}


def hamm_list_other_languages() -> list[dict[str, str]]:
    """The current page in the other offered languages (for the header's language links)."""
    current = current_language()
    offered = [locale.short_name for locale in tk.h.get_available_locales()]
    return [{"code": code, "name": LANGUAGE_NAMES.get(code, code),
             "url": tk.h.url_for(tk.h.current_url(), locale=code)}
            for code in offered if code != current and code in LANGUAGE_NAMES]
