"""Pure mapping of a Hamm dataset onto a stock CKAN dataset at RVR: no DB, no HTTP.

A stock CKAN drops fields it does not know, so Hamm's Handlungsfeld, Zielgruppe
and Persona travel as tags (German labels), EU themes as RVR's lower-case group
names, and DCAT-AP.de details (identifier, origin mark, dates, political
geocoding) as extras. Rules come from ``schemas/rvr_publish.yaml``; every lossy
step adds a warning for the run's report.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
from typing import Any, Callable, Iterable, Mapping, Optional

import yaml

from ckanext.hamm.dataset.links import is_web_url
from ckanext.hamm.dataset.origin import ORIGIN_KEY
from ckanext.hamm.harvesters.mapping import Caps, clean_tags
from ckanext.hamm.vocabularies.codelists import DATA_THEME, GEOCODING, geocoding_level, licence_code
from ckanext.hamm.vocabularies.ids import ids

MAX_NAME = 100

Labels = Callable[[str, str], str]  # (vocabulary id, concept id) → label


@dataclasses.dataclass(frozen=True)
class Rules:
    name_prefix: str
    licences: Mapping[str, str]
    dimension_tags: tuple[str, ...]
    tag_language: str
    themes: Mapping[str, str]
    version: str
    tag_replacements: tuple[tuple[str, str], ...] = ()


@dataclasses.dataclass
class Mapped:
    package: dict[str, Any]  # without owner_org, id and groups (those depend on RVR)
    groups: list[str]        # RVR group names the EU themes ask for
    warnings: list[str]
    fingerprint: str


def load_rules(text: str) -> Rules:
    data = yaml.safe_load(text) or {}
    return Rules(name_prefix=str(data.get("name_prefix") or ""),
                 licences={str(k): str(v) for k, v in (data.get("licences") or {}).items()},
                 dimension_tags=tuple(data.get("dimension_tags") or ()),
                 tag_language=str(data.get("tag_language") or "de"),
                 themes={str(k).upper(): str(v).lower() for k, v in (data.get("themes") or {}).items()},
                 tag_replacements=tuple((str(k), str(v)) for k, v in (data.get("tag_replacements") or {}).items()),
                 version=hashlib.sha256(text.encode("utf-8")).hexdigest()[:16])


def remote_name(local_name: str, rules: Rules, suffix: str = "") -> str:
    """``hamm-<name>``; with a suffix (after a clash at RVR) still within CKAN's 100 characters."""
    tail = f"-{suffix}" if suffix else ""
    return (rules.name_prefix + local_name)[: MAX_NAME - len(tail)].rstrip("-") + tail


def map_dataset(pkg: Mapping[str, Any], rules: Rules, labels: Labels, page_url: str, origin: str,
                caps: Caps = Caps()) -> Mapped:
    """The RVR dataset for one Hamm dataset (``package_show`` output of the Hamm schema)."""
    warnings: list[str] = []
    package: dict[str, Any] = {
        "name": remote_name(str(pkg["name"]), rules),
        "title": pkg.get("title") or pkg["name"],
        "notes": pkg.get("notes") or "",
        "license_id": map_licence(pkg.get("license_id"), rules, warnings),
        "url": page_url,
        "tags": dataset_tags(pkg, rules, labels, caps, warnings),
        "extras": extras(pkg, origin),
        "resources": resources(pkg.get("resources") or [], warnings),
    }
    package.update(_person(pkg.get("contact"), "maintainer"))
    package.update(_person(pkg.get("publisher"), "author"))
    groups = theme_groups(pkg.get("theme"), rules, warnings)
    return Mapped(package, groups, warnings, fingerprint(package, groups, rules))


def fingerprint(package: Mapping[str, Any], groups: Iterable[str], rules: Rules) -> str:
    """Changes when what we would send changes (or the rules do); nothing else."""
    canonical = json.dumps([package, sorted(groups)], sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(f"{rules.version}\n{canonical}".encode("utf-8")).hexdigest()


def map_licence(value: Any, rules: Rules, warnings: list[str]) -> str:
    code = value if isinstance(value, str) else ""
    if not code:
        warnings.append("Der Datensatz nennt keine Lizenz.")
        return ""
    if code not in rules.licences:
        warnings.append(f"Lizenz „{code[:80]}“ steht nicht in der RVR-Zuordnung und wurde unverändert gesendet.")
        return code
    return rules.licences[code]


def dataset_tags(pkg: Mapping[str, Any], rules: Rules, labels: Labels, caps: Caps,
                 warnings: list[str]) -> list[dict[str, str]]:
    """Free tags first, then the labels of Handlungsfeld, Zielgruppe and Persona."""
    names = [t.get("name") if isinstance(t, dict) else t for t in pkg.get("tags") or []]
    for dimension in rules.dimension_tags:
        names.extend(labels(dimension, concept) for concept in ids(pkg.get(dimension)))
    return clean_tags([_replace(name, rules.tag_replacements) for name in names if isinstance(name, str)],
                      caps, warnings)


def _replace(text: str, replacements: Iterable[tuple[str, str]]) -> str:
    for old, new in replacements:
        text = text.replace(old, new)
    return text


def theme_groups(themes: Any, rules: Rules, warnings: list[str]) -> list[str]:
    groups = []
    for uri in ids(themes):
        code = uri[len(DATA_THEME):] if isinstance(uri, str) and uri.startswith(DATA_THEME) else ""
        if code.upper() in rules.themes:
            groups.append(rules.themes[code.upper()])
        else:
            warnings.append(f"Thema „{str(uri)[:80]}“ hat keine RVR-Kategorie.")
    return sorted(set(groups))


def split_groups(wanted: Iterable[str], existing: Iterable[str]) -> tuple[list[str], list[str]]:
    """(groups RVR has, groups RVR lacks): missing ones are reported, never created."""
    have = set(existing)
    wanted = list(wanted)
    return [g for g in wanted if g in have], [g for g in wanted if g not in have]


def extras(pkg: Mapping[str, Any], origin: str) -> list[dict[str, str]]:
    """DCAT-AP.de details a stock CKAN keeps only as extras (key names as ckanext-dcatde uses them)."""
    values = {
        "identifier": pkg.get("identifier") or origin,
        ORIGIN_KEY: origin,
        "issued": pkg.get("issued") or "",
        "modified": pkg.get("modified") or "",
    }
    geocoding = [str(s["uri"]) for s in pkg.get("spatial_coverage") or []
                 if isinstance(s, dict) and str(s.get("uri") or "").startswith(GEOCODING)]
    if geocoding:
        values["politicalGeocodingURI"] = json.dumps(geocoding)
        values["politicalGeocodingLevelURI"] = geocoding_level(geocoding[0]) or ""
    return [{"key": k, "value": str(v)} for k, v in values.items() if v]


def resources(items: list[Any], warnings: list[str]) -> list[dict[str, Any]]:
    mapped = []
    for resource in items:
        if not isinstance(resource, dict):
            continue
        if not is_web_url(resource.get("url")):
            warnings.append(f"Ressource „{str(resource.get('name') or '')[:60]}“ ohne http(s)-Adresse "
                            f"wurde nicht gesendet.")
            continue
        entry = {"url": resource["url"], "name": resource.get("name") or "",
                 "description": resource.get("description") or "", "format": resource.get("format") or ""}
        if resource.get("license"):
            entry["license"] = resource["license"]
            entry["license_id"] = licence_code(resource["license"]) or ""
        mapped.append(entry)
    return mapped


def _person(value: Any, role: str) -> dict[str, str]:
    first: Optional[Mapping[str, Any]] = value[0] if isinstance(value, list) and value and isinstance(
        value[0], dict) else None
    if not first:
        return {}
    return {k: v for k, v in ((role, str(first.get("name") or "")),
                              (f"{role}_email", str(first.get("email") or ""))) if v}
