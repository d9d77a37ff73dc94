"""Staff page: an organisation's datasets that are "nicht an GovData lieferbar", and why."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from flask import Blueprint

__all__ = ["hamm_delivery"]

hamm_delivery = Blueprint("hamm_delivery", __name__)


def undeliverable(id: str) -> str:
    context = {"user": tk.current_user.name if tk.current_user.is_authenticated else ""}
    try:
        organization = tk.get_action("organization_show")(context, {"id": id, "include_datasets": False})
        result = tk.get_action("hamm_dcat_undeliverable_list")(context, {"id": organization["id"]})
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Organisation not found"))
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only editors of the organisation can see this list."))
    return tk.render("hamm/dcat_undeliverable.html", {
        "organization": organization, "datasets": result["results"], "count": result["count"]})


hamm_delivery.add_url_rule("/organization/<id>/govdata", "list", undeliverable)
