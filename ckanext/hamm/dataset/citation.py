"""How to cite a dataset: a German citation line, BibTeX and CSL-JSON from one dict.

A journalist or a student needs who published the data, its title, the date *of the
data* (not when the catalogue record was written), its version, the licence and a link
that does not break when the dataset is renamed: the page under the dataset's id.
Pure functions of the ``package_show`` dict, so the page, the downloads and the tests
agree.
"""
from __future__ import annotations

import datetime
import re
from typing import Any, Optional
from zoneinfo import ZoneInfo

__all__ = ["data_dates", "citation", "bibtex", "csl_json"]


def _first(items: Any) -> dict[str, Any]:
    return next((item for item in items or [] if isinstance(item, dict) and any(item.values())), {})


ZONE = "Europe/Berlin"


def _date(value: Any, zone: str = ZONE) -> Optional[datetime.date]:
    """The day of an ISO date, or of a timestamp (UTC unless it says otherwise) in ``zone``,
    so the citation names the same day as the page; '' and junk give None."""
    if isinstance(value, str) and value.strip():
        text = value.strip()
        try:
            value = (datetime.date.fromisoformat(text) if len(text) == 10
                     else datetime.datetime.fromisoformat(text.replace("Z", "+00:00")))
        except ValueError:
            return None
    if isinstance(value, datetime.datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=datetime.timezone.utc)
        return moment.astimezone(ZoneInfo(zone)).date()
    return value if isinstance(value, datetime.date) else None


def publisher_name(pkg: dict[str, Any], fallback: str = "") -> str:
    """The DCAT publisher, else the responsible organisation, else the city's name."""
    org = pkg.get("organization") or {}
    return _first(pkg.get("publisher")).get("name") or org.get("title") or org.get("name") or fallback


def data_dates(pkg: dict[str, Any], zone: str = ZONE) -> dict[str, Optional[datetime.date]]:
    """The data's own dates, kept apart from the catalogue's.

    ``coverage_start``/``coverage_end``: the period the data describe (temporal coverage);
    ``file_changed``: the newest change of one of its files; ``data``: the date a citation
    names (DCAT ``modified``, else the newest file, else DCAT ``issued``, else the record's
    own dates). ``record_created``/``record_changed``: when the catalogue entry was made/changed.
    """
    coverage = _first(pkg.get("temporal_coverage"))
    files = [_date(res.get("last_modified") or res.get("modified") or res.get("created"), zone)
             for res in pkg.get("resources") or [] if isinstance(res, dict)]
    file_changed = max((day for day in files if day), default=None)
    record_created = _date(pkg.get("metadata_created"), zone)
    record_changed = _date(pkg.get("metadata_modified"), zone)
    return {
        "coverage_start": _date(coverage.get("start"), zone),
        "coverage_end": _date(coverage.get("end"), zone),
        "file_changed": file_changed,
        "data": _date(pkg.get("modified"), zone) or file_changed or _date(pkg.get("issued"), zone) or record_changed
        or record_created,
        "record_created": record_created,
        "record_changed": record_changed,
    }


def _parts(pkg: dict[str, Any], url: str, fallback_publisher: str) -> dict[str, Any]:
    return {"publisher": publisher_name(pkg, fallback_publisher), "title": (pkg.get("title") or pkg.get("name") or ""),
            "date": data_dates(pkg)["data"], "version": str(pkg.get("version") or "").strip(),
            "licence": pkg.get("license_title") or pkg.get("license_id") or "",
            "licence_url": pkg.get("license_url") or "", "url": url}


def citation(pkg: dict[str, Any], url: str, fallback_publisher: str = "") -> str:
    """``Stadt Hamm – Umweltamt (2024): Baumkataster. Version 2. Stand: 01.03.2024. Lizenz: …. <url>``."""
    parts = _parts(pkg, url, fallback_publisher)
    date: Optional[datetime.date] = parts["date"]
    text = parts["publisher"] + (f" ({date.year})" if date else "") + f": {parts['title']}."
    if parts["version"]:
        text += f" Version {parts['version']}."
    if date:
        text += f" Stand: {date.strftime('%d.%m.%Y')}."
    if parts["licence"]:
        text += f" Lizenz: {parts['licence']}."
    return text + f" {url}"


_BIBTEX = {"\\": r"\textbackslash{}", "~": r"\textasciitilde{}", "^": r"\^{}",
           **{char: "\\" + char for char in "&%$#_{}"}}


def _bib(text: str) -> str:
    """BibTeX-safe text: each special character escaped, one character at a time."""
    return "".join(_BIBTEX.get(char, char) for char in text)


def bibtex(pkg: dict[str, Any], url: str, fallback_publisher: str = "") -> str:
    """One ``@misc`` entry; the publisher is a corporate author (double braces keep it whole)."""
    parts = _parts(pkg, url, fallback_publisher)
    date: Optional[datetime.date] = parts["date"]
    key = re.sub(r"[^A-Za-z0-9_-]", "", str(pkg.get("name") or pkg.get("id") or "dataset")) or "dataset"
    fields = [("author", "{" + _bib(parts["publisher"]) + "}"), ("title", _bib(parts["title"])),
              ("publisher", _bib(parts["publisher"]))]
    if date:
        fields += [("year", str(date.year)), ("date", date.isoformat())]
    if parts["version"]:
        fields.append(("version", _bib(parts["version"])))
    if parts["licence"]:
        fields.append(("note", "Lizenz: " + _bib(parts["licence"])))
    fields += [("url", url), ("howpublished", r"\url{" + url + "}")]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{hamm_{key},\n{body}\n}}\n"


def csl_json(pkg: dict[str, Any], url: str, fallback_publisher: str = "") -> list[dict[str, Any]]:
    """A CSL-JSON item list (what Zotero, Citavi and pandoc read) of type ``dataset``."""
    parts = _parts(pkg, url, fallback_publisher)
    date: Optional[datetime.date] = parts["date"]
    item: dict[str, Any] = {"id": str(pkg.get("name") or pkg.get("id") or ""), "type": "dataset",
                            "title": parts["title"], "author": [{"literal": parts["publisher"]}],
                            "publisher": parts["publisher"], "URL": url}
    if date:
        item["issued"] = {"date-parts": [[date.year, date.month, date.day]]}
    if parts["version"]:
        item["version"] = parts["version"]
    if parts["licence"]:
        item["license"] = parts["licence_url"] or parts["licence"]
        item["note"] = f"Lizenz: {parts['licence']}"
    return [item]
