"""The takeover button's endpoint: POST /dataset/<id>/rvr-takeover (editors, CSRF-checked)."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from flask import Blueprint
from werkzeug.wrappers import Response

from ckanext.hamm.views import form_action

hamm_rvr_takeover = Blueprint("hamm_rvr_takeover", __name__)


@hamm_rvr_takeover.route("/dataset/<id>/rvr-takeover", methods=["POST"])
def takeover(id: str) -> Response:
    result = form_action.run("hamm_rvr_takeover", {"id": id},
                             tk._("Only editors of the organisation can take over this dataset."))
    if isinstance(result, Response):
        return result
    tk.h.flash_success(tk._("The dataset is now maintained in Hamm. The next publish run updates it at "
                            "opendata.ruhr; the RVR harvest no longer changes it."))
    return tk.redirect_to("dataset.read", id=id)
