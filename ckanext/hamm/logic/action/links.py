"""A department's link report: broken links, links failing since the last check, overdue datasets."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context, DataDict

from ckanext.hamm import config as hamm_config
from ckanext.hamm.checks import freshness
from ckanext.hamm.checks import run as link_checks
from ckanext.hamm.dataset.origin import made_here

__all__ = ["hamm_link_report"]

PAGE = 1000


def _datasets(context: Context, org_id: str) -> list[dict[str, Any]]:
    """The organisation's datasets as the caller sees them (private ones included for its staff)."""
    found: list[dict[str, Any]] = []
    while True:
        page = tk.get_action("package_search")(
            {"user": context.get("user"), "auth_user_obj": context.get("auth_user_obj")},
            {"fq": f'owner_org:"{org_id}"', "rows": PAGE, "start": len(found), "include_private": True,
             "sort": "name asc"})
        found += page["results"]
        if not page["results"] or len(found) >= page["count"]:
            return found


@tk.side_effect_free
def hamm_link_report(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Broken and failing links and overdue datasets of one organisation, for its staff.

    ``harvested``: the record came from another catalogue, so its fix belongs to the source
    (it is reported, never withdrawn).

    :param organization: organisation id or name
    """
    ref = data_dict.get("organization")
    if not isinstance(ref, str) or not ref.strip():
        raise tk.ValidationError({"organization": [
            "Bitte eine Organisation angeben (id oder Name). / Please name an organization (id or name)."]})
    tk.check_access("hamm_link_report", context, data_dict)
    org = model.Group.get(ref)
    if org is None or not org.is_organization or org.state != "active":
        raise tk.ObjectNotFound("Organisation nicht gefunden / organization not found")
    today = link_checks.now_and_today()[1]
    grace = hamm_config.freshness_grace_days()
    report: dict[str, Any] = {"organization": org.name, "broken": [], "failing": [], "overdue": [],
                              "checked": 0, "resources": 0}
    for pkg in _datasets(context, org.id):
        resources = [r for r in pkg.get("resources") or [] if isinstance(r, dict)]
        harvested = not made_here(pkg)
        states = link_checks.states(resources)
        for resource in resources:
            state = states.get(resource.get("id") or "", {})
            report["resources"] += 1
            report["checked"] += state.get("state") not in (None, "unchecked")
            if state.get("state") in ("broken", "failing"):
                report[state["state"]].append({
                    "dataset": pkg["name"], "title": pkg.get("title") or pkg["name"],
                    "resource_id": resource["id"], "resource": resource.get("name") or "", "url": resource.get("url"),
                    "outcome": state["outcome"], "status": state["status"], "checked_at": state["checked_at"],
                    "detail": state["detail"], "harvested": harvested})
        late = freshness.overdue(pkg, today, grace)
        if late:
            report["overdue"].append({"dataset": pkg["name"], "title": pkg.get("title") or pkg["name"],
                                      "harvested": harvested, **late})
    report["overdue"].sort(key=lambda item: -item["days_over"])
    return report
