"""Metadata quality score of a dataset, after data.europa.eu's Metadata Quality Assessment.

Pure functions over a dataset dict (as ``package_show`` returns it): no database,
no HTTP. The five MQA dimensions keep MQA's weights where a check works
offline; checks that need the network (is the URL reachable?) are replaced by
what we can see in the metadata (is it an http(s) URL?) unless the caller hands
in the link checks' results (``score(pkg, links=…)``): then MQA's accessibility
half is scored as MQA does (``LINK_CHECKS``). Each check says in words what to
fix, so editors can act on it.
"""
from __future__ import annotations

import dataclasses
import datetime
from typing import Any, Callable, Iterable, Optional

from ckanext.hamm.dataset.links import is_web_url
from ckanext.hamm.vocabularies import codelists
from ckanext.hamm.vocabularies.codelists import (
    MACHINE_READABLE,
    MEDIA_TYPES,
    NON_PROPRIETARY,
    OPEN_LICENSES,
    normalise_format,
)

DIMENSIONS = ("findability", "accessibility", "interoperability", "reusability", "contextuality")

@dataclasses.dataclass(frozen=True)
class Check:
    """One MQA-style indicator: its dimension, weight and what to tell the editor when it fails."""

    id: str
    dimension: str
    points: int
    test: Callable[[dict[str, Any]], bool]
    hint: str  # English msgid; the views translate it


def _present(value: Any) -> bool:
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, dict):
        return any(_present(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(_present(v) for v in value)
    return value is not None


def _resources(pkg: dict[str, Any]) -> list[dict[str, Any]]:
    return [r for r in pkg.get("resources") or [] if isinstance(r, dict)]


def _all(pkg: dict[str, Any], test: Callable[[dict[str, Any]], bool]) -> bool:
    resources = _resources(pkg)
    return bool(resources) and all(test(r) for r in resources)


def _any(pkg: dict[str, Any], test: Callable[[dict[str, Any]], bool]) -> bool:
    return any(test(r) for r in _resources(pkg))


def is_machine_readable(resource: dict[str, Any]) -> bool:
    return normalise_format(resource.get("format")) in MACHINE_READABLE


def is_non_proprietary(resource: dict[str, Any]) -> bool:
    return normalise_format(resource.get("format")) in NON_PROPRIETARY


def is_open_license(pkg: dict[str, Any]) -> bool:
    """Known and open: the open flag of the dcat-ap.de list (``od_conformance``; cc-by-nc is
    listed but not open), else CKAN's default open ids or its ``isopen`` flag."""
    entry = codelists.licence_register().get(codelists.licence_code(pkg.get("license_id")) or "")
    if entry:
        return entry.get("od_conformance") == "approved"
    return pkg.get("license_id") in OPEN_LICENSES or pkg.get("isopen") is True


def _license_known(pkg: dict[str, Any]) -> bool:
    """The licence comes from the register (CKAN then fills in its URL or title)."""
    license_id = pkg.get("license_id")
    return bool(license_id) and (bool(pkg.get("license_url")) or pkg.get("license_title") not in (None, license_id))


def _size(resource: dict[str, Any]) -> bool:
    try:
        return int(str(resource.get("size")).strip()) > 0
    except (TypeError, ValueError):
        return False


def _media_type_known(resource: dict[str, Any]) -> bool:
    return str(resource.get("mimetype") or "").strip().lower() in {v.lower() for v in MEDIA_TYPES.values()}


def _dcat_core(pkg: dict[str, Any]) -> bool:
    """What DCAT-AP.de requires of every dataset and distribution (offline part)."""
    return (_present(pkg.get("title")) and _present(pkg.get("notes"))
            and (_present(pkg.get("publisher")) or _present(pkg.get("owner_org")))
            and _all(pkg, lambda r: is_web_url(r.get("url"))))


CHECKS: tuple[Check, ...] = (
    Check("keywords", "findability", 30, lambda p: _present(p.get("tags")) or _present(p.get("tag_string")),
          "Add keywords (tags)."),
    Check("themes", "findability", 30, lambda p: _present(p.get("theme")), "Choose at least one EU data theme."),
    Check("spatial", "findability", 20, lambda p: _present(p.get("spatial_coverage")),
          "State the spatial coverage."),
    Check("temporal", "findability", 20, lambda p: _present(p.get("temporal_coverage")),
          "State the temporal coverage (start and end)."),
    Check("access_url", "accessibility", 50,
          lambda p: _all(p, lambda r: is_web_url(r.get("url"))),
          "Give every resource an http(s) URL."),
    Check("download_url", "accessibility", 20, lambda p: _any(p, lambda r: normalise_format(r.get("format"))
                                                                not in ("HTML", "WMS", "")),
          "Offer at least one downloadable file, not only a web page or map service."),
    Check("availability", "accessibility", 30, lambda p: _all(p, lambda r: _present(r.get("availability"))),
          "Declare the planned availability of every resource."),
    Check("format", "interoperability", 20, lambda p: _all(p, lambda r: _present(r.get("format"))),
          "Give every resource a file format."),
    Check("media_type", "interoperability", 10, lambda p: _all(p, lambda r: _present(r.get("mimetype"))),
          "Give every resource a media type (e.g. text/csv)."),
    Check("format_vocabulary", "interoperability", 10,
          lambda p: _all(p, lambda r: normalise_format(r.get("format")) in MEDIA_TYPES
                         and (not _present(r.get("mimetype")) or _media_type_known(r))),
          "Use a known file format and media type."),
    Check("non_proprietary", "interoperability", 20, lambda p: _any(p, is_non_proprietary),
          "Offer at least one non-proprietary format (e.g. CSV instead of XLSX)."),
    Check("machine_readable", "interoperability", 20, lambda p: _any(p, is_machine_readable),
          "Offer at least one machine-readable format (e.g. CSV, JSON, GeoJSON)."),
    Check("dcat_ap", "interoperability", 30, _dcat_core,
          "Complete what DCAT-AP.de requires: title, description, publisher, resource URLs."),
    Check("license", "reusability", 20, lambda p: _present(p.get("license_id")), "Choose a licence."),
    Check("license_vocabulary", "reusability", 10, _license_known, "Choose a licence from the list."),
    Check("license_open", "reusability", 10, is_open_license, "Choose an open licence (e.g. dl-by-de/2.0)."),
    Check("contact", "reusability", 20, lambda p: _present(p.get("contact")) or _present(p.get("maintainer_email")),
          "Name a contact point (e-mail or web form)."),
    Check("publisher", "reusability", 10, lambda p: _present(p.get("publisher")) or _present(p.get("owner_org")),
          "Name the publisher."),
    Check("byte_size", "contextuality", 5, lambda p: _all(p, _size), "Give the size in bytes of every resource."),
    Check("issued", "contextuality", 5, lambda p: _present(p.get("issued")), "Give the date of first publication."),
    Check("modified", "contextuality", 5, lambda p: _present(p.get("modified")), "Give the date of the last change."),
    Check("frequency", "contextuality", 5, lambda p: _present(p.get("frequency")),
          "State how often the data is updated."),
)
MAX_POINTS = sum(c.points for c in CHECKS)


@dataclasses.dataclass(frozen=True)
class LinkCheck:
    """An MQA indicator scored from the link checks: the share of the resources it covers that answer."""

    id: str
    dimension: str
    points: int
    covers: Callable[[dict[str, Any]], bool]
    hint: str  # English msgid; the views translate it
    replaces: str  # the offline stand-in in CHECKS


def is_download(resource: dict[str, Any]) -> bool:
    """The resource's URL is a download URL (a file, not a web page or map service); as ``download_url``."""
    return normalise_format(resource.get("format")) not in ("HTML", "WMS", "")


# data.europa.eu MQA, accessibility (100 points): accessURL accessibility 50, downloadURL given 20
# (offline, CHECKS) and downloadURL accessibility 30, both "a request answers with status 200-399".
# A CKAN resource has one URL: the access URL of its distribution, and its download URL if it is a file.
# Scored per dataset as the share of its distributions that answer, rounded to whole points.
LINK_CHECKS: tuple[LinkCheck, ...] = (
    LinkCheck("access_url_answers", "accessibility", 50, lambda r: True,
              "Make sure every resource URL answers (the last link check failed or has not run yet).",
              replaces="access_url"),
    LinkCheck("download_url_answers", "accessibility", 30, is_download,
              "Make sure every download URL answers (the last link check failed or has not run yet).",
              replaces="availability"),
)


def answers(state: Optional[dict[str, Any]]) -> bool:
    """The latest check of the resource's current URL answered (MQA: status 200-399)."""
    if not state:
        return False
    return state.get("state") != "unchecked" and state.get("outcome") in ("ok", "wrong_type")


def _link_result(check: LinkCheck, pkg: dict[str, Any], links: dict[str, dict[str, Any]]) -> dict[str, Any]:
    covered = [r for r in _resources(pkg) if check.covers(r)]
    good = sum(1 for r in covered if is_web_url(r.get("url")) and answers(links.get(r.get("id") or "")))
    points = int(check.points * good / len(covered) + 0.5) if covered else 0
    return {"id": check.id, "dimension": check.dimension, "passed": bool(covered) and good == len(covered),
            "points": points, "max": check.points, "hint": check.hint, "answering": good, "of": len(covered)}


def rating(percent: float) -> str:
    """MQA's four ratings on the share of points (MQA: 351/221/121 of 405)."""
    if percent >= 87:
        return "excellent"
    if percent >= 55:
        return "good"
    if percent >= 30:
        return "sufficient"
    return "bad"


def score(pkg: dict[str, Any], checks: Iterable[Check] = CHECKS,
          links: Optional[dict[str, dict[str, Any]]] = None) -> dict[str, Any]:
    """Points per check and dimension, the total, its percentage and rating, and what to fix.

    ``links``: per resource id the link check state (``checks/run.py`` ``states``); with it the
    network indicators of ``LINK_CHECKS`` replace their offline stand-ins.
    """
    replacing = {c.replaces: c for c in LINK_CHECKS} if links is not None else {}
    results = []
    dims = {d: {"points": 0, "max": 0} for d in DIMENSIONS}
    for check in checks:
        if check.id in replacing:
            result = _link_result(replacing[check.id], pkg, links or {})
        else:
            passed = bool(check.test(pkg))
            result = {"id": check.id, "dimension": check.dimension, "passed": passed,
                      "points": check.points if passed else 0, "max": check.points, "hint": check.hint}
        results.append(result)
        dims[result["dimension"]]["max"] += result["max"]
        dims[result["dimension"]]["points"] += result["points"]
    total = sum(d["points"] for d in dims.values())
    maximum = sum(d["max"] for d in dims.values()) or 1
    percent = round(100.0 * total / maximum, 1)
    gaps = dcat_gaps(pkg)
    return {"points": total, "max": maximum, "percent": percent, "rating": rating(percent),
            "dimensions": dims, "checks": results, "to_fix": [r for r in results if not r["passed"]],
            "dcat_deliverable": not gaps, "dcat_gaps": gaps}


# -- delivery to GovData ----------------------------------------------------------------
# What DCAT-AP.de 3.0 makes mandatory and the portal cannot fill in itself (publisher,
# language and spatial coverage have defaults). A dataset with a gap stays on the portal but
# is left out of /catalog.* and the dump: GovData rejects such records, and a licence is
# never invented. The English msgids are the hints staff see.
DCAT_GAPS: tuple[tuple[str, str], ...] = (
    ("title", "Add a title."),
    ("description", "Add a description."),
    ("license", "Choose a licence from the list: the source's licence is unknown."),
    ("access_url", "Give every resource an http(s) URL."),
)


def _licensed(pkg: dict[str, Any]) -> bool:
    """Every distribution gets a dcat-ap.de licence: its own or the dataset's."""
    from ckanext.hamm.vocabularies import codelists

    if codelists.is_dcatde_licence(pkg.get("license_id")):
        return True
    resources = _resources(pkg)
    return bool(resources) and all(codelists.is_dcatde_licence(r.get("license")) for r in resources)


def dcat_gaps(pkg: dict[str, Any]) -> list[dict[str, str]]:
    """Why the dataset cannot be delivered to GovData as DCAT-AP.de (empty: it can)."""
    failed = {
        "title": not _present(pkg.get("title")),
        "description": not _present(pkg.get("notes")),
        "license": not _licensed(pkg),
        "access_url": not all(is_web_url(r.get("url")) for r in _resources(pkg)),
    }
    return [{"id": key, "hint": hint} for key, hint in DCAT_GAPS if failed[key]]


# -- freshness -------------------------------------------------------------------------
FREQUENCY_DAYS = {"CONT": 1, "UPDATE_CONT": 1, "HOURLY": 1, "DAILY": 1, "WEEKLY": 7, "MONTHLY": 31,
                  "QUARTERLY": 92, "ANNUAL": 366, "BIENNIAL": 731}


def _date(value: Any) -> Optional[datetime.date]:
    text = str(value or "")[:10]
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        return None


def is_fresh(pkg: dict[str, Any], today: datetime.date) -> Optional[bool]:
    """Updated within its declared frequency (plus a week's grace); None without a usable frequency."""
    code = str(pkg.get("frequency") or "").rstrip("/").rsplit("/", 1)[-1].upper()
    days = FREQUENCY_DAYS.get(code)
    if days is None:
        return None
    changed = _date(pkg.get("modified")) or _date(pkg.get("metadata_modified"))
    return changed is not None and (today - changed).days <= days + 7
