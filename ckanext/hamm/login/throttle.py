"""Failed sign-ins throttled per account and per client address (Redis counters with a window).

A password-guessing script tried 200 passwords in 9 s and then got in. Now each failure
counts for the account (the name or e-mail typed, or the account it names, so both
spellings share one counter) and for the client address (``net/proxy.py``); once
either reaches its limit every sign-in is refused, the right password too, until the
window from the first failure has passed. Unknown accounts are counted and answered
exactly like known ones, so the throttle never tells whether an account exists.

It wraps the whole of CKAN's authenticator chain: ``guard`` runs first in the ``hamm``
plugin's ``authenticate`` (the place for a directory login too, issue 31), failures
arrive through CKAN's ``failed_login`` signal, which the chain sends whenever every
authenticator said no, and a sign-in resets its account's counter.
"""
from __future__ import annotations

import hashlib
import hmac
import logging
import math
from typing import Any, Optional

import ckan.plugins.toolkit as tk
import flask
from ckan import model
from ckan.lib.redis import connect_to_redis
from redis.exceptions import RedisError

from ckanext.hamm import config
from ckanext.hamm.net import proxy

log = logging.getLogger(__name__)

_PREFIX = "hamm:rate:login"


def _hash(value: str) -> str:
    secret = str(tk.config.get("SECRET_KEY") or "")
    return hmac.new(secret.encode(), value.encode(), hashlib.sha256).hexdigest()[:32]


def _account_key(login: str) -> str:
    typed = login.strip().lower()
    user = model.User.by_name(typed) or model.User.by_email(login.strip())
    account = f"user:{user.id}" if user is not None else f"typed:{_hash(typed)}"
    return f"{_PREFIX}:account:{account}"


def _address_key() -> str:
    return f"{_PREFIX}:address:{_hash(proxy.client_address())}"


def _limits(login: str) -> list[tuple[str, int]]:
    return [(key, limit) for key, limit in ((_account_key(login), config.login_failures_per_account()),
                                            (_address_key(), config.login_failures_per_address()))
            if limit > 0]


def wait_seconds(login: str) -> int:
    """Seconds until this sign-in may be tried again; 0 when it is not throttled."""
    try:
        redis = connect_to_redis()
        waits = [max(1, redis.ttl(key)) for key, limit in _limits(login) if int(redis.get(key) or 0) >= limit]
    except RedisError:
        # Degrade, do not lock everybody out: the password check still holds.
        log.warning("Redis unavailable: sign-in accepted without the failed-login throttle")
        return 0
    return max(waits, default=0)


def message(seconds: int) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    return tk._("Too many failed sign-in attempts. Please wait {minutes} minutes and try again.").format(
        minutes=minutes)


def guard(identity: dict[str, Any]) -> None:
    """First step of the authenticator chain: while throttled, no authenticator sees the password.

    CKAN runs the next authenticator whenever one returns None, so taking the password out of
    the identity is how this step says no (the rest of the chain then refuses too).
    """
    login = identity.get("login")
    if login and "password" in identity and wait_seconds(str(login)):
        identity.pop("password")
        flask.g.hamm_login_throttled = True


def record_failure(login: Optional[str]) -> None:
    """A sign-in failed (CKAN's ``failed_login`` signal): count it for the account and address."""
    if not login or not flask.has_request_context() or getattr(flask.g, "hamm_login_throttled", False):
        return
    window = max(1, config.login_window())
    try:
        pipe = connect_to_redis().pipeline()
        for key, _limit in _limits(str(login)):
            pipe.set(key, 0, ex=window, nx=True)  # the window starts with the first failure
            pipe.incr(key)
        pipe.execute()
    except RedisError:
        log.warning("Redis unavailable: a failed sign-in was not counted")


def forget_account(user: Any) -> None:
    """A successful sign-in: the account starts afresh (the address keeps its count)."""
    try:
        connect_to_redis().delete(f"{_PREFIX}:account:user:{user.id}")
    except RedisError:
        log.warning("Redis unavailable: the account's failed sign-ins were not reset")


def refused_login_page() -> Optional[Any]:
    """The login form again with the throttle's message while throttled (IAuthenticator.login).

    Only the POST of the form counts; the message and status are the same whether the
    account exists or not.
    """
    if flask.request.method != "POST":
        return None
    seconds = wait_seconds(str(flask.request.form.get("login") or ""))
    if not seconds:
        return None
    tk.h.flash_error(message(seconds))
    return flask.make_response(tk.render("user/login.html", {}), 429)
