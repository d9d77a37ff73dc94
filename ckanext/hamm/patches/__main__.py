"""``python -m ckanext.hamm.patches [--strict]``: each workaround against the installed upstream.

Run by ``make install``: prints one line per workaround and a loud warning for each whose
upstream distribution is at another version than the one it was written for. Exit status
0 (an upgrade is not an install failure) unless ``--strict`` is given.
"""
from __future__ import annotations

import sys

from ckanext.hamm.patches import DOC, WORKAROUNDS, check, installed_version


def main(argv: list[str]) -> int:
    mismatches = {m.workaround.name: m for m in check()}
    for w in WORKAROUNDS:
        state = "DIFFERS" if w.name in mismatches else "ok"
        print(f"{state:7} {w.name:24} {w.distribution} {w.version} (installed: "
              f"{installed_version(w.distribution) or 'none'})")
    for mismatch in mismatches.values():
        print(f"WARNING {mismatch.message()}", file=sys.stderr)
    if mismatches:
        print(f"WARNING {len(mismatches)} upstream workaround(s) were written for other versions: see {DOC}",
              file=sys.stderr)
    return 1 if mismatches and "--strict" in argv else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
