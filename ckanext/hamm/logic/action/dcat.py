"""Guards around ckanext-dcat's catalogue actions.

ckanext-dcat passes the request's ``q``/``fq`` straight to ``package_search``; an ``fq``
containing ``+state`` replaces CKAN's active-only filter, so ``fq=+state:deleted`` would
publish deleted datasets. Queries that touch visibility fields are refused (409), and so
are queries the search cannot parse (ckanext-dcat's view answers every ValidationError with 409).
Datasets with a gap in what DCAT-AP.de makes mandatory are left out (``only_deliverable``).
A page's rdflib graph is freed as soon as the page is written (``young_garbage``).
"""
from __future__ import annotations

import re

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib.search.common import SearchError
from ckan.types import Action, Context, DataDict

from ckanext.hamm.dataset import quality
from ckanext.hamm.dataset.indexing import catalogue_filter
from ckanext.hamm.inventory import OFFEN, ZUGANG, visibility
from ckanext.hamm.inventory import rules as inventory_rules
from ckanext.hamm.patches.young_garbage import collected_when_done

__all__ = ["dcat_catalog_show", "dcat_catalog_search", "dcat_dataset_show"]

_VISIBILITY_FIELDS = re.compile(r"(?i)\b(state|capacity|permission_labels|private|include_\w+)\s*:")
MAX_PAGE = 100_000


def _refuse_visibility_filters(data_dict: DataDict) -> None:
    for key in ("q", "fq"):
        value = data_dict.get(key)
        if value and _VISIBILITY_FIELDS.search(str(value)):
            raise tk.ValidationError({key: [tk._("Filters on visibility fields are not allowed")]})
    page = data_dict.get("page")
    if page and str(page).isdigit() and int(page) > MAX_PAGE:
        raise tk.ValidationError({"page": [tk._("Page number too large")]})


def only_deliverable(data_dict: DataDict) -> DataDict:
    """Leave out datasets GovData would reject (unknown licence …; see quality.dcat_gaps).

    The request's own ``fq`` is kept in brackets after our prohibited clause, which no
    ``OR`` in it can turn optional.
    """
    fq = str(data_dict.get("fq") or "").strip()
    kept_out = catalogue_filter()
    return dict(data_dict, fq=f"{kept_out} +({fq})" if fq else kept_out)


def _guarded(name: str) -> Action:
    """A chained version of ckanext-dcat's action ``name`` that refuses visibility filters."""

    @tk.chained_action
    @tk.side_effect_free
    def action(up_func: Action, context: Context, data_dict: DataDict):
        tk.check_access(name, context, data_dict)
        _refuse_visibility_filters(data_dict)
        with collected_when_done():
            try:
                return up_func(context, only_deliverable(data_dict))
            except SearchError as error:  # unparsable q/fq: ckanext-dcat would answer 500
                raise tk.ValidationError({"q": [str(error.args[0] if error.args else error)]}) from None

    action.__name__ = action.__qualname__ = name
    action.__doc__ = f"ckanext-dcat's {name}, without visibility overrides in q/fq."
    return action


dcat_catalog_show = _guarded("dcat_catalog_show")
dcat_catalog_search = _guarded("dcat_catalog_search")


@tk.chained_action
def dcat_dataset_show(up_func: Action, context: Context, data_dict: DataDict):
    """ckanext-dcat's dataset RDF never for entries that are not open (Zugang other than offen),
    and for a private open one only to its department (a preview before publication): staff of
    other departments read internal entries on the portal, but DCAT is what catalogues take over."""
    tk.check_access("dcat_dataset_show", context, data_dict)
    package = model.Package.get(str(data_dict.get("id") or ""))
    if package is not None and package.type == "dataset":
        values = {"private": package.private, "owner_org": package.owner_org,
                  **inventory_rules.stored_values(package)}
        user = model.User.get(context["user"]) if context.get("user") else None
        outsider = user is None or not visibility.member_of(user, package.owner_org or "")
        private_elsewhere = package.private and outsider
        if values[ZUGANG] != OFFEN or private_elsewhere:
            raise tk.ObjectNotFound(tk._("Dataset not found"))
        _refuse_undeliverable(context, package.id)
    return up_func(context, data_dict)


KEPT_OUT = ("Dieser Datensatz ist nicht im DCAT-Katalog, weil Pflichtangaben fehlen (z. B. die Lizenz); "
            "die Datensatzseite zeigt ihn weiterhin. / This dataset is kept out of the DCAT catalogue "
            "because mandatory information is missing (e.g. its licence); its portal page still shows it.")


def _refuse_undeliverable(context: Context, package_id: str) -> None:
    """Kept out of /catalog.* (quality.dcat_gaps): then its own RDF pages too, with a reason.

    ckanext-dcat's view turns ObjectNotFound into a 404 without its message, so on that
    view the 404 is raised here with the explanation.
    """
    shown = tk.get_action("package_show")(dict(context), {"id": package_id})
    if not quality.dcat_gaps(shown):
        return
    if tk.request and getattr(tk.request, "endpoint", None) in ("dcat.read_dataset", "dcat.read_dataset_series"):
        tk.abort(404, KEPT_OUT)
    raise tk.ObjectNotFound(KEPT_OUT)
