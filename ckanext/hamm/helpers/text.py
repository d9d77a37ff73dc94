"""Text and links as templates may show them: teasers of long descriptions, safe link targets.

Teasers of long descriptions are made without rendering the whole text.

CKAN's ``markdown_extract`` renders the complete Markdown and then shortens the
plain text: one dataset with a multi-megabyte description made every list page
that showed it take seconds. The teaser only ever needs the beginning.
"""
from __future__ import annotations

from typing import Any, Callable

import ckan.plugins.toolkit as tk

from ckanext.hamm import config as hamm_config
from ckanext.hamm.dataset import links

__all__ = ["hamm_is_http_url", "markdown_extract"]


@tk.chained_helper
def markdown_extract(next_helper: Callable[..., Any], text: str, extract_length: int = 190) -> Any:
    limit = max(hamm_config.limits_list_snippet_chars(), extract_length * 2)
    if extract_length and text and len(text) > limit:
        text = text[:limit]
    return next_helper(text, extract_length)


def hamm_is_http_url(value: Any) -> bool:
    """Only http(s) links go into href attributes (no javascript:, data:, file:)."""
    return links.is_web_url(value)
