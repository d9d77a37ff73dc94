"""The "Vorschlag bestätigen" button's endpoint: POST /dataset/<id>/confirm-suggestion (editors, CSRF-checked)."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from flask import Blueprint
from werkzeug.wrappers import Response

from ckanext.hamm.views import form_action

from .suggestion import FIELD

hamm_harvest_suggestion = Blueprint("hamm_harvest_suggestion", __name__)


@hamm_harvest_suggestion.route("/dataset/<id>/confirm-suggestion", methods=["POST"])
def confirm(id: str) -> Response:
    result = form_action.run("hamm_harvest_suggestion_confirm", {"id": id, "field": FIELD},
                             tk._("Only editors of the organisation can confirm this suggestion."))
    if isinstance(result, Response):
        return result
    tk.h.flash_success(tk._("Suggestion confirmed: later harvests no longer change the field of action."))
    return tk.redirect_to("dataset.read", id=id)
