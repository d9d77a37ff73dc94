"""The takeover button's endpoint: POST /dataset/<id>/rvr-takeover (editors, CSRF-checked)."""
from __future__ import annotations

from typing import Any

from flask import Blueprint
from werkzeug.wrappers import Response

import ckan.plugins.toolkit as tk

from ckanext.hamm.views.csrf import require_csrf_token

hamm_rvr_takeover = Blueprint("hamm_rvr_takeover", __name__)


@hamm_rvr_takeover.route("/dataset/<id>/rvr-takeover", methods=["POST"])
def takeover(id: str) -> Response:
    require_csrf_token()
    context: dict[str, Any] = {"user": tk.current_user.name if tk.current_user.is_authenticated else ""}
    try:
        tk.get_action("hamm_rvr_takeover")(context, {"id": id})
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only editors of the organisation can take over this dataset."))
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Dataset not found"))
    except tk.ValidationError as error:
        messages = [m for value in error.error_dict.values() for m in (value if isinstance(value, list) else [value])]
        tk.h.flash_error(" ".join(str(m) for m in messages))
        return tk.redirect_to("dataset.read", id=id)
    tk.h.flash_success(tk._("The dataset is now maintained in Hamm. The next publish run updates it at "
                            "opendata.ruhr; the RVR harvest no longer changes it."))
    return tk.redirect_to("dataset.read", id=id)
