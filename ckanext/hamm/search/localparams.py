"""Solr local parameters (``{!lucene q.op=OR}…``) in ``q`` and ``fq``.

CKAN passes them on only for the parsers named in
``ckan.search.solr_allowed_query_parsers``. ``hamm_search`` answers the ones
whose syntax it has: ``lucene`` (with ``q.op``, ``df`` is ignored as the
default field is always ``text``), ``dismax``/``edismax`` (the search-box
rules) and, for ckanext-spatial's extent filters, ``frange`` and ``field``
(``spatial.py``); any other parser (``knn``, ``bool``, ``child`` …) is refused with a
clear ``SearchError`` (the API's HTTP 409 "Search Error"), never answered as
something else.
"""
from __future__ import annotations

import re
import shlex

from ckan.lib.search.common import SearchError

SUPPORTED = {"lucene", "dismax", "edismax", "frange", "field"}
_LOCAL_RE = re.compile(r"^\{!([^}]*)\}(.*)$", re.DOTALL)


def split(value: str) -> tuple[str | None, dict[str, str], str]:
    """(parser, its parameters, the query) of ``value``; parser None without local params."""
    match = _LOCAL_RE.match(value.strip())
    if not match:
        return None, {}, value
    try:
        words = shlex.split(match.group(1))
    except ValueError as error:
        raise _refused(f"unreadable local parameters ({error})") from None
    parser, params = None, {}
    for word in words:
        key, sep, val = word.partition("=")
        if sep:
            params[key] = val
        elif parser is None:
            parser = key
    parser = params.pop("type", parser) or "lucene"
    if parser not in SUPPORTED:
        raise _refused(f"the query parser {parser!r} is not supported")
    return parser, params, params.pop("v", match.group(2))


def _refused(reason: str) -> SearchError:
    return SearchError(
        "Diese Suchanfrage mit lokalen Parametern ({!…}) kann die Suche nicht beantworten. / "
        f"This query with local parameters ({{!…}}) cannot be answered by hamm_search: {reason}.")
