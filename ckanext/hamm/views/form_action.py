"""A button's POST on the dataset page: run one action as the visitor, answer like a page.

Shared by the RVR takeover and the inventory workflow buttons: 403/404 as error pages, a
refused input (``ValidationError``) as a flash message back on the dataset page.
"""
from __future__ import annotations

from typing import Any, Optional, Union

import ckan.plugins.toolkit as tk
from werkzeug.wrappers import Response

from ckanext.hamm.views.csrf import require_csrf_token


def run(action: str, data: dict[str, Any], forbidden: str) -> Union[dict[str, Any], Response]:
    """The action's result, or the response to send instead (error page or redirect with a flash)."""
    require_csrf_token()
    context: dict[str, Any] = {"user": tk.current_user.name if tk.current_user.is_authenticated else ""}
    dataset_id: Optional[str] = data.get("id")
    try:
        return tk.get_action(action)(context, data)
    except tk.NotAuthorized:
        return tk.abort(403, forbidden)
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Dataset not found"))
    except tk.ValidationError as error:
        messages = [m for value in error.error_dict.values() for m in (value if isinstance(value, list) else [value])]
        tk.h.flash_error(" ".join(str(m) for m in messages))
        return tk.redirect_to("dataset.read", id=dataset_id)
