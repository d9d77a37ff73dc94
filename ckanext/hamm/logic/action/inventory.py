"""Actions of the Dateninventur's workflow (rules and roles in ``inventory/workflow.py``)."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context, DataDict

from ckanext.hamm.inventory import workflow
from ckanext.hamm.model import inventory_history as history

__all__ = ["hamm_inventar_transition", "hamm_inventar_history"]


def _package(data_dict: DataDict) -> model.Package:
    package = model.Package.get(str(data_dict.get("id") or ""))
    if package is None or package.state == "deleted" or package.type != "dataset":
        raise tk.ObjectNotFound(tk._("Dataset not found"))
    return package


def hamm_inventar_transition(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Take the next workflow step of an inventory entry.

    :param id: the dataset's id or name
    :param to: the target state (``geprueft``, ``freigegeben``, ``veroeffentlicht``)
    :param entscheidung: for ``geprueft``: ``veroeffentlichbar`` or ``nicht-veroeffentlichbar``
    :param kommentar: an optional note kept in the history
    :returns: id, name, the new ``inventar_status`` and the history
    """
    tk.check_access("hamm_inventar_transition", context, data_dict)
    package = _package(data_dict)
    user = model.User.get(context.get("user") or "")
    if user is None:
        raise tk.NotAuthorized(tk._("Please log in."))
    note = str(data_dict.get("kommentar") or "").strip()[:2000]
    return workflow.take(user, package, str(data_dict.get("to") or ""), data_dict.get("entscheidung"), note)


@tk.side_effect_free
def hamm_inventar_history(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """The workflow steps of a dataset, oldest first (for whoever may read the dataset).

    :param id: the dataset's id or name
    """
    tk.check_access("hamm_inventar_history", context, data_dict)
    return history.steps(_package(data_dict).id)
