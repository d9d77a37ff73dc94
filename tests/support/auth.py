"""Whether a user passes an auth function: the role matrices of several areas ask this."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.tests import helpers


def allowed(auth: str, user: str, **data) -> bool:
    """True when ``auth`` lets ``user`` (a name, "" for a visitor) do it with ``data``."""
    try:
        helpers.call_auth(auth, {"user": user, "model": model}, **data)
    except tk.NotAuthorized:
        return False
    return True
