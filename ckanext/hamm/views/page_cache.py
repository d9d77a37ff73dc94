"""Rendered pages for anonymous visitors, kept per search-index version.

Most visitors are anonymous and look at the same few pages: the home page, the
search, concept pages, dataset pages, the DCAT catalogue. Each is a pure function
of the catalogue, the URL and the language until a dataset changes, so a page
rendered once is kept under the index version of ``search/cache.py`` (the one the
facet counts use) and the vocabulary files' stamp. Any saved change bumps that
version, so the next request renders afresh: a change is visible to everyone
right after it is saved.

Never cached: signed-in users and API-token requests, requests with a pending
flash message, anything but GET and 200. The per-visitor CSRF token in a kept
page is replaced by the visitor's own token when the page is served.
"""
from __future__ import annotations

import logging
from typing import Optional

import ckan.plugins.toolkit as tk
from ckan import model
from flask import Blueprint, Response, current_app, g, request, session
from flask_wtf.csrf import generate_csrf

from ckanext.hamm import config as hamm_config
from ckanext.hamm.search import cache, install
from ckanext.hamm.vocabularies import store as vocabulary

__all__ = ["hamm_page_cache"]

log = logging.getLogger(__name__)
hamm_page_cache = Blueprint("hamm_page_cache", __name__)

ENDPOINTS = frozenset({"home.index", "dcat.read_catalog", "dataset.search", "dataset.read",
                       "dcat.read_dataset"})
MAX_PAGE_BYTES = 2_000_000
HEADER = "X-Hamm-Page-Cache"
_KEY = "hamm_page_key"


def _cacheable_request() -> bool:
    endpoint = request.endpoint or ""
    return (request.method == "GET"
            and (endpoint in ENDPOINTS or endpoint.startswith("hamm_pages."))
            and not tk.current_user.is_authenticated
            and not request.headers.get("Authorization") and not request.headers.get("X-CKAN-API-Key")
            and not session.get("_flashes")
            and hamm_config.cache_pages() and install.installed())


def _key() -> Optional[tuple]:
    if not _cacheable_request():
        return None
    try:
        version = cache.version(model.Session)
    except Exception:  # database trouble: render normally, the view reports it
        log.warning("page cache: index version unreadable", exc_info=True)
        model.Session.rollback()
        return None
    if version is None:
        return None
    return (version, vocabulary.stamp(), request.environ.get("CKAN_LANG"), request.full_path,
            request.headers.get("Accept", ""))


@hamm_page_cache.before_app_request
def serve_kept_page() -> Optional[Response]:
    key = _key()
    kept = cache.pages.get(key) if key else None
    if kept is None:
        setattr(g, _KEY, key)
        return None
    body, mimetype, token = kept
    if token:
        body = body.replace(token, generate_csrf())
    response = Response(body, mimetype=mimetype)
    response.headers[HEADER] = "hit"
    return response


@hamm_page_cache.after_app_request
def keep_page(response: Response) -> Response:
    key = g.pop(_KEY, None)
    if (key is None or response.status_code != 200 or response.direct_passthrough
            or response.is_streamed or session.get("_flashes")):
        return response
    body = response.get_data(as_text=True)
    if len(body) <= MAX_PAGE_BYTES:
        token = g.get(current_app.config.get("WTF_CSRF_FIELD_NAME") or "csrf_token")
        cache.pages.put(key, (body, response.mimetype, token))
        response.headers[HEADER] = "miss"
    return response
