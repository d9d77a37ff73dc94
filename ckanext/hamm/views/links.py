"""Staff page: an organisation's broken links and overdue datasets (``hamm_link_report``)."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from flask import Blueprint

__all__ = ["hamm_links"]

hamm_links = Blueprint("hamm_links", __name__)


def report(id: str) -> str:
    context = {"user": tk.current_user.name if tk.current_user.is_authenticated else ""}
    try:
        organization = tk.get_action("organization_show")(context, {"id": id, "include_datasets": False})
        result = tk.get_action("hamm_link_report")(context, {"organization": organization["id"]})
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Organisation not found"))
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only staff of the organisation can see its link report."))
    return tk.render("hamm/link_report.html", {"organization": organization, "report": result})


hamm_links.add_url_rule("/organization/<id>/links", "report", report)
