"""Metadata quality score of one dataset (``ckanext.hamm.quality``) and the portal's Kennzahlen."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context, DataDict

from ckanext.hamm.checks import run as link_checks
from ckanext.hamm.dataset import quality
from ckanext.hamm.dataset.indexing import DCAT_READY_KEY
from ckanext.hamm.inventory import figures as inventory_figures
from ckanext.hamm.inventory import visibility
from ckanext.hamm.participation import kennzahlen

__all__ = ["hamm_quality_show", "hamm_kennzahlen_show", "hamm_dcat_undeliverable_list"]

PAGE = 1000


@tk.side_effect_free
def hamm_quality_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Score of a dataset the caller may read, with the checks that failed and how to fix them.

    :param id: dataset id or name
    """
    tk.check_access("hamm_quality_show", context, data_dict)
    pkg = tk.get_action("package_show")(
        {"user": context.get("user"), "auth_user_obj": context.get("auth_user_obj")}, {"id": data_dict.get("id")})
    return dict(quality.score(pkg, links=_link_states(pkg)), id=pkg["id"], name=pkg["name"])


def _link_states(pkg: dict[str, Any]) -> dict[str, dict[str, Any]] | None:
    """The link checks of the dataset's resources; None before the first check (offline score then)."""
    states = link_checks.states(pkg.get("resources") or [])
    return states if any(s["state"] != "unchecked" for s in states.values()) else None


def public_datasets(context: Context) -> list[dict[str, Any]]:
    """Every public, active dataset, searched as the caller (never elevated)."""
    datasets: list[dict[str, Any]] = []
    search = tk.get_action("package_search")
    while True:
        page = search({"user": context.get("user"), "auth_user_obj": context.get("auth_user_obj")},
                      {"q": "*:*", "rows": PAGE, "start": len(datasets), "include_private": False,
                       "sort": "name asc"})
        datasets += page["results"]
        if not page["results"] or len(datasets) >= page["count"]:
            return datasets


@tk.side_effect_free
def hamm_kennzahlen_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The public Kennzahlen (also the JSON feed of the city's dashboard).

    ``inventar``: the Dateninventur in aggregate; staff also get the oldest open Datenschutz decisions.
    """
    tk.check_access("hamm_kennzahlen_show", context, data_dict)
    result = kennzahlen.figures(public_datasets(context))
    user = model.User.get(context["user"]) if context.get("user") else None
    result["inventar"] = inventory_figures.figures(detailed=visibility.is_staff(user))
    return result


@tk.side_effect_free
def hamm_dcat_undeliverable_list(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """An organisation's public datasets that the DCAT-AP.de catalogue leaves out, with why.

    They stay on the portal; GovData, Open.NRW and RVR do not get them until staff fix them.

    :param id: organisation id or name
    """
    tk.check_access("hamm_dcat_undeliverable_list", context, data_dict)
    organization = tk.get_action("organization_show")(
        {"user": context.get("user")}, {"id": data_dict.get("id"), "include_datasets": False})
    result = tk.get_action("package_search")(
        {"user": context.get("user"), "auth_user_obj": context.get("auth_user_obj")},
        {"fq": f'owner_org:"{organization["id"]}" +{DCAT_READY_KEY}:false', "rows": PAGE,
         "sort": "title_string asc", "include_private": False})
    datasets = [{"id": d["id"], "name": d["name"], "title": d.get("title") or d["name"],
                 "gaps": quality.dcat_gaps(d), "harvest_warnings": d.get("hamm_harvest_warnings") or ""}
                for d in result["results"]]
    return {"organization": organization["name"], "count": result["count"], "results": datasets}
