"""The directory over LDAP (ldap3): find an entry, check a password, resolve nested groups.

Every connection is encrypted: ``ldaps://`` from the start, ``ldap://`` with StartTLS, and the
server's certificate is checked against ``ckanext.hamm.ldap.ca_file`` (or the system's CAs).
Plain LDAP happens only with ``ckanext.hamm.ldap.allow_plain``, a developer's flag.
"""
from __future__ import annotations

import dataclasses
import ssl
from typing import Any, Iterator, Optional

import ldap3
from ldap3.core.exceptions import LDAPException
from ldap3.utils.conv import escape_filter_chars

from ckanext.hamm import config

DISABLED_BIT = 2  # AD's userAccountControl ACCOUNTDISABLE
IN_CHAIN = "1.2.840.113556.1.4.1941"  # AD's LDAP_MATCHING_RULE_IN_CHAIN
MAX_NESTING = 10


class DirectoryUnavailable(Exception):
    """The directory cannot be asked (down, TLS refused, service account wrong): never a wrong password."""


@dataclasses.dataclass(frozen=True)
class Account:
    dn: str
    login: str
    email: str
    display_name: str
    disabled: bool
    groups: frozenset[str]  # normalised DNs, nested groups included


def normalise_dn(dn: str) -> str:
    """Compare DNs the way a directory does for our purposes: case and blanks around parts ignored."""
    parts = (part.strip() for part in dn.split(","))
    return ",".join("=".join(side.strip() for side in part.split("=", 1)) for part in parts).lower()


def _server() -> ldap3.Server:
    uri = config.ldap_uri()
    tls = ldap3.Tls(validate=ssl.CERT_REQUIRED, ca_certs_file=config.ldap_ca_file() or None)
    return ldap3.Server(uri, tls=tls, connect_timeout=config.ldap_timeout(), get_info=ldap3.NONE)


def _connect(user: Optional[str], password: Optional[str]) -> ldap3.Connection:
    """An opened, encrypted connection, not yet bound."""
    server = _server()
    connection = ldap3.Connection(server, user=user, password=password, read_only=True, auto_referrals=False,
                                  receive_timeout=config.ldap_timeout(), raise_exceptions=False)
    try:
        connection.open()
        starttls = not server.ssl and not config.ldap_allow_plain()
        if starttls and not (connection.start_tls() and connection.tls_started):
            raise DirectoryUnavailable("the directory refused StartTLS")
    except (LDAPException, OSError) as error:
        _close(connection)
        raise DirectoryUnavailable(f"{type(error).__name__}: {error}") from error
    return connection


def _bind(connection: ldap3.Connection) -> bool:
    try:
        return bool(connection.bind())
    except (LDAPException, OSError) as error:
        raise DirectoryUnavailable(f"{type(error).__name__}: {error}") from error


def _close(connection: ldap3.Connection) -> None:
    try:
        connection.unbind()
    except (LDAPException, OSError):
        pass  # a socket TLS already broke has nothing left to close


def _service() -> ldap3.Connection:
    connection = _connect(config.ldap_bind_dn() or None, config.ldap_bind_password() or None)
    if not _bind(connection):
        _close(connection)
        raise DirectoryUnavailable("the service account could not bind: " + connection.result.get("description", ""))
    return connection


def _first(entry: Any, name: str) -> str:
    values = entry.get("attributes", {}).get(name)
    if isinstance(values, list):
        return str(values[0]) if values else ""
    return "" if values is None else str(values)


def _entries(connection: ldap3.Connection, search_filter: str, attributes: list[str],
             base: Optional[str] = None, scope: str = ldap3.SUBTREE) -> Iterator[dict[str, Any]]:
    connection.search(base or config.ldap_base_dn(), search_filter, search_scope=scope, attributes=attributes)
    if connection.result.get("result") not in (0, 32):  # 32: no such object (a deleted entry)
        raise DirectoryUnavailable("search failed: " + str(connection.result.get("description")))
    for entry in connection.response or []:
        if entry.get("type") == "searchResEntry":
            yield entry


def _attributes() -> list[str]:
    return [config.ldap_login_attribute(), config.ldap_email_attribute(), config.ldap_name_attribute(), "cn",
            "userAccountControl"]


def _find(connection: ldap3.Connection, login: str) -> Optional[dict[str, Any]]:
    search_filter = f"(&{config.ldap_user_filter()}({config.ldap_login_attribute()}={escape_filter_chars(login)}))"
    found = list(_entries(connection, search_filter, _attributes()))
    return found[0] if len(found) == 1 else None  # two entries for one login: refuse, never guess


def _groups(connection: ldap3.Connection, dn: str) -> frozenset[str]:
    group_filter = config.ldap_group_filter()
    if config.ldap_nested_groups() == "in_chain":
        search = f"(&{group_filter}(member:{IN_CHAIN}:={escape_filter_chars(dn)}))"
        return frozenset(normalise_dn(e["dn"]) for e in _entries(connection, search, []))
    found: dict[str, str] = {}
    frontier = [dn]
    for _level in range(MAX_NESTING):
        members = "".join(f"(member={escape_filter_chars(member)})" for member in frontier)
        search = f"(&{group_filter}(|{members}))"
        frontier = []
        for entry in _entries(connection, search, []):
            key = normalise_dn(entry["dn"])
            if key not in found:
                found[key] = entry["dn"]
                frontier.append(entry["dn"])
        if not frontier:
            break
    return frozenset(found)


def _account(connection: ldap3.Connection, entry: dict[str, Any]) -> Account:
    try:
        control = int(_first(entry, "userAccountControl") or 0)
    except ValueError:
        control = 0
    return Account(dn=entry["dn"], login=_first(entry, config.ldap_login_attribute()),
                   email=_first(entry, config.ldap_email_attribute()),
                   display_name=_first(entry, config.ldap_name_attribute()) or _first(entry, "cn"),
                   disabled=bool(control & DISABLED_BIT), groups=_groups(connection, entry["dn"]))


def authenticate(login: str, password: str) -> Optional[Account]:
    """The account when ``password`` is right (disabled ones too: the caller takes their access away).

    None for an unknown login or a wrong password. An empty password is refused here, since
    LDAP takes a simple bind without one as an anonymous bind that succeeds.
    """
    if not login or not password:
        return None
    service = _service()
    try:
        entry = _find(service, login)
        if entry is None:
            return None
        own = _connect(entry["dn"], password)
        try:
            if not _bind(own):
                return None
        finally:
            _close(own)
        return _account(service, entry)
    finally:
        _close(service)


def lookup(logins: list[str]) -> dict[str, Optional[Account]]:
    """The directory's current entries of ``logins`` (None: the entry is gone), for the sync."""
    service = _service()
    try:
        found: dict[str, Optional[Account]] = {}
        for login in logins:
            entry = _find(service, login)
            found[login] = None if entry is None else _account(service, entry)
        return found
    finally:
        _close(service)
