"""Does a resource URL answer? One polite request per link, within the portal's URL policy.

A link check asks with HEAD (no body is read) and falls back to a GET of the first byte
(``Range: bytes=0-0``) where a server refuses HEAD (405, 501). Redirects are followed by
hand: every hop is parsed once (``net.policy.fetch_target``), its addresses resolved and
checked against private, loopback, link-local and metadata addresses, and the connected
peer is checked again, so a resource URL can never steer the portal into the city's
network. Unlike the harvester, any public host may be checked (resource URLs point
anywhere), http as well as https.

At most ``per_host`` requests run against one host and ``overall`` in total; a host that
answers 429/503 with ``Retry-After`` is left alone that long (capped) and asked once more.
Pure of CKAN: the job (``run.py``) hands in the targets and stores the results; the
benchmark (``bench/linkcheck.py``) runs it against a local fake server.
"""
from __future__ import annotations

import collections
import concurrent.futures
import contextlib
import dataclasses
import datetime
import logging
import threading
import time
from typing import Callable, Iterable, Iterator, Mapping, Optional
from urllib.parse import urljoin

import requests

from ckanext.hamm.net.client import _peer_address, _retry_after
from ckanext.hamm.net.errors import HammPolicyError, shorten
from ckanext.hamm.net.policy import FetchPolicy, Resolver, check_addresses, fetch_target, system_resolver
from ckanext.hamm.vocabularies.codelists import MEDIA_TYPES, normalise_format

Headers = Mapping[str, str]

log = logging.getLogger(__name__)

# What a check found, best first; the first two mean "the link answers" (MQA: status 200-399).
OUTCOMES = ("ok", "wrong_type", "broken", "server_error", "timeout", "redirect_loop", "refused", "unreachable")
ANSWERING = frozenset({"ok", "wrong_type"})
REDIRECTS = frozenset({301, 302, 303, 307, 308})
HEAD_REFUSED = frozenset({405, 501})
# Served for anything: a download behind one of these proves nothing about the format.
GENERIC_TYPES = frozenset({"", "application/octet-stream", "binary/octet-stream", "application/download",
                           "application/force-download", "application/x-download"})
# Spellings servers use besides the IANA type of MEDIA_TYPES.
ALSO_SERVED = {
    "CSV": {"application/csv", "text/comma-separated-values", "text/plain", "application/vnd.ms-excel"},
    "JSON": {"text/json", "application/geo+json", "application/ld+json"},
    "GEOJSON": {"application/json", "application/vnd.geo+json"},
    "JSONLD": {"application/json"},
    "XML": {"text/xml"}, "GML": {"application/xml", "text/xml"}, "RDF": {"application/xml", "text/xml"},
    "KML": {"application/xml", "text/xml"},
    "WMS": {"application/xml", "text/xml"}, "WFS": {"application/xml", "text/xml"},
    "ZIP": {"application/x-zip-compressed"}, "SHP": {"application/zip", "application/x-zip-compressed"},
    "XLSX": {"application/vnd.ms-excel"}, "TXT": {"text/csv"},
    "HTML": {"application/xhtml+xml"},
}


@dataclasses.dataclass(frozen=True)
class Target:
    """One resource URL to check, with the format its metadata declares."""

    resource_id: str
    url: str
    format: str = ""
    package_id: str = ""


@dataclasses.dataclass
class Result:
    resource_id: str
    url: str
    outcome: str
    status: Optional[int] = None
    content_type: str = ""
    size: Optional[int] = None
    elapsed_ms: int = 0
    final_url: str = ""
    method: str = ""
    detail: str = ""
    package_id: str = ""

    @property
    def answers(self) -> bool:
        return self.outcome in ANSWERING


@dataclasses.dataclass(frozen=True)
class Settings:
    user_agent: str = "ckanext-hamm Linkprüfung"
    connect_timeout: float = 5.0
    read_timeout: float = 15.0
    max_redirects: int = 5
    per_host: int = 2
    overall: int = 8
    max_wait: float = 30.0  # longest Retry-After honoured; a longer one counts as a failure
    allow_loopback: bool = False  # tests and the benchmark only


def content_matches(declared_format: str, content_type: str) -> bool:
    """Whether the served media type fits the declared format (unknown or generic ones always do)."""
    fmt = normalise_format(declared_format)
    served = content_type.split(";", 1)[0].strip().lower()
    expected = MEDIA_TYPES.get(fmt)
    if not expected or served in GENERIC_TYPES:
        return True
    return served == expected or served in ALSO_SERVED.get(fmt, set())


class _Host:
    """One host's share: a semaphore, a pause asked for by Retry-After, and a high-water mark."""

    def __init__(self, cap: int) -> None:
        self.slots = threading.BoundedSemaphore(cap)
        self.lock = threading.Lock()
        self.active = 0
        self.most = 0
        self.not_before = 0.0


class LinkChecker:
    """Checks targets with bounded concurrency; counts what it asked, per host."""

    def __init__(self, settings: Settings = Settings(), resolver: Resolver = system_resolver,
                 sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.monotonic) -> None:
        self.settings = settings
        self.policy = FetchPolicy(allowed_hosts=(), allow_http=True, allow_loopback=settings.allow_loopback)
        self.resolver = resolver
        self.sleep = sleep
        self.clock = clock
        self._hosts: dict[str, _Host] = {}
        self._hosts_lock = threading.Lock()
        self._local = threading.local()
        self.requests_made: collections.Counter[str] = collections.Counter()  # per host

    # -- the run ---------------------------------------------------------------------
    def check_all(self, targets: Iterable[Target]) -> list[Result]:
        targets = list(targets)
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, self.settings.overall)) as pool:
            return list(pool.map(self.check, targets))

    def max_per_host(self) -> dict[str, int]:
        return {host: state.most for host, state in self._hosts.items()}

    def check(self, target: Target) -> Result:
        started = self.clock()
        try:
            result = self._follow(target)
        except Exception:  # one odd answer must not end the whole run
            log.exception("link check of %s failed", shorten(target.url))
            result = Result(target.resource_id, target.url, "unreachable", final_url=target.url,
                            detail="Prüfung fehlgeschlagen / check failed")
        result.elapsed_ms = int((self.clock() - started) * 1000)
        result.package_id = target.package_id
        return result

    def _follow(self, target: Target) -> Result:
        url, seen = target.url, {target.url}
        for _hop in range(self.settings.max_redirects + 1):
            base = Result(target.resource_id, target.url, "ok", final_url=url)
            try:
                host = self._allowed(url)
            except _Unreachable as error:
                return dataclasses.replace(base, outcome="unreachable", detail=str(error))
            except HammPolicyError as error:
                return dataclasses.replace(base, outcome="refused", detail=str(error))
            try:
                method, response = self._ask(url, host)
            except HammPolicyError as error:  # the peer connected to was an internal address
                return dataclasses.replace(base, outcome="refused", detail=str(error))
            except requests.Timeout:
                return dataclasses.replace(base, outcome="timeout", detail="Zeitlimit überschritten / timed out")
            except requests.RequestException:
                return dataclasses.replace(base, outcome="unreachable",
                                           detail="Server nicht erreichbar / server not reachable")
            status, headers = response
            location = headers.get("Location", "")
            if status in REDIRECTS and location:
                url = urljoin(url, location)
                if url in seen:
                    return dataclasses.replace(base, outcome="redirect_loop", status=status, method=method,
                                               detail=f"Weiterleitung im Kreis / redirect loop: {shorten(url)}")
                seen.add(url)
                continue
            return self._classify(base, target, method, status, headers)
        return Result(target.resource_id, target.url, "redirect_loop", final_url=url,
                      detail="Zu viele Weiterleitungen / too many redirects")

    @staticmethod
    def _classify(base: Result, target: Target, method: str, status: int, headers: Headers) -> Result:
        content_type = (headers.get("Content-Type") or "").split(";", 1)[0].strip().lower()
        result = dataclasses.replace(base, status=status, method=method, content_type=content_type[:200],
                                     size=_size(headers, status))
        if status >= 500 or status == 429:
            result.outcome = "server_error"
        elif status >= 400:
            result.outcome = "broken"
        elif not content_matches(target.format, content_type):
            result.outcome = "wrong_type"
            result.detail = f"{normalise_format(target.format)} angegeben, {shorten(content_type, 60)} geliefert"
        return result

    # -- one hop ----------------------------------------------------------------------
    def _allowed(self, url: str) -> str:
        """The host of ``url`` if policy allows asking it (addresses resolved and checked)."""
        target = fetch_target(url)
        try:
            addresses = list(self.resolver(target.host, target.port))
        except OSError:
            raise _Unreachable(f"Servername unbekannt (DNS) / unknown host: {shorten(target.host)}") from None
        check_addresses(target.host, addresses, self.policy)
        return target.host

    def _ask(self, url: str, host: str) -> tuple[str, tuple[int, Headers]]:
        """HEAD, or a one-byte GET where HEAD is refused; one more try after a honoured Retry-After."""
        for attempt in range(2):
            with self._slot(host):
                method, answer = "HEAD", self._request("HEAD", url, host)
                if answer[0] in HEAD_REFUSED:
                    method, answer = "GET", self._request("GET", url, host)
            status, headers = answer
            if attempt == 0 and status in (429, 503) and headers.get("Retry-After"):
                wait = _retry_after(headers, -1.0)
                if 0 <= wait <= self.settings.max_wait:
                    self._pause_host(host, wait)
                    continue
            return method, answer
        return method, answer

    def _request(self, method: str, url: str, host: str) -> tuple[int, Headers]:
        headers = {"User-Agent": self.settings.user_agent, "Accept": "*/*"}
        if method == "GET":
            headers["Range"] = "bytes=0-0"
        self.requests_made[host] += 1
        raw = self._session().request(method, url, headers=headers, stream=True, allow_redirects=False,
                                      timeout=(self.settings.connect_timeout, self.settings.read_timeout))
        with raw:  # the body is never read: closing drops the connection of a long download
            peer = _peer_address(raw)
            if peer is not None:
                check_addresses(host, [peer], self.policy)
            return raw.status_code, raw.headers

    def _session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            session.trust_env = False  # no proxies or netrc credentials from the environment
            self._local.session = session
        return session

    @contextlib.contextmanager
    def _slot(self, host: str) -> Iterator[None]:
        state = self._host(host)
        with state.slots:
            with state.lock:
                wait = state.not_before - self.clock()
            if wait > 0:
                self.sleep(wait)
            with state.lock:
                state.active += 1
                state.most = max(state.most, state.active)
            try:
                yield
            finally:
                with state.lock:
                    state.active -= 1

    def _host(self, host: str) -> _Host:
        with self._hosts_lock:
            if host not in self._hosts:
                self._hosts[host] = _Host(max(1, self.settings.per_host))
            return self._hosts[host]

    def _pause_host(self, host: str, seconds: float) -> None:
        state = self._host(host)
        with state.lock:
            state.not_before = max(state.not_before, self.clock() + seconds)


class _Unreachable(Exception):
    pass


def _size(headers: Headers, status: int) -> Optional[int]:
    """The file's size: the total of a Content-Range, else Content-Length of a full answer."""
    total = (headers.get("Content-Range") or "").rpartition("/")[2].strip()
    if total.isdigit():
        return int(total)
    length = (headers.get("Content-Length") or "").strip()
    return int(length) if length.isdigit() and status != 206 else None


# -- when to check, and when a link counts as broken --------------------------------------
def due(targets: Iterable[Target], last: dict[str, tuple[str, datetime.datetime]], now: datetime.datetime,
        interval: datetime.timedelta) -> list[Target]:
    """The targets not checked within ``interval``; a changed URL is always due."""
    wanted = []
    for target in targets:
        previous = last.get(target.resource_id)
        if previous is None or previous[0] != target.url or now - previous[1] >= interval:
            wanted.append(target)
    return wanted


def link_state(history: Iterable[tuple[datetime.date, str]], broken_after_days: int = 2) -> str:
    """``ok``, ``failing`` (failed, not yet on enough consecutive days), ``broken`` or ``unchecked``.

    ``history`` holds (day, outcome) of one URL's checks. One failed check is not enough:
    a server down for the night must not put a link on the department's list.
    """
    checks = sorted(history, key=lambda item: item[0], reverse=True)
    if not checks:
        return "unchecked"
    if checks[0][1] in ANSWERING:
        return "ok"
    days: list[datetime.date] = []
    for day, outcome in checks:
        if outcome in ANSWERING:
            break
        if not days or days[-1] - day == datetime.timedelta(days=1):
            days.append(day)
        elif day != days[-1]:
            break
    return "broken" if len(days) >= max(1, broken_after_days) else "failing"
