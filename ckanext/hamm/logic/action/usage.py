"""Usage figures (page views and downloads per day) in the API: ``hamm_usage_show``."""
from __future__ import annotations

import datetime
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context, DataDict

from ckanext.hamm.model import usage

__all__ = ["hamm_usage_show"]

DEFAULT_DAYS = 30
MAX_DAYS = 3660
TOP = 10


def _days(data_dict: DataDict) -> int:
    value = data_dict.get("days", DEFAULT_DAYS)
    try:
        days = int(value)
    except (TypeError, ValueError):
        days = 0
    if not 1 <= days <= MAX_DAYS or isinstance(value, bool):
        raise tk.ValidationError({"days": [f"Eine ganze Zahl von 1 bis {MAX_DAYS} / "
                                           f"a whole number from 1 to {MAX_DAYS}"]})
    return days


def _public_ids() -> Any:
    return (model.Session.query(model.Package.id)
            .filter(model.Package.state == "active", model.Package.private.is_(False)).scalar_subquery())


def _named(rows: list[tuple[str, int]]) -> list[dict[str, Any]]:
    packages = {p.id: p for p in model.Session.query(model.Package).filter(model.Package.id.in_([r[0] for r in rows]))}
    return [{"id": pid, "name": packages[pid].name, "title": packages[pid].title or packages[pid].name, "count": count}
            for pid, count in rows if pid in packages]


@tk.side_effect_free
def hamm_usage_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Page views and downloads counted per day (no visitor data is kept, see ``model/usage.py``).

    :param id: a dataset's id or name: its figures per day (for its editors); without it the
        portal's totals and its most used public datasets (for everyone)
    :param organization: an organisation's id or name: the totals and most used datasets of
        that organisation, private ones included (for those who may add datasets to it)
    :param days: how many days back, counting today (1–3660, default 30)
    """
    tk.check_access("hamm_usage_show", context, data_dict)
    days = _days(data_dict)
    since = usage.today() - datetime.timedelta(days=days - 1)
    if data_dict.get("id"):
        package = model.Package.get(str(data_dict["id"]))
        if package is None:
            raise tk.ObjectNotFound("Datensatz nicht gefunden / dataset not found")
        figures = usage.totals([package.id], since)
        return {"id": package.id, "name": package.name, "since": since.isoformat(), "days": days,
                "views": figures["view"], "downloads": figures["download"], "by_day": usage.by_day(package.id, since)}
    if data_dict.get("organization"):
        org = model.Group.get(str(data_dict["organization"]))
        if org is None or not org.is_organization:
            raise tk.ObjectNotFound("Organisation nicht gefunden / organisation not found")
        owned = [pid for (pid,) in model.Session.query(model.Package.id)
                 .filter(model.Package.owner_org == org.id, model.Package.state == "active")]
        figures = usage.totals(owned, since)
        return {"organization": org.name, "title": org.title or org.name, "since": since.isoformat(), "days": days,
                "views": figures["view"], "downloads": figures["download"],
                "top_views": _named(usage.top("view", since, owned, TOP)),
                "top_downloads": _named(usage.top("download", since, owned, TOP))}
    public = _public_ids()
    figures = usage.totals(None, since)
    return {"since": since.isoformat(), "days": days,
            "views": figures["view"], "downloads": figures["download"],
            "top_views": _named(usage.top("view", since, public, TOP)),
            "top_downloads": _named(usage.top("download", since, public, TOP))}
