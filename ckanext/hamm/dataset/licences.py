"""Configuration the Hamm schema needs from CKAN: the local dcat-ap.de licence register.

CKAN reads licences from ``licenses_group_url``; the register ships with the
extension (``schemas/licenses.json``) so no network is needed. A site may point
the option elsewhere; when it is unset the packaged file is used, so no
machine-specific path appears in any configuration file.
"""
from __future__ import annotations

from typing import Any, MutableMapping

from ckanext.hamm.vocabularies.store import SCHEMAS

LICENCE_REGISTER = SCHEMAS / "licenses.json"


def use_packaged_licences(config: MutableMapping[str, Any]) -> None:
    if not config.get("licenses_group_url"):
        config["licenses_group_url"] = LICENCE_REGISTER.as_uri()
