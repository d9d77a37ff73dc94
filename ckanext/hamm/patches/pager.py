"""Give CKAN's pager arrows a name: its "previous"/"next" links contain only an icon.

Every list (datasets, organisations, data requests) pages through
``ckan.lib.pagination.Page.pager``, so its defaults are the one place to fix the
unnamed links (WCAG 2.4.4 / 4.1.2) instead of overriding each template.
"""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.lib import pagination
from dominate.util import raw
from markupsafe import Markup, escape

_ORIGINAL = pagination.Page.pager


def _symbol(icon: str, name: str) -> Any:
    """Icon plus hidden name; ``raw`` because the pager escapes plain strings (dominate)."""
    return raw(str(Markup('<i class="fa-solid {}" aria-hidden="true"></i><span class="visually-hidden">{}</span>')
                   .format(icon, escape(name))))


def pager(self: pagination.Page, *args: Any, **kwargs: Any) -> Markup:
    kwargs.setdefault("symbol_previous", _symbol("fa-chevron-left", tk._("Previous page")))
    kwargs.setdefault("symbol_next", _symbol("fa-chevron-right", tk._("Next page")))
    return _ORIGINAL(self, *args, **kwargs)


def install() -> None:
    """Replace the defaults once (idempotent)."""
    pagination.Page.pager = pager
