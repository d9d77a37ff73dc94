"""Harvest failures in words a city employee understands (German first, English second).

Every failure below the stages is one of these; the stages record ``str(error)``
once and never echo raw exception text or remote content.
"""
from __future__ import annotations

from ckanext.hamm.net.errors import HammHarvestError, shorten


class HammConfigError(HammHarvestError):
    """The harvest source configuration is invalid."""


class HammShrinkError(HammHarvestError):
    """Too many datasets vanished at once; nothing was withdrawn."""


class HammRecordError(HammHarvestError):
    """One remote record has the wrong shape; it is skipped and its local dataset left as it is."""

    def __init__(self, label: str, problems: list[str]) -> None:
        what, details = shorten(label, 80), shorten("; ".join(problems), 300)
        super().__init__(
            f"Der Datensatz „{what}“ der Quelle ist fehlerhaft ({details}) und wurde nicht übernommen; "
            f"der Datensatz in Hamm bleibt unverändert.",
            f"The source's record “{what}” is malformed ({details}) and was not imported; "
            f"the dataset in Hamm is left unchanged.")
