"""Column labels and German numbers for table and chart previews.

A loaded file's columns are keys such as ``temperatur_c``; a citizen reads
"Temperatur (°C)". A label staff gave in the data dictionary wins; otherwise the
city's list (``schemas/column_labels.yaml``), else the key with its unit spelt out.
"""
from __future__ import annotations

import functools
import math
from importlib import resources
from typing import Any, Optional

import yaml

__all__ = ["column_label", "german_number", "labels"]

UNITS = (("_ug_m3", " (µg/m³)"), ("_prozent", " (%)"), ("_m2", " (m²)"), ("_km", " (km)"), ("_kw", " (kW)"),
         ("_cm", " (cm)"), ("_mm", " (mm)"), ("_m", " (m)"), ("_c", " (°C)"), ("_24h", " (24 h)"))


@functools.lru_cache(maxsize=1)
def labels() -> dict[str, str]:
    text = resources.files("ckanext.hamm.schemas").joinpath("column_labels.yaml").read_text(encoding="utf-8")
    return {str(key).lower(): str(value) for key, value in (yaml.safe_load(text) or {}).items()}


def column_label(key: str, info: Optional[dict[str, Any]] = None) -> str:
    """What a column is called on the page."""
    given = (info or {}).get("label")
    if isinstance(given, str) and given.strip():
        return given.strip()
    known = labels().get(key.lower())
    if known:
        return known
    unit = ""
    for suffix, spelt in UNITS:
        if key.lower().endswith(suffix) and len(key) > len(suffix):
            key, unit = key[: -len(suffix)], spelt
            break
    words = key.replace("_", " ").strip()
    return (words[:1].upper() + words[1:] + unit) if words else key


def german_number(value: float) -> str:
    """1234.5 → "1.234,5"; whole numbers without decimals."""
    if not math.isfinite(value):
        return "–"
    if float(value).is_integer():
        text = f"{int(value):,}"
    else:
        text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
