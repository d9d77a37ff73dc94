"""Security headers on every answer of the portal (a reverse proxy may add more, never needs to).

The Content-Security-Policy allows only the portal's own scripts. CKAN's resource
forms and API-token page use inline event handlers; only those staff pages get
``'unsafe-inline'`` for scripts, so public pages keep the strict policy.

Answers that do not pass through Flask get the same headers from :func:`fixed_headers`:
``/healthz`` (``server/health.py``) and the static files WhiteNoise serves (``server/static.py``).
An answer that sets a cookie is never ``public``: a shared cache would hand one
visitor's session to the next.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

import ckan.plugins.toolkit as tk
from flask import Blueprint, Response, current_app, request, session

from ckanext.hamm import config

__all__ = ["hamm_headers", "fixed_headers"]

hamm_headers = Blueprint("hamm_headers", __name__)

FIXED = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "SAMEORIGIN",
}
INLINE_SCRIPT_VIEWS = frozenset({"new", "edit", "new_view", "edit_view", "views", "view"})


def needs_inline_scripts(endpoint: str) -> bool:
    blueprint, _, view = endpoint.rpartition(".")
    return (blueprint.endswith("resource") and view in INLINE_SCRIPT_VIEWS) or endpoint == "user.api_tokens"


def allow_map_images(policy: str, hosts: Iterable[str]) -> str:
    """WMS previews load their map images straight from the city's map hosts (any port)."""
    sources = " ".join(f"{host}:*" for host in sorted(hosts))
    if not sources:
        return policy
    return re.sub(r"(img-src[^;]*)", lambda match: f"{match.group(1)} {sources}", policy, count=1)


def fixed_headers() -> dict[str, str]:
    """The headers of every answer outside Flask (no inline scripts, no map images needed there)."""
    headers = dict(FIXED)
    policy = config.content_security_policy()
    if policy:
        headers["Content-Security-Policy"] = policy
    return headers


def sets_cookie(response: Response) -> bool:
    """Whether the answer will carry a cookie (Flask saves the session after these hooks run)."""
    if "Set-Cookie" in response.headers:
        return True
    return bool(current_app.session_interface.should_set_cookie(current_app, session))


@hamm_headers.after_app_request
def no_shared_cache_with_a_cookie(response: Response) -> Response:
    """CKAN marks anonymous answers ``public`` after this hook, unless ``__no_cache__`` is set."""
    if sets_cookie(response):
        request.environ["__no_cache__"] = True
        response.cache_control.no_store = True
        response.cache_control.public = False
    return response


@hamm_headers.after_app_request
def add_security_headers(response: Response) -> Response:
    for name, value in FIXED.items():
        response.headers.setdefault(name, value)
    policy = config.content_security_policy()
    if policy and "Content-Security-Policy" not in response.headers:
        if needs_inline_scripts(tk.request.endpoint or ""):
            policy = policy.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
        policy = allow_map_images(policy, config.preview_map_hosts())
        response.headers["Content-Security-Policy"] = policy
    return response
