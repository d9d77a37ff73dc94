"""Auth of the Dateninventur's workflow: the step's role in the owning organisation (``inventory/workflow.py``)."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import AuthResult, Context, DataDict

from ckanext.hamm.inventory import visibility, workflow

__all__ = ["hamm_inventar_transition", "hamm_inventar_history"]


def hamm_inventar_transition(context: Context, data_dict: DataDict) -> AuthResult:
    user = model.User.get(context.get("user") or "") if context.get("user") else None
    package = model.Package.get(str(data_dict.get("id") or ""))
    if package is None:
        return {"success": False, "msg": tk._("Dataset not found")}
    if workflow.may_take(user, package, data_dict.get("to")):
        return {"success": True}
    return {"success": False, "msg": "Diesen Schritt dürfen Sie bei diesem Datensatz nicht ausführen. / "
                                     "You may not take this step for this dataset."}


@tk.auth_allow_anonymous_access
def hamm_inventar_history(context: Context, data_dict: DataDict) -> AuthResult:
    """City staff who may read the dataset: the notes and account names of the workflow are the
    administration's, also once the entry is published (issue 26)."""
    user = model.User.get(context.get("user") or "") if context.get("user") else None
    try:
        tk.check_access("package_show", dict(context), {"id": data_dict.get("id")})
    except (tk.NotAuthorized, tk.ObjectNotFound):
        return {"success": False, "msg": tk._("You are not allowed to see this dataset.")}
    if not visibility.is_staff(user):
        return {"success": False, "msg": "Der Verlauf der Dateninventur ist für Mitarbeitende der Stadt. / "
                                         "The inventory history is for city staff."}
    return {"success": True}
