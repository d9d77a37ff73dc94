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
from ckan.lib.search.common import SearchError
from ckan.types import Action, Context, DataDict

from ckanext.hamm.dataset.indexing import NOT_DCAT_READY
from ckanext.hamm.patches.young_garbage import collected_when_done

__all__ = ["dcat_catalog_show", "dcat_catalog_search"]

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
    return dict(data_dict, fq=f"{NOT_DCAT_READY} +({fq})" if fq else NOT_DCAT_READY)


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
