"""Static files of CKAN and the plugins, answered by WhiteNoise before CKAN's request handling.

No session and no database for a stylesheet; the answers carry the same security headers as
pages (``views/headers.py``), which WhiteNoise alone would not send (issue 26).
"""
from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any

from whitenoise import WhiteNoise


def _add_security_headers(headers: Any, path: str, url: str) -> None:
    from ckanext.hamm.views.headers import fixed_headers

    for name, value in fixed_headers().items():
        headers.setdefault(name, value)


def serve_static(app: Any, folders: Iterable[str]) -> WhiteNoise:
    """``app`` behind WhiteNoise for the given static folders (Flask's order: the first wins)."""
    static = WhiteNoise(app, autorefresh=False, max_age=3600, add_headers_function=_add_security_headers)
    # WhiteNoise keeps the last file added under a URL, so add them in reverse to get Flask's winner.
    for folder in reversed([f for f in folders if f and os.path.isdir(f)]):
        if not folder.rstrip("/").endswith("/storage"):  # uploads change: CKAN serves them
            static.add_files(folder)
    return static
