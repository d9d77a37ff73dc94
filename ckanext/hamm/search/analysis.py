"""German-aware text analysis shared by indexing and querying.

Citizens type "Strassen" for "Straßen" and "Gruenflaechen" for "Grünflächen",
or drop the umlaut dots altogether. Both the document and the query are folded
the same way, into two spellings (``ä→ae`` and ``ä→a``, ``ß→ss``), so any of
the three ways of writing a word meets the other two.
"""
from __future__ import annotations

import re
import unicodedata

_UMLAUTS_LONG = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_UMLAUTS_SHORT = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss"})
_TOKEN_RE = re.compile(r"\w+", re.UNICODE)


def _strip_accents(text: str) -> str:
    if text.isascii():  # most text, once the umlauts are spelled out: nothing to decompose
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold_variants(text: str) -> tuple[str, str]:
    """Lower-case ``text`` and return its two umlaut spellings (long, short)."""
    lowered = text.lower()
    if not lowered.isascii():
        lowered = unicodedata.normalize("NFC", lowered)
    return (
        _strip_accents(lowered.translate(_UMLAUTS_LONG)),
        _strip_accents(lowered.translate(_UMLAUTS_SHORT)),
    )


_UNFOLD = (("ae", "ä"), ("oe", "ö"), ("ue", "ü"))


def umlaut_spellings(word: str) -> list[str]:
    """``word`` and the umlaut/ß spellings it may stand for ("Strassenbaeume" → "straßenbäume").

    The compound dictionary knows words only as they are written; a citizen's
    "ae" is looked up as "ä" too (and "ss" as "ß"). Wrong guesses are harmless:
    the dictionary does not know them.
    """
    lowered = word.lower()
    restored = lowered
    for folded, umlaut in _UNFOLD:
        restored = restored.replace(folded, umlaut)
    return list(dict.fromkeys([lowered, restored, restored.replace("ss", "ß")]))


def tokens(text: str) -> list[str]:
    """Folded word tokens of ``text`` (both spellings, order kept, no duplicates)."""
    seen: dict[str, None] = {}
    for variant in fold_variants(text):
        for token in _TOKEN_RE.findall(variant):
            seen.setdefault(token, None)
    return list(seen)


def folded_text(text: str) -> str:
    """Both folded spellings of ``text`` as one string, for ``to_tsvector('simple', …)``."""
    long_form, short_form = fold_variants(text)
    return long_form if long_form == short_form else f"{long_form} {short_form}"
