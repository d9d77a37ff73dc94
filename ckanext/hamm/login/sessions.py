"""Sessions that end: signing out and a new password make every copied cookie worthless.

CKAN keeps the signed-in user in a signed cookie (``ckan``) and, for "Angemeldet bleiben",
in flask-login's ``remember_token``. Both carry only the user id, so a copy (a shared
computer, a leaked proxy log) kept working after sign-out and after a password change.

Now the id in the session is stamped: ``<user id>:<stamp>``, where the stamp is an HMAC
of the user id, the password hash and a per-user session generation (kept in the user's
``plugin_extras``). flask-login writes the same stamped id into the remember cookie. On
every request the ``hamm`` plugin's ``identify_user`` recomputes the stamp; a session or
remember cookie with another stamp (or none) is anonymous.

- Signing out raises the generation: the user is signed out everywhere (every browser
  and every "Angemeldet bleiben"), the one safe meaning when any of them may be a copy.
- A new password changes the hash, so every other session ends, whichever way the
  password was set (form, e-mail reset, a sysadmin, ``ckan user setpass``). The browser
  that changed it gets the new stamp in the same answer and stays signed in.
"""
from __future__ import annotations

import hashlib
import hmac
import logging
from typing import Any, Optional

import ckan.plugins.toolkit as tk
import flask
from ckan import model

log = logging.getLogger(__name__)

EXTRAS_KEY = "hamm_session_generation"
SEPARATOR = ":"  # never part of a CKAN user id or name


def _generation(user: model.User) -> int:
    try:
        return int((user.plugin_extras or {}).get(EXTRAS_KEY) or 0)
    except (TypeError, ValueError):
        return 0


def stamp(user: model.User) -> str:
    secret = str(tk.config.get("SECRET_KEY") or "")
    message = f"{user.id}\n{user.password or ''}\n{_generation(user)}"
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()[:32]


def stamped_id(user: model.User) -> str:
    return f"{user.id}{SEPARATOR}{stamp(user)}"


def identify(user_id: Optional[str]) -> Any:
    """The user of a validly stamped session id (IAuthenticator.identify_user).

    Otherwise the id is cleared from the session and the answer is None, with which CKAN
    goes on to the request's API token and finds no user named like a stamped id. An
    unstamped id (a session of the code before, or a forged one) CKAN would find, so it
    gets an anonymous user, unless the request carries a valid API token, which CKAN then
    reads as always.
    """
    if not user_id:
        return None
    user_key, _sep, given = str(user_id).partition(SEPARATOR)
    user = model.User.get(user_key) if given else None
    if user is not None and user.id == user_key and hmac.compare_digest(given, stamp(user)):
        return user
    if flask.has_request_context() and flask.session.get("_user_id") == user_id:
        flask.session.pop("_user_id", None)
        flask.session.pop("_fresh", None)
    if given or model.User.get(user_key) is None or _has_api_token():
        return None
    return model.AnonymousUser()


def _has_api_token() -> bool:
    from ckan.lib.api_token import get_user_from_token

    if not flask.has_request_context():
        return False
    token = flask.request.headers.get(str(tk.config.get("apitoken_header_name") or "Authorization"), "")
    return bool(token) and get_user_from_token(str(token), update_access_time=False) is not None


def signed_in(sender: Any, user: Any = None, **kwargs: Any) -> None:
    """flask-login's ``user_logged_in``: stamp the fresh session (and so the remember cookie)."""
    if isinstance(user, model.User) and flask.has_request_context():
        flask.session["_user_id"] = stamped_id(user)


def signed_out(sender: Any, user: Any = None, **kwargs: Any) -> None:
    """flask-login's ``user_logged_out``: every session of the user ends, copies included."""
    if not isinstance(user, model.User):
        return
    extras = dict(user.plugin_extras or {})
    extras[EXTRAS_KEY] = _generation(user) + 1
    user.plugin_extras = extras
    model.Session.add(user)
    model.Session.commit()
    log.info("Sessions of user %s ended by signing out", user.id)


def password_may_have_changed(sender: str, **kwargs: Any) -> None:
    """CKAN's ``action_succeeded`` for ``user_update``: the browser that changed its own
    password gets the new stamp at once, so only the other sessions end."""
    if sender != "user_update" or not flask.has_request_context():
        return
    result = kwargs.get("result") or {}
    current = flask.session.get("_user_id")
    if not current or not isinstance(result, dict) or getattr(flask.g, "login_via_auth_header", False):
        return
    user_key = str(current).partition(SEPARATOR)[0]
    if user_key != result.get("id"):
        return
    user = model.User.get(user_key)
    # This request was signed in with the stamp of the old password (identify_user ran
    # before the action could be authorised); only then does it carry the new one.
    if user is not None and tk.current_user.is_authenticated and tk.current_user.id == user.id:
        flask.session["_user_id"] = stamped_id(user)
        if tk.config.get("REMEMBER_COOKIE_NAME") in flask.request.cookies:
            flask.session["_remember"] = "set"  # flask-login writes the cookie anew with the new stamp
