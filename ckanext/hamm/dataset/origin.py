"""Origin mark on our API output, so catalogues that harvest us can send nothing back.

RVR harvests Hamm and Hamm harvests RVR. A dataset made in Hamm carries
``hamm_origin`` (its DCAT URI under our base URI) in ``package_show`` and
``package_search``, top level and as an extra, because stock harvesters copy
extras; our own RVR harvester refuses any record that carries one of our URIs
(``harvesters.mapping.originates_here``). In DCAT the dataset URI itself is the
mark. Datasets we harvested are not marked: they originate elsewhere.
"""
from __future__ import annotations

from typing import Any

ORIGIN_KEY = "hamm_origin"


def made_here(pkg_dict: dict[str, Any]) -> bool:
    """Made in Hamm: neither our RVR harvester nor ckanext-harvest brought it in."""
    if pkg_dict.get("hamm_remote_id") or pkg_dict.get("type") == "harvest":
        return False
    extras = pkg_dict.get("extras") or []
    return not any(isinstance(e, dict) and str(e.get("key", "")).startswith("harvest_") for e in extras)


def mark(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    """Add the origin mark to a dataset dict leaving this portal (idempotent)."""
    if not pkg_dict.get("id") or not made_here(pkg_dict):
        return pkg_dict
    from ckanext.dcat.utils import dataset_uri

    uri = dataset_uri(pkg_dict)
    strip(pkg_dict)
    pkg_dict[ORIGIN_KEY] = uri
    pkg_dict["extras"] = (pkg_dict.get("extras") or []) + [{"key": ORIGIN_KEY, "value": uri}]
    return pkg_dict


def strip(data_dict: dict[str, Any]) -> dict[str, Any]:
    """Drop a mark sent back in (show → edit → update round trips): it is output only."""
    data_dict.pop(ORIGIN_KEY, None)
    extras = data_dict.get("extras")
    if isinstance(extras, list):
        data_dict["extras"] = [e for e in extras if not (isinstance(e, dict) and e.get("key") == ORIGIN_KEY)]
    return data_dict
