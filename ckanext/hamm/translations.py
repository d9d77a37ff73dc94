"""Compile the ``ckanext-hamm`` message catalogues (``i18n/<lang>/LC_MESSAGES/*.po`` → ``.mo``).

The ``.mo`` files are build output (git-ignored): ``make install`` runs
``python -m ckanext.hamm.translations`` and the browser tests call
:func:`compile_catalogs` so a fresh checkout is never untranslated.
"""
from __future__ import annotations

import sys
from pathlib import Path

from babel.messages import mofile, pofile

I18N = Path(__file__).resolve().parent / "i18n"
DOMAIN = "ckanext-hamm"


def compile_catalogs(folder: Path = I18N) -> list[Path]:
    """Write a ``.mo`` next to every ``.po`` that is newer than it; return what was written."""
    written = []
    for po_path in sorted(folder.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as source:
            catalog = pofile.read_po(source, locale=po_path.parent.parent.name)
        with mo_path.open("wb") as target:
            mofile.write_mo(target, catalog)
        written.append(mo_path)
    return written


if __name__ == "__main__":
    for path in compile_catalogs():
        print(f"compiled {path.relative_to(I18N.parent.parent.parent)}")
    sys.exit(0)
