"""Template helpers for city staff: open problem reports and harvest sources on the
organisation page and the dashboard (only for people allowed to work on them)."""
from __future__ import annotations

from typing import Any, Optional

import ckan.authz as authz
import ckan.plugins as p
import ckan.plugins.toolkit as tk

__all__ = ["hamm_get_report_counts", "hamm_get_harvest_sources", "hamm_may_see_link_report"]


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


def hamm_may_see_link_report(organization_id: str) -> bool:
    """Whether the user works for the organisation (its link report is for its staff only)."""
    if not tk.current_user.is_authenticated:
        return False
    try:
        tk.check_access("hamm_link_report", _context(), {"organization": organization_id})
    except tk.NotAuthorized:
        return False
    return True


def hamm_get_harvest_sources(organization_id: Optional[str] = None) -> list[dict[str, Any]]:
    """Harvest sources of one organisation, or of every organisation the user edits for,
    with their last job; empty for everybody else (harvest metadata is staff-only)."""
    user = tk.current_user
    if not user.is_authenticated or not p.plugin_loaded("harvest"):
        return []
    if organization_id:
        if not (authz.is_sysadmin(user.name) or authz.has_user_permission_for_group_or_org(
                organization_id, user.name, "update_dataset")):
            return []
        org_ids = [organization_id]
    else:
        org_ids = [org["id"] for org in tk.get_action("organization_list_for_user")(
            _context(), {"permission": "update_dataset", "include_dataset_count": False})]
    from ckanext.hamm.harvesters.overview import sources_for_organizations

    return sources_for_organizations(org_ids)
