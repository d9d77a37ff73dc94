"""Pure mapping of RVR (CKAN API) datasets onto the Hamm schema: no DB, no HTTP.

The rules come from ``schemas/rvr_mapping.yaml``. Every lossy step (unknown
licence, dropped link, capped text, bad date) adds a readable warning that the
stage stores on the dataset and in the job report.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from datetime import datetime
from typing import Any, Iterable, Mapping, Optional

import yaml

from ckanext.hamm.dataset.links import is_web_url
from ckanext.hamm.vocabularies import DIMENSIONS

THEME_URI = "http://publications.europa.eu/resource/authority/data-theme/{}"
TAG_CHARS = re.compile(r"[^\w \-.]", re.UNICODE)
SLUG = re.compile(r"^[a-z0-9_-]{2,100}$")
GERMAN_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
PROVENANCE_FIELDS = ("hamm_source_title", "hamm_source_url", "hamm_remote_id",
                     "hamm_remote_modified", "hamm_harvest_warnings")
DEFAULT_STAFF_FIELDS = DIMENSIONS
# Schema fields a DCAT-AP.de record brings that the CKAN API shape has no place for (rdf.py)
DCAT_FIELDS = ("spatial_coverage", "publisher", "frequency", "temporal_coverage", "contact")


@dataclasses.dataclass(frozen=True)
class Rules:
    """The mapping tables of rvr_mapping.yaml plus a version for change detection."""

    source_title: str
    themes: Mapping[str, str]
    handlungsfeld: Mapping[str, str]
    licences: Mapping[str, str]
    formats: Mapping[str, str]
    version: str
    default_handlungsfeld: tuple[str, ...] = ()


@dataclasses.dataclass(frozen=True)
class Caps:
    max_resources: int = 100
    max_text: int = 50_000
    max_short: int = 500
    max_tags: int = 100


@dataclasses.dataclass
class Mapped:
    package: dict[str, Any]
    suggested: dict[str, list[str]]
    warnings: list[str]


def load_rules(text: str) -> Rules:
    data = yaml.safe_load(text) or {}
    lower = lambda table: {str(k).lower(): str(v) for k, v in (data.get(table) or {}).items()}  # noqa: E731
    return Rules(source_title=str(data.get("source_title") or "Open Data Portal Metropole Ruhr"),
                 themes=lower("themes"), handlungsfeld=lower("handlungsfeld"),
                 licences=lower("licences"), formats=lower("formats"),
                 default_handlungsfeld=tuple(data.get("default_handlungsfeld") or ()),
                 version=hashlib.sha256(text.encode("utf-8")).hexdigest()[:16])


def fingerprint(remote: Mapping[str, Any], rules: Rules) -> str:
    """Changes when the remote record or the mapping rules change; nothing else."""
    canonical = json.dumps(remote, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(f"{rules.version}\n{canonical}".encode("utf-8")).hexdigest()


def remote_id(remote: Mapping[str, Any]) -> Optional[str]:
    value = remote.get("id")
    if isinstance(value, str) and 0 < len(value) <= 200 and value.isprintable():
        return value
    return None


TEXT_FIELDS = ("notes", "url", "license_id", "maintainer", "maintainer_email")  # a string or null
REQUIRED_TEXT = ("name", "title", "metadata_created", "metadata_modified")   # a string (may be empty)
RESOURCE_TEXT = ("url", "name", "description", "format", "mimetype")


def shape_problems(remote: Any) -> list[str]:
    """What makes a remote record unusable, as ``field: problem`` (empty when it is fine).

    Checked before mapping, because the mapping treats a wrong type as "empty": a
    ``resources`` that is not a list would otherwise delete every local resource.
    """
    if not isinstance(remote, Mapping):
        return ["record: not an object"]
    problems = [] if remote_id(remote) else ["id: missing or not a text id"]
    for key in REQUIRED_TEXT:
        if not isinstance(remote.get(key), str):
            problems.append(f"{key}: {_missing_or_type(remote, key, 'text')}")
    if isinstance(remote.get("name"), str) and isinstance(remote.get("title"), str) \
            and not (remote["name"].strip() or remote["title"].strip()):
        problems.append("title: empty, and no name either")
    for key in TEXT_FIELDS:
        if remote.get(key) is not None and not isinstance(remote[key], str):
            problems.append(f"{key}: not text")
    for key, item_ok in (("resources", _resource_ok), ("tags", _tag_ok), ("groups", _group_ok),
                         ("extras", lambda item: isinstance(item, Mapping))):
        value = remote.get(key)
        if key == "extras" and value is None:
            continue
        if not isinstance(value, list):
            problems.append(f"{key}: {_missing_or_type(remote, key, 'list')}")
        elif not all(item_ok(item) for item in value):
            problems.append(f"{key}: an entry has the wrong shape")
    return problems


def _missing_or_type(remote: Mapping[str, Any], key: str, kind: str) -> str:
    return "missing" if remote.get(key) is None else f"not a {kind}"


def _resource_ok(item: Any) -> bool:
    return isinstance(item, Mapping) and all(item.get(k) is None or isinstance(item[k], str) for k in RESOURCE_TEXT)


def _tag_ok(item: Any) -> bool:
    return isinstance(item, str) or (isinstance(item, Mapping) and isinstance(item.get("name"), str))


def _group_ok(item: Any) -> bool:
    return isinstance(item, Mapping) and isinstance(item.get("name"), str)


def record_label(remote: Any, position: int) -> str:
    """How a report names a record: its id, else its name, else its place in the listing."""
    if isinstance(remote, Mapping):
        for key in ("id", "name"):
            if isinstance(remote.get(key), str) and remote[key].strip():
                return remote[key]
    return f"#{position}"


def originates_here(remote: Mapping[str, Any], own_prefixes: Iterable[str], own_marks: Iterable[str] = ()) -> bool:
    """Loop guard: the record points back to this portal (URI, identifier or an origin mark)."""
    prefixes = tuple(p for p in own_prefixes if p)
    marks = set(own_marks)
    values = [remote.get(key) for key in ("url", "identifier", "uri", "hamm_origin")]
    for extra in remote.get("extras") or []:
        if isinstance(extra, dict) and extra.get("key") in ("identifier", "uri", "guid", "hamm_origin"):
            values.append(extra.get("value"))
    for value in values:
        if isinstance(value, str) and ((prefixes and value.startswith(prefixes)) or value in marks):
            return True
    return False


def wanted(remote: Mapping[str, Any], geocoding: Iterable[str] = (), publishers: Iterable[str] = (),
           keywords: Iterable[str] = ()) -> bool:
    """Filter of a generic DCAT source: every configured kind must match (any of its values)."""
    geocoding, publishers, keywords = tuple(geocoding), tuple(publishers), tuple(keywords)
    spatial = [str(s) for s in remote.get("spatial") or [] if isinstance(s, str)]
    names = [str(n).casefold() for n in remote.get("publisher") or [] if isinstance(n, str)]
    tags = {str(t.get("name") if isinstance(t, dict) else t).casefold() for t in remote.get("tags") or []}
    return ((not geocoding or any(s.startswith(g) for s in spatial for g in geocoding))
            and (not publishers or any(p.casefold() in n for n in names for p in publishers))
            and (not keywords or any(k.casefold() in tags for k in keywords)))


def clean_text(value: Any, limit: int, what: str, warnings: list[str]) -> str:
    text = value if isinstance(value, str) else ""
    text = text.replace("\x00", "").strip()
    if len(text) > limit:
        warnings.append(f"{what} wurde auf {limit} Zeichen gekürzt.")
        text = text[:limit]
    return text


def clean_tags(tags: Any, caps: Caps, warnings: list[str]) -> list[dict[str, str]]:
    """Keep umlauts and spaces, drop characters CKAN refuses, de-duplicate."""
    result, seen = [], set()
    for tag in tags if isinstance(tags, list) else []:
        name = tag.get("name") if isinstance(tag, dict) else tag
        if not isinstance(name, str):
            continue
        name = " ".join(TAG_CHARS.sub(" ", name).split())[:100].strip()
        if len(name) < 2 or name.lower() in seen:
            continue
        seen.add(name.lower())
        result.append({"name": name})
    if len(result) > caps.max_tags:
        warnings.append(f"Nur die ersten {caps.max_tags} Schlagwörter wurden übernommen.")
        result = result[: caps.max_tags]
    return result


def map_licence(value: Any, rules: Rules, warnings: list[str], noted: bool = False) -> Optional[str]:
    """A code of our register, or None with a warning naming what the source said.

    ``noted``: the DCAT parser already named the source's licence text in its notes.
    """
    raw = value.strip() if isinstance(value, str) else ""
    if not raw:
        if not noted:
            warnings.append("Die Quelle nennt keine Lizenz; bitte eine Lizenz eintragen.")
        return None
    from ckanext.hamm.vocabularies.codelists import licence_code

    known = rules.licences.get(raw.lower()) or licence_code(raw)
    if known:
        return known
    warnings.append(f"Unbekannte Lizenz „{raw[:80]}“ der Quelle; bitte eine Lizenz eintragen.")
    return None


def normalise_date(value: Any, what: str, warnings: list[str]) -> str:
    """ISO 8601 dates and date-times; ``31.12.2020`` is converted, anything else dropped with a warning."""
    if not isinstance(value, str) or not value.strip():
        return ""
    text = value.strip()
    german = GERMAN_DATE.match(text)
    if german:
        text = f"{german.group(3)}-{int(german.group(2)):02d}-{int(german.group(1)):02d}"
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        warnings.append(f"{what}: ungültiges Datum „{value[:40]}“ wurde nicht übernommen.")
        return ""
    return parsed.date().isoformat() if len(text) == 10 else parsed.replace(tzinfo=None).isoformat()


def map_format(value: Any, rules: Rules) -> str:
    raw = value.strip() if isinstance(value, str) else ""
    return rules.formats.get(raw.lower().lstrip("."), raw.upper()[:40] if raw else "")


def map_resources(resources: Any, rules: Rules, caps: Caps, warnings: list[str]) -> list[dict[str, Any]]:
    items = [r for r in resources if isinstance(r, dict)] if isinstance(resources, list) else []
    if len(items) > caps.max_resources:
        warnings.append(f"Die Quelle hat {len(items)} Ressourcen; nur die ersten {caps.max_resources} "
                        f"wurden übernommen.")
        items = items[: caps.max_resources]
    mapped = []
    for resource in items:
        if not is_web_url(resource.get("url")):
            warnings.append(f"Ressource „{str(resource.get('name') or '')[:60]}“ ohne gültige http(s)-Adresse "
                            f"wurde nicht übernommen.")
            continue
        entry = {
            "url": resource["url"],
            "name": clean_text(resource.get("name"), caps.max_short, "Ressourcenname", warnings),
            "description": clean_text(resource.get("description"), caps.max_text, "Ressourcenbeschreibung", warnings),
            "format": map_format(resource.get("format") or resource.get("mimetype"), rules),
        }
        if isinstance(resource.get("mimetype"), str):
            entry["mimetype"] = resource["mimetype"][:100]
        if isinstance(resource.get("size"), int) and resource["size"] >= 0:
            entry["size"] = resource["size"]
        mapped.append(entry)
    return mapped


def group_names(remote: Mapping[str, Any]) -> list[str]:
    names = []
    for group in remote.get("groups") or []:
        name = group.get("name") if isinstance(group, dict) else None
        if isinstance(name, str):
            names.append(name.lower())
    return names


def map_dataset(remote: Mapping[str, Any], rules: Rules, caps: Caps, remote_base: str) -> Mapped:
    """The Hamm package dict for one remote dataset (without id, name and organisation)."""
    # what the DCAT-AP.de parser could not map (licence text, unknown frequency …), see rdf.py
    warnings = [n[:500] for n in str(remote.get("import_notes") or "").split("\n") if n.strip()][:20]
    groups = group_names(remote)
    themes = sorted({THEME_URI.format(rules.themes[g]) for g in groups if g in rules.themes})
    suggested = sorted({rules.handlungsfeld[g] for g in groups if g in rules.handlungsfeld}) \
        or list(rules.default_handlungsfeld)
    title = clean_text(remote.get("title"), caps.max_short, "Der Titel", warnings) or str(remote.get("name") or "")
    package: dict[str, Any] = {
        "title": title[: caps.max_short],
        "notes": clean_text(remote.get("notes"), caps.max_text, "Die Beschreibung", warnings),
        "tags": clean_tags(remote.get("tags"), caps, warnings),
        "license_id": map_licence(remote.get("license_id"), rules, warnings,
                                  noted=any("Lizenz" in w for w in warnings)),
        "url": remote["url"] if is_web_url(remote.get("url")) else "",
        "theme": themes,
        "issued": normalise_date(remote.get("metadata_created"), "Veröffentlicht", warnings),
        "modified": normalise_date(remote.get("metadata_modified"), "Geändert", warnings),
        "resources": map_resources(remote.get("resources"), rules, caps, warnings),
    }
    contact = {k: clean_text(remote.get(src), caps.max_short, "Kontakt", warnings)
               for k, src in (("name", "maintainer"), ("email", "maintainer_email"))}
    if any(contact.values()):
        package["contact"] = [contact]
    raw_fields = remote.get("dcat_fields")
    dcat_fields: Mapping[str, Any] = raw_fields if isinstance(raw_fields, dict) else {}
    for key in DCAT_FIELDS:
        if isinstance(dcat_fields.get(key), (str, list)):
            package[key] = dcat_fields[key]
    raw_name = remote.get("name")
    name = raw_name if isinstance(raw_name, str) else ""
    package.update({
        "hamm_source_title": rules.source_title,
        "hamm_source_url": (f"{remote_base.rstrip('/')}/dataset/{name}" if SLUG.match(name)
                            else remote["uri"] if is_web_url(remote.get("uri")) else remote_base),
        "hamm_remote_id": remote_id(remote) or "",
        "hamm_remote_modified": normalise_date(remote.get("metadata_modified"), "Geändert", []),
        "hamm_harvest_warnings": "\n".join(dict.fromkeys(warnings)),
    })
    return Mapped(package=package, suggested={"handlungsfeld": suggested} if suggested else {},
                  warnings=list(dict.fromkeys(warnings)))


def ideal_name(remote: Mapping[str, Any], title: str) -> str:
    """The remote slug when valid, else one made from the title (umlauts transliterated)."""
    name = remote.get("name")
    if isinstance(name, str) and SLUG.match(name):
        return name
    text = title.lower()
    for umlaut, ascii_ in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.replace(umlaut, ascii_)
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:90]
    return slug if len(slug) >= 2 else "rvr-datensatz"


def restrict_to_schema(package: dict[str, Any], known_fields: Optional[set[str]]) -> dict[str, Any]:
    """Drop mapped fields the active schema does not define (so validation never sees junk)."""
    if known_fields is None:
        return package
    core = {"title", "notes", "tags", "license_id", "url", "resources", "name", "owner_org", "private", "id"}
    return {k: v for k, v in package.items() if k in core or k in known_fields}


def merge_staff_fields(existing: Mapping[str, Any], last_written: Mapping[str, Any], suggested: Mapping[str, Any],
                       staff_fields: Iterable[str],
                       confirmed: Iterable[str] = ()) -> tuple[dict[str, Any], dict[str, Any]]:
    """Staff own a field once its local value differs from what the harvester last wrote,
    or once they confirmed the value the harvester suggested (``confirmed``).

    Returns (values to write, values to remember as last written).
    """
    write, remember = {}, {}
    confirmed = set(confirmed)
    for field in staff_fields:
        current = existing.get(field)
        ours = last_written.get(field)
        staff_edited = field in existing and (field in confirmed or _norm(current) != _norm(ours))
        if staff_edited:
            write[field] = current
            remember[field] = ours
        elif field in suggested:
            write[field] = suggested[field]
            remember[field] = suggested[field]
    return write, remember


def is_pending_suggestion(current: Any, last_written: Mapping[str, Any], field: str,
                          confirmed: Iterable[str] = ()) -> bool:
    """Whether a field still holds the harvester's suggestion, which the next harvest may replace."""
    return (field in last_written and field not in set(confirmed) and _norm(last_written[field]) is not None
            and _norm(current) == _norm(last_written[field]))


def _norm(value: Any) -> Any:
    if value in (None, "", []):
        return None
    return sorted(value) if isinstance(value, list) else value
