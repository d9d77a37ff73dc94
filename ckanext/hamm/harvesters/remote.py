"""Reading the remote catalogue page by page: CKAN action API or a DCAT catalogue.

Paging is bounded (page cap, item cap) and cycle-checked; next-page links must
stay on the source's host. Every page is validated before anything is used.
"""
from __future__ import annotations

import dataclasses
import json
from typing import Any, Iterator, Optional
from urllib.parse import urlencode, urljoin, urlsplit

from ckanext.hamm.net.client import SafeClient, reject_html
from ckanext.hamm.net.errors import HammContentError, HammFetchError, shorten

from .source_config import SourceConfig

DCAT_ONLY_KEYS = ("dcat_fields", "import_notes")


@dataclasses.dataclass
class Page:
    datasets: list[dict[str, Any]]
    total: Optional[int]  # what the remote says it holds (CKAN API), if known


def _too_many_pages(limit: int) -> HammFetchError:
    return HammFetchError(
        f"Der Katalog hat mehr als {limit} Seiten; der Abruf wurde abgebrochen (Seitenlimit).",
        f"The catalogue has more than {limit} pages; paging was stopped (page limit).")


def _cycle(url: str) -> HammFetchError:
    return HammFetchError(
        f"Der Katalog liefert dieselbe Seite erneut ({shorten(url)}); das Blättern wurde abgebrochen.",
        f"The catalogue returns the same page again ({shorten(url)}); paging was stopped.")


def ckan_search_url(base: str, config: SourceConfig, start: int, since: Optional[str]) -> str:
    filters = ["organization:(" + " OR ".join(config.organizations) + ")"]
    if since:
        filters.append(f"metadata_modified:[{since} TO *]")
    params = {"fq": " ".join(filters), "rows": config.page_size, "start": start, "sort": "id asc"}
    return f"{base.rstrip('/')}/api/3/action/package_search?{urlencode(params)}"


def ckan_pages(client: SafeClient, base: str, config: SourceConfig, since: Optional[str] = None) -> Iterator[Page]:
    """package_search pages until an empty page or the reported count is reached."""
    seen_pages: set[frozenset] = set()
    start = 0
    for page_number in range(config.max_pages + 1):
        if page_number == config.max_pages:
            raise _too_many_pages(config.max_pages)
        url = ckan_search_url(base, config, start, since)
        envelope = client.get_json(url)
        result = envelope.get("result") if isinstance(envelope, dict) and envelope.get("success") is True else None
        if not isinstance(result, dict) or not isinstance(result.get("results"), list):
            raise HammContentError(
                f"Die Antwort von {shorten(url)} ist keine gültige CKAN-Suchantwort.",
                f"The answer from {shorten(url)} is not a valid CKAN search result.")
        # keys only our own DCAT reader may set (rdf.to_api_shape) are not taken from a remote API
        datasets = [{k: v for k, v in d.items() if k not in DCAT_ONLY_KEYS}
                    for d in result["results"] if isinstance(d, dict)]
        total = result.get("count") if isinstance(result.get("count"), int) else None
        if not datasets:
            return
        ids = frozenset(str(d.get("id")) for d in datasets)
        if ids in seen_pages:
            raise _cycle(url)
        seen_pages.add(ids)
        yield Page(datasets, total)
        start += config.page_size
        if total is not None and start >= total:
            return


def dcat_pages(client: SafeClient, base: str, config: SourceConfig, parse_page,
               since: Optional[str] = None) -> Iterator[Page]:
    """RDF catalogue pages following hydra:next on the same host only.

    ``since`` asks for what changed since then (``modified_since``, as ckanext-dcat's
    catalogue understands it); a catalogue that ignores it lists everything, which costs
    time but nothing else: unchanged records are recognised by their fingerprint.
    """
    url = urljoin(base.rstrip("/") + "/", config.catalog_path.lstrip("/"))
    if since:
        url += ("&" if "?" in url else "?") + urlencode({"modified_since": since})
    host = urlsplit(url).netloc
    visited: set[str] = set()
    for page_number in range(config.max_pages + 1):
        if page_number == config.max_pages:
            raise _too_many_pages(config.max_pages)
        if url in visited:
            raise _cycle(url)
        visited.add(url)
        response = client.get(url, "application/rdf+xml, text/turtle;q=0.9, application/ld+json;q=0.8")
        text = response.text()
        reject_html(response, text)
        datasets, next_url = parse_page(text, response.content_type)
        yield Page(datasets, None)
        if not next_url:
            return
        next_url = urljoin(url, next_url)
        if urlsplit(next_url).netloc != host:
            raise HammFetchError(
                f"Der Katalog verweist für die nächste Seite auf einen anderen Server ({shorten(next_url)}); "
                f"das wurde verweigert.",
                f"The catalogue points to another server for the next page ({shorten(next_url)}); refused.")
        url = next_url


def dumps(remote: dict[str, Any]) -> str:
    return json.dumps(remote, ensure_ascii=False, separators=(",", ":"))
