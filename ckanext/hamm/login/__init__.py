"""Signing in: the failed-login throttle (``throttle.py``) and revocable sessions (``sessions.py``).

Both sit around CKAN's authenticator chain rather than inside one authenticator, so a
directory login added later (issue 31) is throttled and revoked the same way.
"""
from __future__ import annotations

from typing import Any

from ckan.lib import signals

from ckanext.hamm.login import sessions, throttle


def _failed(login: Any, **kwargs: Any) -> None:
    throttle.record_failure(login)


def _signed_in(sender: Any, user: Any = None, **kwargs: Any) -> None:
    if user is not None:
        throttle.forget_account(user)


def signal_subscriptions() -> dict[Any, list[Any]]:
    """CKAN signals the ``hamm`` plugin listens to (ISignal)."""
    return {signals.failed_login: [_failed],
            signals.user_logged_in: [_signed_in, sessions.signed_in],
            signals.user_logged_out: [sessions.signed_out],
            signals.action_succeeded: [sessions.password_may_have_changed]}
