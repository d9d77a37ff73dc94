"""Template helpers for city staff: open problem reports on the organisation page and the
dashboard (only for people allowed to work on them)."""
from __future__ import annotations

from typing import Any, Optional

import ckan.plugins.toolkit as tk

__all__ = ["hamm_get_report_counts"]


def _context() -> dict[str, Any]:
    user = tk.current_user
    return {"user": user.name if user.is_authenticated else "", "auth_user_obj": user}


def hamm_get_report_counts(organization_id: Optional[str] = None) -> Optional[dict[str, Any]]:
    """Reports per status of one organisation, or of every organisation the user works for
    (``organization_id`` left out); None for people who may not see them."""
    if not tk.current_user.is_authenticated:
        return None
    data = {"id": organization_id} if organization_id else {}
    try:
        return tk.get_action("hamm_report_counts")(_context(), data)
    except (tk.NotAuthorized, tk.ObjectNotFound):
        return None
