"""The directory's step in the ``hamm`` plugin's ``authenticate`` (after the login throttle).

- The directory knows the login and the password is right: the CKAN user follows the entry
  (``accounts.follow``) and is signed in, unless the entry is disabled.
- Otherwise a CKAN user that belongs to the directory is refused here, so no local password
  (one set through "Passwort vergessen", say) outlives the directory account; the failure is
  counted for the throttle like any other.
- Anything else (citizens, the emergency sysadmin) goes on to CKAN's own password check. When
  the directory cannot be reached, local accounts still sign in and directory users do not.
"""
from __future__ import annotations

import logging
from typing import Any, Optional

from ckan import model
from ckan.lib import signals

from ckanext.hamm import config
from ckanext.hamm.directory import accounts, client

log = logging.getLogger(__name__)


def enabled() -> bool:
    return bool(config.ldap_uri())


def _local(login: str) -> Optional[model.User]:
    return model.User.by_name(login.strip().lower()) or model.User.by_email(login.strip())


def authenticate(identity: dict[str, Any]) -> Optional[model.User]:
    login, password = identity.get("login"), identity.get("password")
    if not enabled() or not login or not isinstance(password, str):
        return None
    login = str(login)
    try:
        account = client.authenticate(login.strip(), password)
    except client.DirectoryUnavailable as error:
        log.warning("directory: sign-in of %r not checked, the directory is unavailable (%s)", login, error)
        account = None
    if account is not None:
        try:
            user = accounts.follow(account, "sign-in")
        except accounts.CannotCreate:
            user = None
        if user is not None:
            return user
    local = _local(login)
    if account is not None or (local is not None and accounts.marker(local) is not None):
        # CKAN's own check must not sign in a directory user with a local password.
        identity.pop("password", None)
        signals.failed_login.send(login)
    return None
