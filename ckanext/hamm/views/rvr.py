"""The RVR buttons on a dataset page (editors, CSRF-checked).

- "Vorschlag bestätigen": POST /dataset/<id>/confirm-suggestion confirms the Handlungsfeld a
  harvest suggested;
- "Übernehmen": POST /dataset/<id>/rvr-takeover makes Hamm the master of a harvested dataset.
"""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from flask import Blueprint
from werkzeug.wrappers import Response

from ckanext.hamm.harvesters.suggestion import FIELD
from ckanext.hamm.views import form_action

hamm_harvest_suggestion = Blueprint("hamm_harvest_suggestion", __name__)
hamm_rvr_takeover = Blueprint("hamm_rvr_takeover", __name__)


@hamm_harvest_suggestion.route("/dataset/<id>/confirm-suggestion", methods=["POST"])
def confirm(id: str) -> Response:
    result = form_action.run("hamm_harvest_suggestion_confirm", {"id": id, "field": FIELD},
                             tk._("Only editors of the organisation can confirm this suggestion."))
    if isinstance(result, Response):
        return result
    tk.h.flash_success(tk._("Suggestion confirmed: later harvests no longer change the field of action."))
    return tk.redirect_to("dataset.read", id=id)


@hamm_rvr_takeover.route("/dataset/<id>/rvr-takeover", methods=["POST"])
def takeover(id: str) -> Response:
    result = form_action.run("hamm_rvr_takeover", {"id": id},
                             tk._("Only editors of the organisation can take over this dataset."))
    if isinstance(result, Response):
        return result
    tk.h.flash_success(tk._("The dataset is now maintained in Hamm. The next publish run updates it at "
                            "opendata.ruhr; the RVR harvest no longer changes it."))
    return tk.redirect_to("dataset.read", id=id)
