"""The categories of a "Fehler melden" report with their labels in the current language."""
from __future__ import annotations

import ckan.plugins.toolkit as tk

from ckanext.hamm.model.report import CATEGORIES


def category_options() -> list[tuple[str, str]]:
    """Report categories with their labels in the current language."""
    labels = {
        "content": tk._("The data are wrong or outdated"),
        "link": tk._("A link or download does not work"),
        "metadata": tk._("The description is incomplete or unclear"),
        "licence": tk._("Licence or usage rights are unclear"),
        "other": tk._("Something else"),
    }
    return [(value, labels[value]) for value in CATEGORIES]
