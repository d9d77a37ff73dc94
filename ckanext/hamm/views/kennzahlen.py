"""``/kennzahlen``: the portal's Smart-City-Kennzahlen as accessible charts, and as JSON."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from flask import Blueprint, jsonify

from ckanext.hamm.helpers.formatting import hamm_format_number
from ckanext.hamm.views.datarequest import status_labels

_ = tk._

__all__ = ["hamm_kennzahlen"]

hamm_kennzahlen = Blueprint("hamm_kennzahlen", __name__)


def _figures() -> dict[str, Any]:
    user = tk.current_user
    return tk.get_action("hamm_kennzahlen_show")(
        {"user": user.name if user.is_authenticated else "", "auth_user_obj": user}, {})


def _share_rows(figures: dict[str, Any]) -> list[dict[str, Any]]:
    """Shares with their base ("78,4 % von 144"): the freshness share counts fewer datasets."""
    shares = ((_("Open licence"), figures["open_license"]),
              (_("At least one machine-readable format"), figures["machine_readable"]),
              (_("Updated as often as declared"), figures["freshness"]))
    return [{"label": label, "value": share["share"],
             "base": _("of {n}").format(n=hamm_format_number(share["total"], digits=0))}
            for label, share in shares]


def _quality_rows(figures: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"label": row["title"], "value": row["average"],
             "base": tk.ungettext("over {n} dataset", "over {n} datasets", row["datasets"]).format(
                 n=hamm_format_number(row["datasets"], digits=0))}
            for row in figures["quality"]["organizations"]]


def index() -> str:
    figures = _figures()
    labels = status_labels()
    request_rows = [{"label": labels.get(status, status), "value": count}
                    for status, count in figures["datarequests"]["by_status"].items()]
    return tk.render("hamm/kennzahlen.html", {"figures": figures, "request_rows": request_rows,
                                              "usage": tk.get_action("hamm_usage_show")({"user": ""}, {}),
                                              "share_rows": _share_rows(figures),
                                              "quality_rows": _quality_rows(figures)})


def as_json() -> Any:
    figures = _figures()
    response = jsonify(figures)
    # staff's figures name internal entries: never in a shared cache
    detailed = "oldest_open_decisions" in figures.get("inventar", {})
    response.headers["Cache-Control"] = "private, no-store" if detailed else "public, max-age=300"
    return response


hamm_kennzahlen.add_url_rule("/kennzahlen", view_func=index, methods=["GET"])
hamm_kennzahlen.add_url_rule("/kennzahlen.json", view_func=as_json, methods=["GET"])
