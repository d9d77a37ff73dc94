"""CKAN users that follow the directory: created at first sign-in, roles and state kept in step.

A directory user carries ``plugin_extras["hamm_directory"]``: the entry's DN and login, and
what the directory granted (roles per organisation, sysadmin). Only what the directory
granted is taken away again; a role a sysadmin gave by hand stays. A disabled or deleted
entry makes the user ``deleted``: CKAN then refuses the sign-in, logs out the session and
ignores the user's API tokens. Each change is one log line (which user, what, why); the time
is the log record's. Passwords never reach this module.
"""
from __future__ import annotations

import logging
import re
import secrets
from typing import Any, Optional

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model

from ckanext.hamm.directory import roles
from ckanext.hamm.directory.client import Account

log = logging.getLogger(__name__)

EXTRAS_KEY = "hamm_directory"


def marker(user: model.User) -> Optional[dict[str, Any]]:
    value = (user.plugin_extras or {}).get(EXTRAS_KEY)
    return value if isinstance(value, dict) else None


def _directory_query() -> Any:
    return model.Session.query(model.User).filter(model.User.plugin_extras.has_key(EXTRAS_KEY))


def directory_users() -> list[model.User]:
    return [user for user in _directory_query().order_by(model.User.name) if marker(user) is not None]


def find(account: Account) -> Optional[model.User]:
    """The CKAN user of a directory entry: by its DN, else by its login (an entry moved to another OU)."""
    for field, value in (("dn", account.dn), ("login", account.login)):
        stored = sa.func.lower(model.User.plugin_extras[EXTRAS_KEY][field].astext)
        user = _directory_query().filter(stored == value.lower()).first()
        if user is not None:
            return user
    return None


def _free_name(login: str) -> str:
    """A CKAN user name from the login; a local account of that name keeps it (``-2``, ``-3`` …)."""
    base = re.sub(r"[^a-z0-9_-]+", "-", login.lower()).strip("-")[:90] or "mitarbeiter"
    if len(base) < 2:
        base = f"{base}-dir"
    name, number = base, 1
    while model.User.get(name) is not None:
        number += 1
        name = f"{base}-{number}"
    return name


def _context() -> dict[str, Any]:
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    return {"user": site_user["name"], "ignore_auth": True}


class CannotCreate(Exception):
    """The directory entry cannot become a CKAN user (its e-mail address belongs to another account)."""


def _email_taken(email: str, user: Optional[model.User] = None) -> bool:
    other = model.User.by_email(email) if email else None
    return other is not None and (user is None or other.id != user.id)


def _create(account: Account) -> model.User:
    name = _free_name(account.login)
    email = account.email or f"{name}@directory.invalid"
    if _email_taken(email):
        # CKAN's e-mail addresses are unique; a sysadmin decides which account is whose.
        log.warning("directory: no user created for %s: the e-mail address is another account's", account.dn)
        raise CannotCreate(account.dn)
    # A random password nobody knows: a directory user signs in through the directory only.
    tk.get_action("user_create")(_context(), {"name": name, "email": email, "fullname": account.display_name,
                                              "password": secrets.token_urlsafe(32)})
    user = model.User.get(name)
    assert user is not None
    log.info("directory: user %s created for %s (first sign-in)", name, account.dn)
    return user


def _set_marker(user: model.User, value: dict[str, Any]) -> None:
    extras = dict(user.plugin_extras or {})
    extras[EXTRAS_KEY] = value
    user.plugin_extras = extras


def _organisation_id(name: str) -> Optional[str]:
    group = model.Group.get(name)
    return group.id if group is not None and group.is_organization and group.state == "active" else None


def _current_role(user: model.User, organisation_id: str) -> Optional[str]:
    member = (model.Session.query(model.Member)
              .filter(model.Member.group_id == organisation_id, model.Member.table_name == "user",
                      model.Member.table_id == user.id, model.Member.state == "active").first())
    return member.capacity if member is not None else None


def _apply_roles(user: model.User, wanted: roles.Wanted, granted: dict[str, str], why: str) -> dict[str, str]:
    """Memberships as the directory wants them; the answer is what the directory now granted."""
    context = _context()
    now: dict[str, str] = {}
    for organisation, role in sorted(wanted.roles.items()):
        organisation_id = _organisation_id(organisation)
        if organisation_id is None:
            log.warning("directory: organisation %s of directory_roles.yaml does not exist", organisation)
            continue
        if _current_role(user, organisation_id) != role:
            tk.get_action("organization_member_create")(dict(context), {"id": organisation_id, "username": user.name,
                                                                        "role": role})
            log.info("directory: user %s is now %s of %s (%s)", user.name, role, organisation, why)
        now[organisation] = role
    for organisation, role in sorted(granted.items()):
        if organisation in now:
            continue
        organisation_id = _organisation_id(organisation)
        if organisation_id is not None and _current_role(user, organisation_id) == role:
            tk.get_action("organization_member_delete")(dict(context), {"id": organisation_id,
                                                                        "username": user.name})
            log.info("directory: user %s is no longer %s of %s (%s)", user.name, role, organisation, why)
    return now


def follow(account: Account, why: str, user: Optional[model.User] = None) -> Optional[model.User]:
    """Make the CKAN user match the directory entry; the user when they may sign in, else None."""
    user = user or find(account)
    if account.disabled:
        if user is not None:
            take_away(user, "the directory account is disabled", why)
        return None
    if user is None:
        user = _create(account)
    before = marker(user) or {}
    if user.state != model.State.ACTIVE:
        user.state = model.State.ACTIVE
        log.info("directory: user %s active again (%s)", user.name, why)
    for field, value in (("email", account.email), ("fullname", account.display_name)):
        if field == "email" and _email_taken(value, user):
            log.warning("directory: user %s keeps its e-mail address, the directory's is another account's",
                        user.name)
            continue
        if value and getattr(user, field) != value:
            setattr(user, field, value)
            log.info("directory: user %s: %s updated from the directory (%s)", user.name, field, why)
    wanted = roles.wanted(account.groups)
    granted = _apply_roles(user, wanted, dict(before.get("roles") or {}), why)
    user = model.User.get(user.id) or user
    granted_sysadmin = bool(before.get("sysadmin"))
    if wanted.sysadmin and not user.sysadmin:
        user.sysadmin = True
        granted_sysadmin = True
        log.info("directory: user %s is now sysadmin (%s)", user.name, why)
    elif not wanted.sysadmin and granted_sysadmin:
        if user.sysadmin:
            user.sysadmin = False
            log.info("directory: user %s is no longer sysadmin (%s)", user.name, why)
        granted_sysadmin = False
    _set_marker(user, {"dn": account.dn, "login": account.login, "roles": granted, "sysadmin": granted_sysadmin})
    model.Session.add(user)
    model.Session.commit()
    return user


def take_away(user: model.User, reason: str, why: str) -> None:
    """No more sign-in, API tokens or roles the directory gave: the user becomes ``deleted``."""
    before = marker(user) or {}
    if before.get("roles"):
        _apply_roles(user, roles.Wanted({}, False), dict(before["roles"]), why)
        user = model.User.get(user.id) or user
    if before.get("sysadmin") and user.sysadmin:
        user.sysadmin = False
        log.info("directory: user %s is no longer sysadmin (%s)", user.name, why)
    if user.state != model.State.DELETED:
        user.state = model.State.DELETED
        log.info("directory: user %s deactivated: %s (%s)", user.name, reason, why)
    _set_marker(user, dict(before, roles={}, sysadmin=False))
    model.Session.add(user)
    model.Session.commit()
