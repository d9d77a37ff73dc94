"""Abuse limits for anonymous participation: client identity, rate limits, honeypot.

Network addresses are never stored: a client is identified by a keyed hash of
its address (or by its user id when logged in). Limits are counted in Redis in
fixed windows, so they hold across all web workers.
"""
from __future__ import annotations

import hashlib
import hmac
import logging
import time
from typing import Optional

import ckan.plugins.toolkit as tk
import flask
from ckan.lib.redis import connect_to_redis
from ckan.types import Context
from redis.exceptions import RedisError

from ckanext.hamm import config
from ckanext.hamm.net import proxy

log = logging.getLogger(__name__)

HONEYPOT_FIELD = "homepage"
VOTER_COOKIE = "hamm_voter"


def _keyed_hash(value: str) -> str:
    secret = str(tk.config.get("SECRET_KEY") or tk.config.get("beaker.session.secret") or "")
    return hmac.new(secret.encode(), value.encode(), hashlib.sha256).hexdigest()[:32]


def in_request() -> bool:
    return flask.has_request_context()


def address_hash() -> str:
    """Keyed hash of the client's address (``local`` outside a web request).

    The address is the real client's behind a trusted proxy (``net/proxy.py``).
    """
    if not in_request():
        return "local"
    return _keyed_hash(proxy.client_address())


def user_id(context: Context) -> Optional[str]:
    user = context.get("auth_user_obj")
    if user is None and context.get("user"):
        from ckan import model
        user = model.User.get(context["user"])
    return getattr(user, "id", None) if user is not None and getattr(user, "is_authenticated", True) else None


def client_key(context: Context) -> str:
    uid = user_id(context)
    return f"user:{uid}" if uid else f"addr:{address_hash()}"


def voter_key(context: Context) -> Optional[str]:
    """``user:<id>``, or a hash of the browser's voter cookie; None when neither exists."""
    uid = user_id(context)
    if uid:
        return f"user:{uid}"
    token = context.get("hamm_voter_token")
    if not token and in_request():
        token = flask.request.cookies.get(VOTER_COOKIE)
    if not token or len(token) > 200:
        return None
    return f"browser:{_keyed_hash(token)}"


def check_honeypot(data_dict: dict) -> None:
    """A field hidden from people; bots that fill every input give themselves away."""
    if str(data_dict.get(HONEYPOT_FIELD) or "").strip():
        raise tk.ValidationError({HONEYPOT_FIELD: [tk._("This submission looks automated and was not accepted.")]})


def hit_rate_limit(bucket: str, context: Context, limit: int) -> None:
    """Count one action of this client; raise ValidationError once it exceeds ``limit``.

    Only web requests (pages and API) are limited; internal calls are not.
    A limit of 0 turns it off. Without Redis the action goes ahead unlimited (logged).
    """
    if limit <= 0 or not in_request() or context.get("ignore_auth"):
        return
    window = max(1, config.datarequest_rate_window())
    slot = int(time.time()) // window
    key = f"hamm:rate:{bucket}:{client_key(context)}:{slot}"
    try:
        pipe = connect_to_redis().pipeline()
        pipe.incr(key)
        pipe.expire(key, window + 5)
        count = pipe.execute()[0]
    except RedisError:
        # Degrade, do not refuse: a citizen's request must not be lost to a counter; CSRF, the
        # honeypot and the one-vote-per-account/browser rule (in PostgreSQL) still hold.
        log.warning("Redis unavailable: %s accepted without its rate limit", bucket)
        return
    if int(count) > limit:
        minutes = max(1, window // 60)
        raise tk.ValidationError({"rate_limit": [
            tk._("Too many attempts. Please try again in {minutes} minutes.").format(minutes=minutes)
        ]})
