"""The city's mapping of directory groups to portal roles (``schemas/directory_roles.yaml``).

City data like the vocabularies: edited without code changes and read again when the file
changes. A user gets the highest role any of their groups (nested ones included) gives in an
organisation, and sysadmin when one of their groups says so.
"""
from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any, Iterable

from ckanext.hamm import config
from ckanext.hamm.directory.client import normalise_dn
from ckanext.hamm.vocabularies.store import SCHEMAS, read_yaml_when_changed

ROLES = ("member", "editor", "admin")  # lowest first


@dataclasses.dataclass(frozen=True)
class Wanted:
    roles: dict[str, str]  # organisation name → role
    sysadmin: bool


def roles_file() -> Path:
    return Path(config.ldap_roles_file() or SCHEMAS / "directory_roles.yaml")


def rules(raw: Any) -> list[dict[str, Any]]:
    """The file's rules, checked: each names a group and either an organisation with a role or sysadmin."""
    entries = (raw or {}).get("groups") or []
    if not isinstance(entries, list):
        raise ValueError("directory_roles.yaml: `groups` must be a list")
    checked = []
    for number, entry in enumerate(entries, 1):
        if not isinstance(entry, dict) or not entry.get("group"):
            raise ValueError(f"directory_roles.yaml: rule {number} names no group")
        sysadmin = entry.get("sysadmin") is True
        organisation, role = entry.get("organisation"), entry.get("role")
        if not sysadmin and (not organisation or role not in ROLES):
            raise ValueError(f"directory_roles.yaml: rule {number} needs `organisation` and a `role` of "
                             f"{', '.join(ROLES)}, or `sysadmin: true`")
        checked.append({"group": normalise_dn(str(entry["group"])), "organisation": organisation,
                        "role": role, "sysadmin": sysadmin})
    return checked


def current_rules() -> list[dict[str, Any]]:
    return rules(read_yaml_when_changed(roles_file()))


def wanted(groups: Iterable[str]) -> Wanted:
    mine = {normalise_dn(group) for group in groups}
    roles: dict[str, str] = {}
    sysadmin = False
    for rule in current_rules():
        if rule["group"] not in mine:
            continue
        sysadmin = sysadmin or rule["sysadmin"]
        if rule["organisation"]:
            before = roles.get(rule["organisation"])
            if before is None or ROLES.index(rule["role"]) > ROLES.index(before):
                roles[rule["organisation"]] = rule["role"]
    return Wanted(roles, sysadmin)
