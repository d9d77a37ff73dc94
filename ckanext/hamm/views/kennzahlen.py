"""``/kennzahlen``: the portal's Smart-City-Kennzahlen as accessible charts, and as JSON."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify

import ckan.plugins.toolkit as tk

from ckanext.hamm.views.datarequest import status_labels

__all__ = ["hamm_kennzahlen"]

hamm_kennzahlen = Blueprint("hamm_kennzahlen", __name__)


def _figures() -> dict[str, Any]:
    user = tk.current_user
    return tk.get_action("hamm_kennzahlen_show")(
        {"user": user.name if user.is_authenticated else "", "auth_user_obj": user}, {})


def index() -> str:
    figures = _figures()
    labels = status_labels()
    request_rows = [{"label": labels.get(status, status), "value": count}
                    for status, count in figures["datarequests"]["by_status"].items()]
    return tk.render("hamm/kennzahlen.html", {"figures": figures, "request_rows": request_rows})


def as_json() -> Any:
    response = jsonify(_figures())
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


hamm_kennzahlen.add_url_rule("/kennzahlen", view_func=index, methods=["GET"])
hamm_kennzahlen.add_url_rule("/kennzahlen.json", view_func=as_json, methods=["GET"])
