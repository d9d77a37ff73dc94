"""Counting dataset page views and file downloads, without personal data.

After each answer: a ``GET`` of a dataset page (``dataset.read``, also when the page
cache served it) or of CKAN's file download (``dataset_resource.download``, which serves an
upload or forwards to a linked file) that succeeded adds one to the day's counter of
that dataset (``model/usage.py``). Nothing about the visitor is read but the
User-Agent, and only to leave out robots; nothing about the visitor is stored.
"""
from __future__ import annotations

import logging
import re

from flask import Blueprint, Response, request

from ckanext.hamm.model import usage

__all__ = ["hamm_usage", "is_robot"]

log = logging.getLogger(__name__)
hamm_usage = Blueprint("hamm_usage", __name__)

# ckanext-dcat's content negotiation answers the dataset page as dcat.read_dataset (HTML only counts).
COUNTED = {"dataset.read": ("view", 200), "dcat.read_dataset": ("view", 200),
           "dataset_resource.download": ("download", None), "resource.download": ("download", None)}
# Crawlers, link checkers, feed readers and scripts name themselves so; an empty agent is no browser.
ROBOTS = re.compile(r"bot\b|bot/|crawl|spider|slurp|archiver|facebookexternalhit|preview|monitor|checker"
                    r"|headless|lighthouse|curl|wget|python|httpx|aiohttp|go-http|java/|libwww|okhttp|scrapy",
                    re.IGNORECASE)


def is_robot(user_agent: str) -> bool:
    return not user_agent.strip() or bool(ROBOTS.search(user_agent))


@hamm_usage.after_app_request
def count_usage(response: Response) -> Response:
    counted = COUNTED.get(request.endpoint or "")
    if counted is None or request.method != "GET":
        return response
    kind, status = counted
    ok = response.status_code == status if status else response.status_code in (200, 302, 303)
    if kind == "view" and response.mimetype != "text/html":
        ok = False  # the same address as Turtle or JSON-LD is metadata for machines
    args = request.view_args or {}
    ref = args.get("id") or args.get("_id")  # ckanext-dcat names it _id
    if not ok or not isinstance(ref, str) or is_robot(request.headers.get("User-Agent", "")):
        return response
    try:
        usage.count_one(ref, kind, usage.today())
    except Exception:  # a counter must never cost the visitor the page
        log.warning("usage counter not written", exc_info=True)
    return response
