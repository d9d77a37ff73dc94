"""Template helpers for the Datenwunsch, the quality score and the Kennzahlen pages."""
from __future__ import annotations

import textwrap
from typing import Any, Iterable, Optional

import ckan.plugins.toolkit as tk

__all__ = ["hamm_build_options", "hamm_build_chart_rows", "hamm_wrap_label", "hamm_get_quality",
           "hamm_get_wanted_datarequests"]


def hamm_build_options(items: Iterable[Any], value_key: Optional[str] = None,
                       text_key: Optional[str] = None) -> list[dict[str, str]]:
    """``(value, text)`` pairs or dicts as options for CKAN's ``form.select`` macro."""
    options = []
    for item in items:
        if value_key:
            options.append({"value": str(item[value_key]), "text": str(item[text_key or value_key])})
        else:
            value, text = item
            options.append({"value": str(value), "text": str(text)})
    return options


def hamm_build_chart_rows(items: Iterable[dict[str, Any]], label_key: str, value_key: str) -> list[dict[str, Any]]:
    """Rows ``{label, value}`` for the ``hamm_bar_chart.html`` snippet."""
    return [{"label": item[label_key], "value": item[value_key]} for item in items]


def hamm_wrap_label(label: Any, width: int = 30) -> list[str]:
    """A chart label in lines of at most ``width`` characters: SVG text does not wrap by itself,
    and a cut label ("Mindestens ein maschinenles…") or one running off the chart is unreadable."""
    return textwrap.wrap(str(label), width, break_on_hyphens=False) or [""]


def _context() -> dict[str, Any]:
    user = tk.current_user
    return {"user": user.name if user.is_authenticated else "", "auth_user_obj": user}


def hamm_get_quality(pkg: dict[str, Any]) -> Optional[dict[str, Any]]:
    """The dataset's quality score for people who can edit it (they can fix it); else None."""
    try:
        tk.check_access("package_update", _context(), {"id": pkg["id"]})
        return tk.get_action("hamm_quality_show")(_context(), {"id": pkg["id"]})
    except (tk.NotAuthorized, tk.ObjectNotFound):
        return None


def hamm_get_wanted_datarequests(limit: int = 5) -> list[dict[str, Any]]:
    """The open data requests with the most votes (for the home page)."""
    try:
        return tk.get_action("hamm_datarequest_list")(
            _context(), {"status": "offen", "sort": "votes", "limit": limit})["results"]
    except Exception:
        return []
