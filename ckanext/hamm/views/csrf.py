"""CSRF check for the forms anonymous citizens post (report a problem, data requests).

CKAN 2.12 switches Flask-WTF's check off for requests without a logged-in user
and then exempts that view for the rest of the process, so a public form would
accept forged posts. Views call :func:`require_csrf_token` before acting; only
API-token clients (no cookies, so no CSRF risk) pass without a token.
"""
from __future__ import annotations

from flask import g
from flask_wtf.csrf import CSRFError, validate_csrf
from wtforms.validators import ValidationError as FormValidationError

import ckan.plugins.toolkit as tk

__all__: list[str] = []


def require_csrf_token() -> None:
    """Abort with 400 unless the form (or the X-CSRFToken header) carries a valid token."""
    if tk.current_user.is_authenticated and g.get("login_via_auth_header"):
        return
    field = tk.config.get("WTF_CSRF_FIELD_NAME") or "_csrf_token"
    token = tk.request.form.get(field) or tk.request.headers.get("X-CSRFToken")
    try:
        validate_csrf(token)
    except (CSRFError, FormValidationError):
        tk.abort(400, tk._("This form has expired. Please reload the page and try again."))
