"""Kennzahlen of the Dateninventur: how much the city knows of its data and how far it is published.

Counted from the database over every active inventory entry (internal ones included),
so the figures are the same whoever asks. The public gets aggregates only — counts per
department, Handlungsfeld, Zugang and state, shares, and how old the oldest open
Datenschutz decision is — never a title of an entry that is not published. Staff also
get the list of the oldest open decisions.
"""
from __future__ import annotations

import datetime
from collections import Counter
from typing import Any, Optional

from ckan import model

from ckanext.hamm.inventory import (
    DATENSCHUTZ,
    ERFASST,
    NICHT_GEPRUEFT,
    STATES,
    STATUS,
    UEBERGEBEN,
    VEROEFFENTLICHT,
    ZUGANG,
    rules,
    vocabularies,
)
from ckanext.hamm.vocabularies import choices as concepts
from ckanext.hamm.vocabularies.ids import ids as concept_ids

OLDEST = 10


def _share(count: int, total: int) -> dict[str, Any]:
    return {"count": count, "total": total, "share": round(100.0 * count / total, 1) if total else 0.0}


def figures(detailed: bool, today: Optional[datetime.date] = None) -> dict[str, Any]:
    today = today or datetime.date.today()
    rows = (model.Session.query(model.Package.name, model.Package.title, model.Package.private,
                                model.Package.owner_org, model.Package.extras, model.Package.metadata_created)
            .filter(model.Package.state == "active", model.Package.type == "dataset").all())
    orgs = dict(model.Session.query(model.Group.id, model.Group.title)
                .filter(model.Group.is_organization.is_(True)).all())
    per_org: Counter[str] = Counter()
    published_per_org: Counter[str] = Counter()
    per_field: Counter[str] = Counter()
    by_zugang: Counter[str] = Counter()
    by_status: Counter[str] = Counter()
    published = decided = 0
    waiting: list[dict[str, Any]] = []
    for name, title, private, owner_org, extras, created in rows:
        extras = dict(extras or {})
        values = rules.effective(extras, bool(private))
        department = orgs.get(owner_org or "", "") or ""
        per_org[department] += 1
        by_zugang[values[ZUGANG]] += 1
        by_status[values[STATUS]] += 1
        for concept in set(concept_ids(extras.get("handlungsfeld"))):
            per_field[concept] += 1
        if values[STATUS] == VEROEFFENTLICHT:
            published += 1
            published_per_org[department] += 1
        if values[DATENSCHUTZ] != NICHT_GEPRUEFT:
            decided += 1
        elif values[STATUS] != VEROEFFENTLICHT:
            waiting.append({"name": name, "title": title or name, "organization": department,
                            "since": created.date().isoformat() if created else None})
    waiting.sort(key=lambda row: row["since"] or "")
    total = len(rows)
    oldest = waiting[0]["since"] if waiting else None
    result: dict[str, Any] = {
        "entries": total,
        "published": _share(published, total),
        "datenschutz_decided": _share(decided, total),
        "by_department": [{"title": title or "–", "count": count, "published": published_per_org[title]}
                          for title, count in sorted(per_org.items(), key=lambda kv: (-kv[1], kv[0]))],
        "by_handlungsfeld": [{"id": cid, "label": label, "count": per_field.get(cid, 0)}
                             for cid, label in concepts.choices("handlungsfeld")],
        "by_zugang": [{"id": cid, "label": label, "count": by_zugang.get(cid, 0)}
                      for cid, label in vocabularies.choices(ZUGANG)],
        "by_status": [{"id": cid, "label": vocabularies.label(STATUS, cid), "count": by_status.get(cid, 0)}
                      for cid in STATES],
        "open_decisions": {"count": len(waiting),
                           "oldest_days": (today - datetime.date.fromisoformat(oldest)).days if oldest else None},
    }
    if detailed:
        result["oldest_open_decisions"] = waiting[:OLDEST]
    return result


def open_decisions(org_ids: Optional[list[str]], limit: int = 20) -> list[dict[str, Any]]:
    """Entries of these organisations (all for None) waiting for a Datenschutz decision; handed-over first."""
    query = (model.Session.query(model.Package.name, model.Package.title, model.Package.private,
                                 model.Package.extras, model.Package.metadata_created)
             .filter(model.Package.state == "active", model.Package.type == "dataset"))
    if org_ids is not None:
        query = query.filter(model.Package.owner_org.in_(org_ids or [""]))
    waiting = []
    for name, title, private, extras, created in query.all():
        values = rules.effective(dict(extras or {}), bool(private))
        if values[DATENSCHUTZ] == NICHT_GEPRUEFT and values[STATUS] in (ERFASST, UEBERGEBEN):
            waiting.append({"name": name, "title": title or name, "handed_over": values[STATUS] == UEBERGEBEN,
                            "since": created.date().isoformat() if created else ""})
    waiting.sort(key=lambda row: (not row["handed_over"], row["since"]))
    return waiting[:limit]
