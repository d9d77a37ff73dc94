"""One CSRF rule for every state-changing request to the portal.

CKAN 2.12 marks every anonymous request as "logged in via the auth header"
(``load_user_from_request``) and ``ckan_before_request`` then calls Flask-WTF's
process-wide ``csrf.exempt(view)``: after one anonymous GET of
``/dataset/edit/<name>`` a logged-in user's token-less POST there was accepted
until restart, and cookie-authenticated API calls never needed a token.

:func:`check_request` runs on every request after CKAN identified the user, so
the order of requests no longer matters: a POST/PUT/PATCH/DELETE of a user
logged in by the session cookie needs a valid token (form field or
``X-CSRFToken`` header). API-token clients send no cookies, so a forged page
cannot borrow their identity; they pass. The citizen forms (report a problem,
data requests) also check anonymous posts with :func:`require_csrf_token`.
"""
from __future__ import annotations

from typing import Any, Optional

import ckan.plugins.toolkit as tk
from flask import Blueprint, g, jsonify
from flask_wtf.csrf import CSRFError, validate_csrf
from wtforms.validators import ValidationError as FormValidationError

__all__ = ["hamm_csrf"]

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

hamm_csrf = Blueprint("hamm_csrf", __name__)


def token_client() -> bool:
    """Authenticated by the API token header (CKAN sets the flag for anonymous visitors too)."""
    return bool(g.get("login_via_auth_header")) and tk.current_user.is_authenticated


def has_valid_token() -> bool:
    field = tk.config.get("WTF_CSRF_FIELD_NAME") or "_csrf_token"
    token = tk.request.form.get(field) or tk.request.headers.get("X-CSRFToken")
    try:
        validate_csrf(token)
    except (CSRFError, FormValidationError):
        return False
    return True


def expired_message() -> str:
    return tk._("This form has expired. Please reload the page and try again.")


def require_csrf_token() -> None:
    """For the forms anonymous citizens post: abort with 400 unless the token is valid."""
    if not token_client() and not has_valid_token():
        tk.abort(400, expired_message())


@hamm_csrf.before_app_request
def check_request() -> Optional[Any]:
    """A state change by a session-authenticated user needs a valid token, whatever came before."""
    if tk.request.method not in UNSAFE_METHODS or not tk.asbool(tk.config.get("WTF_CSRF_ENABLED", True)):
        return None
    if not tk.current_user.is_authenticated or token_client() or has_valid_token():
        return None
    if tk.request.path.startswith("/api/"):
        message = tk._("Requests signed in by the browser session need a CSRF token (X-CSRFToken header) "
                       "or an API token.")
        response = jsonify({"success": False, "error": {"__type": "CSRF Error", "message": message}})
        response.status_code = 400
        return response
    return tk.abort(400, expired_message())
