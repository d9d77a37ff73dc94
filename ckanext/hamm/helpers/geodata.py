"""A dataset's extent on its page: the GeoJSON for the map and the same place in words.

The map (ckanext-spatial's Leaflet, shipped with it) is for those who see it; the
sentence beside it says the same for screen readers and for anyone without tiles.
"""
from __future__ import annotations

import functools
from importlib import resources
from typing import Any, Optional

import yaml

from ckanext.hamm.dataset import extent
from ckanext.hamm.helpers.formatting import hamm_format_number
from ckanext.hamm.vocabularies.store import current_language

__all__ = ["hamm_extent_geojson", "hamm_extent_text", "hamm_map_search_enabled", "hamm_map_search_places"]


def hamm_extent_geojson(value: Any) -> str:
    """The stored extent as compact GeoJSON for the map; '' when it cannot be read."""
    try:
        return extent.normalise(value) if value else ""
    except extent.ExtentError:
        return ""


def _degrees(value: float, positive: str, negative: str, lang: str) -> str:
    return f"{hamm_format_number(abs(value), 3, lang)}\u00b0\u00a0{positive if value >= 0 else negative}"


def hamm_extent_text(value: Any, lang: Optional[str] = None) -> str:
    """The extent in words: the point, or the box from south-west to north-east (WGS 84)."""
    if not hamm_extent_geojson(value):
        return ""
    lang = lang if lang in ("de", "en") else (current_language() if current_language() in ("de", "en") else "de")
    east, west = ("O", "W") if lang == "de" else ("E", "W")
    minx, miny, maxx, maxy = extent.bounds(value)

    def where(x: float, y: float) -> str:
        return f"{_degrees(y, 'N', 'S', lang)}, {_degrees(x, east, west, lang)}"

    if (minx, miny) == (maxx, maxy):
        return (f"Punkt bei {where(minx, miny)}" if lang == "de" else f"Point at {where(minx, miny)}")
    if lang == "de":
        return f"Gebiet von {where(minx, miny)} (Südwesten) bis {where(maxx, maxy)} (Nordosten)"
    return f"Area from {where(minx, miny)} (south-west) to {where(maxx, maxy)} (north-east)"


@functools.lru_cache(maxsize=1)
def _places() -> tuple[tuple[str, str], ...]:
    text = resources.files("ckanext.hamm.schemas").joinpath("stadtbezirke.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text) or {}
    entries = [data["stadtgebiet"], *data.get("bezirke", [])] if data.get("stadtgebiet") else data.get("bezirke", [])
    return tuple((e["name"], ",".join(str(v) for v in e["box"])) for e in entries)


def hamm_map_search_places() -> list[dict[str, str]]:
    """The city and its districts as ``ext_bbox`` choices (schemas/stadtbezirke.yaml): the map
    search without a map, by keyboard or screen reader."""
    return [{"name": name, "bbox": bbox} for name, bbox in _places()]


def hamm_map_search_enabled() -> bool:
    """ext_bbox means something only with ckanext-spatial's ``spatial_query`` loaded."""
    import ckan.plugins as plugins

    return plugins.plugin_loaded("spatial_query")
