"""One base for the failures a person reads: German first, English second ("deutsch / english").

The harvester's and the fetch client's errors (``net/errors.py``), the RVR publisher's
(``publish/remote.py``) and the inventory spreadsheet's (``inventory/spreadsheet.py``)
all carry both texts, so a page, a job report or a command can show either or both.
"""
from __future__ import annotations


class BilingualError(Exception):
    """``str()`` is ``"<de> / <en>"``; ``de`` and ``en`` hold the two texts."""

    def __init__(self, de: str, en: str) -> None:
        super().__init__(f"{de} / {en}")
        self.de = de
        self.en = en
