"""Failures of reading a remote address, in words a city employee understands (German first, English second).

Every failure below the callers is one of these; callers record ``str(error)``
once and never echo raw exception text or remote content.
"""
from __future__ import annotations

from ckanext.hamm.errors import BilingualError


class HammHarvestError(BilingualError):
    """A harvest failure with a German and an English explanation."""


class HammFetchError(HammHarvestError):
    """The remote catalogue could not be read safely."""


class HammPolicyError(HammFetchError):
    """A URL was refused by the fetch policy (scheme, host or address)."""


class HammContentError(HammFetchError):
    """The remote answer was not what was asked for (HTML, broken JSON/RDF, too big)."""


def shorten(text: object, limit: int = 120) -> str:
    """Sanitise and cap remote strings before they reach logs or reports."""
    value = "".join(ch if ch.isprintable() else "?" for ch in str(text))
    return value if len(value) <= limit else value[: limit - 1] + "…"
