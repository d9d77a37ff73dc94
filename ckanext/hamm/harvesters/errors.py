"""Harvest failures in words a city employee understands (German first, English second).

Every failure below the stages is one of these; the stages record ``str(error)``
once and never echo raw exception text or remote content.
"""
from __future__ import annotations


class HammHarvestError(Exception):
    """A harvest failure with a German and an English explanation."""

    def __init__(self, de: str, en: str) -> None:
        super().__init__(f"{de} / {en}")
        self.de = de
        self.en = en


class HammFetchError(HammHarvestError):
    """The remote catalogue could not be read safely."""


class HammPolicyError(HammFetchError):
    """A URL was refused by the fetch policy (scheme, host or address)."""


class HammContentError(HammFetchError):
    """The remote answer was not what was asked for (HTML, broken JSON/RDF, too big)."""


class HammConfigError(HammHarvestError):
    """The harvest source configuration is invalid."""


class HammShrinkError(HammHarvestError):
    """Too many datasets vanished at once; nothing was withdrawn."""


def shorten(text: object, limit: int = 120) -> str:
    """Sanitise and cap remote strings before they reach logs or reports."""
    value = "".join(ch if ch.isprintable() else "?" for ch in str(text))
    return value if len(value) <= limit else value[: limit - 1] + "…"


class HammRecordError(HammHarvestError):
    """One remote record has the wrong shape; it is skipped and its local dataset left as it is."""

    def __init__(self, label: str, problems: list[str]) -> None:
        what, details = shorten(label, 80), shorten("; ".join(problems), 300)
        super().__init__(
            f"Der Datensatz „{what}“ der Quelle ist fehlerhaft ({details}) und wurde nicht übernommen; "
            f"der Datensatz in Hamm bleibt unverändert.",
            f"The source's record “{what}” is malformed ({details}) and was not imported; "
            f"the dataset in Hamm is left unchanged.")
