"""The production process set: WSGI entry point, gunicorn settings, scheduler.

``Procfile`` beside this file names every process once; ``make demo`` runs it
through honcho and the systemd units in ``deploy/`` run the same commands
(``tests/server/test_procfile.py`` keeps them equal).
"""
from __future__ import annotations

from pathlib import Path

PROCFILE = Path(__file__).with_name("Procfile")


def procfile() -> dict[str, str]:
    """Process name → command, in the order of the Procfile."""
    processes: dict[str, str] = {}
    for line in PROCFILE.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, command = line.split(":", 1)
            processes[name.strip()] = command.strip()
    return processes
