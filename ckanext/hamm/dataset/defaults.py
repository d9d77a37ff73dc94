"""Defaults for a new dataset: contact from its organisation, publisher and spatial coverage Hamm.

Staff should not retype what the organisation already says, and GovData needs a
contact point (K01), a publisher (K36) and, for city-wide data, the municipality
(K08). Only empty fields are filled, only on create, and never for harvested
records (they carry ``hamm_remote_id`` and describe other places).
"""
from __future__ import annotations

from typing import Any, Optional

from ckan import model

from ckanext.hamm import config
from ckanext.hamm.vocabularies import codelists

LOCAL_AUTHORITY = "http://purl.org/adms/publishertype/LocalAuthority"


def city_spatial() -> dict[str, str]:
    """The city as spatial coverage: its AGS as political geocoding URI and its name (from config)."""
    return {"uri": f"{codelists.GEOCODING}municipalityKey/{config.dcat_municipality_key()}",
            "text": config.dcat_municipality_name()}


def city_publisher() -> dict[str, str]:
    """The city as publisher (from config), for datasets whose organisation names none."""
    return {"name": config.dcat_publisher_name(), "url": config.dcat_publisher_url(), "type": LOCAL_AUTHORITY}


def _empty(value: Any) -> bool:
    if not value:
        return True
    if isinstance(value, list):
        return all(not any(v for v in (item or {}).values()) for item in value if isinstance(item, dict))
    return False


def _org_extras(org: model.Group) -> dict[str, str]:
    return dict(org.extras or {})


def contact_for(org: model.Group) -> dict[str, str]:
    extras = _org_extras(org)
    site = (config.portal_base_uri() or "").rstrip("/")
    contact = {"name": org.title or org.name,
               "email": extras.get("email") or config.schema_contact_email(),
               "url": extras.get("url") or (f"{site}/organization/{org.name}" if site else "")}
    return {k: v for k, v in contact.items() if v}


def publisher_for(org: Optional[model.Group]) -> dict[str, str]:
    publisher = city_publisher()
    if org is not None:
        extras = _org_extras(org)
        for key in ("name", "url", "email", "uri"):
            if extras.get(f"publisher_{key}"):
                publisher[key] = extras[f"publisher_{key}"]
    return publisher


def _missing(data_dict: dict[str, Any], field: str) -> bool:
    """Nothing given for ``field``: neither as a list nor as the web form's flat keys
    (``contact-0-name``), which ckanext-scheming turns into a list only after this runs —
    and not at all once the field exists, so a default here would drop what was typed."""
    typed = any(key.startswith(f"{field}-") and value for key, value in data_dict.items()
                if isinstance(key, str))
    return _empty(data_dict.get(field)) and not typed


def apply(data_dict: dict[str, Any]) -> dict[str, Any]:
    """Fill empty contact/publisher/spatial_coverage of a dataset about to be created."""
    if data_dict.get("hamm_remote_id"):
        return data_dict
    org = model.Group.get(data_dict["owner_org"]) if data_dict.get("owner_org") else None
    if org is not None and _missing(data_dict, "contact"):
        data_dict["contact"] = [contact_for(org)]
    if _missing(data_dict, "publisher"):
        data_dict["publisher"] = [publisher_for(org)]
    if _missing(data_dict, "spatial_coverage"):
        data_dict["spatial_coverage"] = [city_spatial()]
    return data_dict
