"""What counts as a link — one rule for pages, the quality score, DCAT, the harvester and
the RVR publisher, so a URL one part accepts is never refused or dropped by another."""
from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

WEB_SCHEMES = ("http", "https")
LINK_SCHEMES = (*WEB_SCHEMES, "ftp")  # resource downloads may still be ftp
MAX_URL_CHARS = 2000  # longer ones are not links but pasted data (browsers and catalogues cut them)


def _has_scheme(value: Any, schemes: tuple[str, ...]) -> bool:
    if not isinstance(value, str) or not value.strip() or len(value) >= MAX_URL_CHARS:
        return False
    text = value.strip()
    if any(ch.isspace() for ch in text):
        return False
    parts = urlsplit(text)
    return parts.scheme.lower() in schemes and bool(parts.netloc) and parts.netloc[0] not in "$.?#"


def is_web_url(value: Any) -> bool:
    """An http(s) address with a host: only such links go into ``href`` and into remote catalogues."""
    return _has_scheme(value, WEB_SCHEMES)


def is_link(value: Any) -> bool:
    """An http(s) or ftp address with a host (``javascript:``/``data:`` never are)."""
    return _has_scheme(value, LINK_SCHEMES)
