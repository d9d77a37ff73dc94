"""A small HTTP client that only fetches what the policy allows, within time and size limits.

requests follows redirects and reads without limits by default; here every hop
is checked (scheme, host, address, also the connected peer), every read is
bounded (timeouts, bytes, a job deadline) and every answer is decoded by its
declared charset. Failures are HammFetchError subclasses with readable text.
"""
from __future__ import annotations

import codecs
import dataclasses
import email.utils
import json
import math
import re
import socket
import threading
import time
from typing import Any, Callable, Optional
from urllib.parse import urljoin, urlsplit

import requests

from ckanext.hamm.net.errors import HammContentError, HammFetchError, shorten
from ckanext.hamm.net.policy import FetchPolicy, Resolver, check_addresses, check_url, system_resolver

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding=["']([A-Za-z0-9._-]+)["']""")
HTML_START = re.compile(r"^\s*(<!doctype\s+html|<html|<head|<body)", re.IGNORECASE)


@dataclasses.dataclass(frozen=True)
class Limits:
    connect_timeout: float = 5.0
    read_timeout: float = 30.0
    request_seconds: float = 120.0  # total per request, also against trickling servers
    max_bytes: int = 50_000_000
    max_redirects: int = 5
    retries: int = 3
    backoff: float = 1.0
    max_backoff: float = 30.0


class Deadline:
    """The whole job's time budget; checked before and during every request."""

    def __init__(self, seconds: Optional[float], clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.end = None if seconds is None else clock() + seconds

    def remaining(self) -> float:
        return float("inf") if self.end is None else self.end - self.clock()

    def check(self) -> None:
        if self.remaining() <= 0:
            raise HammFetchError(
                "Das Zeitlimit des Harvest-Laufs ist überschritten; der Lauf wurde beendet.",
                "The harvest job ran out of time and was stopped.")


@dataclasses.dataclass
class Response:
    url: str
    status: int
    content_type: str
    charset: Optional[str]
    body: bytes
    location: str = ""
    headers: Any = None

    def text(self) -> str:
        return decode(self.body, self.charset, self.content_type, self.url)


def decode(body: bytes, charset: Optional[str], content_type: str, url: str) -> str:
    """Decode by the declared charset (header, then XML declaration, then UTF-8)."""
    encoding = charset
    if not encoding and "xml" in content_type or not encoding and body[:5] == b"<?xml":
        match = XML_ENCODING.match(body[:200])
        encoding = match.group(1).decode("ascii") if match else None
    encoding = encoding or "utf-8"
    try:
        codecs.lookup(encoding)
        text = body.decode(encoding)
    except (LookupError, UnicodeDecodeError):
        raise HammContentError(
            f"Die Antwort von {shorten(url)} ist nicht in der angegebenen Zeichenkodierung "
            f"({shorten(encoding, 30)}) lesbar.",
            f"The answer from {shorten(url)} cannot be decoded as {shorten(encoding, 30)}.") from None
    return text.lstrip("\ufeff")


def _content_type(headers: Any) -> tuple[str, Optional[str]]:
    raw = headers.get("Content-Type", "") or ""
    mime, _, params = raw.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, value = param.strip().partition("=")
        if key.lower() == "charset" and value:
            charset = value.strip().strip('"')
    return mime.strip().lower(), charset


def _retry_after(headers: Any, default: float) -> float:
    """Seconds the server asks us to wait; an unreadable value (``soon``, ``nan``, ``-5``) means our own backoff."""
    value = (headers.get("Retry-After") or "").strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            seconds = email.utils.parsedate_to_datetime(value).timestamp() - time.time()
        except (TypeError, ValueError, OverflowError, AttributeError):
            return default
        seconds = max(0.0, seconds)
    return seconds if math.isfinite(seconds) and seconds >= 0 else default


def _socket(response: requests.Response) -> Optional[socket.socket]:
    """The socket under a streamed response (urllib3 internals; None when not exposed)."""
    for path in (("_connection", "sock"), ("_fp", "fp", "raw", "_sock")):
        value: Any = response.raw
        for attribute in path:
            value = getattr(value, attribute, None)
        if isinstance(value, socket.socket):
            return value
    return None


def _peer_address(response: requests.Response) -> Optional[str]:
    """The address actually connected to (guards against DNS rebinding), if urllib3 exposes it."""
    try:
        sock = _socket(response)
        return sock.getpeername()[0] if sock is not None else None
    except Exception:
        return None


class SafeClient:
    """GET (and CKAN action POSTs) with policy checks on every hop, retries with backoff, caps and decoding."""

    def __init__(self, policy: FetchPolicy, limits: Limits = Limits(), deadline: Optional[Deadline] = None,
                 resolver: Resolver = system_resolver, user_agent: str = "ckanext-hamm harvester",
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.policy = policy
        self.limits = limits
        self.deadline = deadline or Deadline(None)
        self.resolver = resolver
        self.sleep = sleep
        self.session = requests.Session()
        self.session.trust_env = False  # no proxies or netrc credentials from the environment
        self.session.headers.update({"User-Agent": user_agent})
        self.requests_made = 0

    def close(self) -> None:
        self.session.close()

    def get(self, url: str, accept: str = "application/json") -> Response:
        """Fetch ``url`` following at most ``max_redirects`` checked redirects."""
        for _hop in range(self.limits.max_redirects + 1):
            response = self._request_with_retries(url, accept)
            if response.status in (301, 302, 303, 307, 308):
                url = urljoin(url, response.location)
                continue
            return response
        raise HammFetchError(
            f"Zu viele Weiterleitungen beim Abruf von {shorten(url)}.",
            f"Too many redirects while fetching {shorten(url)}.")

    def _request_with_retries(self, url: str, accept: str, method: str = "GET", body: Optional[bytes] = None,
                          headers: Optional[dict[str, str]] = None, answers: frozenset = frozenset()) -> Response:
        delay = self.limits.backoff
        for attempt in range(self.limits.retries + 1):
            last = attempt == self.limits.retries
            try:
                response = self._once(url, accept, method, body, headers, answers)
            except requests.ConnectionError:
                if last:
                    raise HammFetchError(
                        f"Der Server {shorten(urlsplit(url).netloc)} ist nicht erreichbar.",
                        f"The server {shorten(urlsplit(url).netloc)} cannot be reached.") from None
                self._pause(delay)
                delay = min(delay * 2, self.limits.max_backoff)
                continue
            if response.status not in RETRY_STATUSES:
                return response if response.status in answers else self._check_status(response)
            if last:
                break
            self._pause(min(_retry_after(response.headers, delay), self.limits.max_backoff))
            delay = min(delay * 2, self.limits.max_backoff)
        raise HammFetchError(
            f"Der Server antwortet dauerhaft mit Fehler {response.status} ({shorten(url)}); "
            f"bitte später erneut versuchen.",
            f"The server keeps answering with error {response.status} ({shorten(url)}); try again later.")

    def _pause(self, seconds: float) -> None:
        if seconds >= self.deadline.remaining():
            self.deadline.check()
            seconds = max(0.0, self.deadline.remaining())
        self.sleep(seconds)

    def _check_status(self, response: Response) -> Response:
        if response.status in (301, 302, 303, 307, 308) or 200 <= response.status < 300:
            return response
        raise HammFetchError(
            f"Der Server meldet Fehler {response.status} für {shorten(response.url)}.",
            f"The server reports error {response.status} for {shorten(response.url)}.")

    def _once(self, url: str, accept: str, method: str = "GET", body: Optional[bytes] = None,
              headers: Optional[dict[str, str]] = None, answers: frozenset = frozenset()) -> Response:
        self.deadline.check()
        check_url(url, self.policy, self.resolver)
        timeout_read = min(self.limits.read_timeout, max(0.1, self.deadline.remaining()))
        self.requests_made += 1
        try:
            raw = self.session.request(method, url, headers={"Accept": accept, **(headers or {})}, data=body,
                                       stream=True, allow_redirects=False,
                                       timeout=(self.limits.connect_timeout, timeout_read))
        except requests.Timeout:
            raise self._timeout(url) from None
        with raw:
            peer = _peer_address(raw)
            if peer is not None:
                check_addresses(urlsplit(url).hostname or "", [peer], self.policy)
            if raw.status_code in (301, 302, 303, 307, 308):
                return Response(url, raw.status_code, "", None, b"", raw.headers.get("Location", ""))
            mime, charset = _content_type(raw.headers)
            readable = 200 <= raw.status_code < 300 or raw.status_code in answers
            content = self._read_capped(raw, url) if readable else b""
            return Response(url, raw.status_code, mime, charset, content, headers=raw.headers)

    def _read_capped(self, raw: requests.Response, url: str) -> bytes:
        declared = raw.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > self.limits.max_bytes:
            raise self._too_big(url)
        budget = min(self.limits.request_seconds, max(0.1, self.deadline.remaining()))
        fired = threading.Event()

        def stop() -> None:
            fired.set()
            sock = _socket(raw)
            try:
                if sock is not None:
                    sock.shutdown(socket.SHUT_RDWR)  # interrupts a blocked recv; close() would not
            except OSError:
                pass
            raw.close()

        watchdog = threading.Timer(budget, stop)  # ends reads a trickling server keeps alive
        watchdog.daemon = True
        watchdog.start()
        chunks, size = [], 0
        try:
            for chunk in raw.iter_content(65536):  # decompressed: caps gzip bombs too
                size += len(chunk)
                if size > self.limits.max_bytes:
                    raise self._too_big(url)
                chunks.append(chunk)
        except HammContentError:
            raise
        except requests.exceptions.ContentDecodingError:
            raise HammContentError(
                f"Die komprimierte Antwort von {shorten(url)} ist beschädigt.",
                f"The compressed answer from {shorten(url)} is corrupt.") from None
        except Exception:
            if fired.is_set():
                raise self._timeout(url) from None
            raise HammFetchError(
                f"Die Verbindung zu {shorten(url)} brach während der Übertragung ab.",
                f"The connection to {shorten(url)} broke during the transfer.") from None
        finally:
            watchdog.cancel()
        if fired.is_set():
            raise self._timeout(url)
        return b"".join(chunks)

    def _too_big(self, url: str) -> HammContentError:
        mb = self.limits.max_bytes / 1_000_000
        return HammContentError(
            f"Die Antwort von {shorten(url)} ist größer als erlaubt ({mb:g} MB); der Abruf wurde abgebrochen.",
            f"The answer from {shorten(url)} is larger than allowed ({mb:g} MB); the fetch was stopped.")

    def _timeout(self, url: str) -> HammFetchError:
        return HammFetchError(
            f"Der Server antwortet zu langsam ({shorten(url)}); der Abruf wurde nach Zeitlimit abgebrochen.",
            f"The server answers too slowly ({shorten(url)}); the fetch timed out.")

    # -- typed answers -------------------------------------------------------------
    def get_json(self, url: str) -> Any:
        response = self.get(url, "application/json")
        return parse_json(response)

    def call_json(self, url: str, payload: Optional[dict[str, Any]] = None, headers: Optional[dict[str, str]] = None,
                  answers: frozenset = frozenset({400, 401, 403, 404, 409})) -> tuple[int, Any]:
        """A CKAN action call (POST with a JSON body, or GET without): (status, parsed JSON).

        Statuses in ``answers`` come back with their JSON body if there is one (CKAN explains
        them there), else with None. Redirects are refused, so neither a body nor a credential
        header ever reaches another address.
        """
        body = None if payload is None else json.dumps(payload, ensure_ascii=False).encode("utf-8")
        extra = dict(headers or {}, **({"Content-Type": "application/json"} if body is not None else {}))
        response = self._request_with_retries(url, "application/json", "POST" if body is not None else "GET",
                                          body, extra, answers)
        if response.status in (301, 302, 303, 307, 308):
            raise HammFetchError(
                f"Der Server leitet {shorten(url)} weiter; Schreibzugriffe folgen keiner Weiterleitung.",
                f"The server redirects {shorten(url)}; write calls never follow redirects.")
        if 200 <= response.status < 300:
            return response.status, parse_json(response)
        try:  # an error page without JSON still has a telling status
            return response.status, parse_json(response)
        except HammContentError:
            return response.status, None


def parse_json(response: Response) -> Any:
    text = response.text()
    reject_html(response, text)
    try:
        return json.loads(text)
    except ValueError:
        raise HammContentError(
            f"Die Antwort von {shorten(response.url)} ist kein gültiges JSON.",
            f"The answer from {shorten(response.url)} is not valid JSON.") from None
    except RecursionError:
        raise HammContentError(
            f"Die Antwort von {shorten(response.url)} ist zu tief verschachtelt und wird nicht gelesen.",
            f"The answer from {shorten(response.url)} is nested too deeply and is not read.") from None


def reject_html(response: Response, text: str) -> None:
    """An HTML page with status 200 is an error page or a login wall, never data."""
    if response.content_type in ("text/html", "application/xhtml+xml") or HTML_START.match(text[:200]):
        raise HammContentError(
            f"Der Server lieferte eine Webseite statt Daten ({shorten(response.url)}), "
            f"vermutlich eine Fehler- oder Wartungsseite.",
            f"The server returned a web page instead of data ({shorten(response.url)}), "
            f"probably an error or maintenance page.")
