"""Which URLs the portal may fetch: scheme, host allow-list and address checks.

Checked for the source URL, every redirect hop and every next-page link, so a
catalogue can never steer the portal to internal services (SSRF).

One parse for every host check (``fetch_target``): Python's ``urlsplit`` and
requests/urllib3 disagree on some URLs (``http://10.0.0.5\\@www.hamm.de/`` is
www.hamm.de to the one and 10.0.0.5 to the other), so a URL with a backslash,
a control or space character, user info, a non-ASCII or percent-encoded host or an
IP address in an unusual spelling is refused outright, and the host both parsers
see must be the same.
"""
from __future__ import annotations

import dataclasses
import ipaddress
import re
import socket
from typing import Callable, Iterable, Optional
from urllib.parse import urlsplit

from urllib3.exceptions import LocationParseError
from urllib3.util import parse_url

from ckanext.hamm.net.errors import HammPolicyError, shorten

# Cloud metadata services answer on these even where they look "public".
METADATA_ADDRESSES = frozenset({"169.254.169.254", "fd00:ec2::254", "100.100.100.200"})

Resolver = Callable[[str, int], Iterable[str]]

MAX_URL_CHARS = 8000
# A host that is only digits, dots and hex digits is an address; inet_aton also reads
# 167772165, 0x0a.0.0.5 and 012.0.0.5 (octal) as 10.0.0.5.
_NUMERIC_HOST = re.compile(r"^(0x[0-9a-f]*|[0-9]+)(\.(0x[0-9a-f]*|[0-9]*))*\.?$")
_HOST_NAME = re.compile(r"^[a-z0-9_-]+(\.[a-z0-9_-]+)*\.?$")


@dataclasses.dataclass(frozen=True)
class FetchTarget:
    """Where a request for a URL connects: scheme, host (lower-case, brackets off) and port."""

    scheme: str
    host: str
    port: int


def _unreadable(url: object, why_de: str, why_en: str) -> HammPolicyError:
    return HammPolicyError(f"Die Adresse „{shorten(url)}“ wird nicht abgerufen: {why_de}.",
                           f"The address '{shorten(url)}' is not fetched: {why_en}.")


def fetch_target(url: object) -> FetchTarget:
    """The one reading of a URL for host checks; HammPolicyError when it is ambiguous.

    Ambiguous is anything that two URL parsers might read as different hosts; such URLs
    are not links anybody means, so they are refused instead of interpreted.
    """
    if not isinstance(url, str) or not url or len(url) > MAX_URL_CHARS:
        raise _unreadable(url, "keine Adresse", "not an address")
    if "\\" in url or any(ch <= " " or ch == "\x7f" for ch in url):
        raise _unreadable(url, "sie enthält einen Backslash, ein Leer- oder Steuerzeichen",
                          "it contains a backslash, a space or a control character")
    try:
        parts = urlsplit(url)
        port = parts.port
        other = parse_url(url)
    except (ValueError, LocationParseError):
        raise _unreadable(url, "sie ist keine gültige URL", "it is not a valid URL") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise _unreadable(url, "nur http- und https-Adressen", "only http and https addresses")
    netloc = parts.netloc
    if "@" in netloc or not netloc.isascii() or "%" in netloc:
        raise _unreadable(url, "Zugangsdaten, kodierte oder Sonderzeichen im Servernamen",
                          "credentials, encoded or special characters in the server name")
    host = (parts.hostname or "").lower()
    ip_literal = netloc.startswith("[")
    if not host or (not ip_literal and not _HOST_NAME.match(host)):
        raise _unreadable(url, "kein gültiger Servername", "no valid server name")
    if _NUMERIC_HOST.match(host) and not _is_address(host):
        raise _unreadable(url, "eine IP-Adresse in ungewöhnlicher Schreibweise", "an IP address in an unusual form")
    if ip_literal and not _is_address(host):
        raise _unreadable(url, "keine gültige IPv6-Adresse", "no valid IPv6 address")
    port = port or (443 if scheme == "https" else 80)
    if ((other.host or "").lower().strip("[]") != host or (other.scheme or "").lower() != scheme
            or (other.port or port) != port or other.auth):
        raise _unreadable(url, "sie ist mehrdeutig", "it is ambiguous")
    return FetchTarget(scheme, host, port)


def url_host(url: object) -> Optional[str]:
    """The host a request for ``url`` connects to, or None for an ambiguous or broken URL."""
    try:
        return fetch_target(url).host
    except HammPolicyError:
        return None


def _is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def system_resolver(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return sorted({info[4][0] for info in infos})


@dataclasses.dataclass(frozen=True)
class FetchPolicy:
    """Site-wide rules (ckan.ini), never taken from a harvest source's config."""

    allowed_hosts: tuple[str, ...] = ("opendata.ruhr",)
    allow_http: bool = False
    allow_loopback: bool = False

    def host_allowed(self, host: str) -> bool:
        host = host.lower().rstrip(".")
        return any(host == allowed or host.endswith("." + allowed) for allowed in self.allowed_hosts)


def address_refused(address: str, allow_loopback: bool) -> bool:
    """True for private, loopback, link-local, reserved and metadata addresses."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if str(ip) in METADATA_ADDRESSES:
        return True
    if ip.is_loopback:
        return not allow_loopback
    return (ip.is_private or ip.is_link_local or ip.is_reserved or ip.is_multicast
            or ip.is_unspecified or not ip.is_global)


def check_url(url: str, policy: FetchPolicy, resolver: Resolver = system_resolver) -> str:
    """Return ``url`` if it may be fetched, else raise HammPolicyError."""
    allowed_schemes = ("https", "http") if policy.allow_http else ("https",)
    if str(url).partition(":")[0].lower() not in allowed_schemes:
        raise HammPolicyError(
            f"Die Adresse „{shorten(url)}“ ist nicht erlaubt: nur https-Adressen werden abgerufen.",
            f"The address '{shorten(url)}' is not allowed: only https addresses are fetched.")
    target = fetch_target(url)
    host, port = target.host, target.port
    if not policy.host_allowed(host):
        raise HammPolicyError(
            f"Der Server „{shorten(host)}“ steht nicht auf der Liste erlaubter Server "
            f"({', '.join(policy.allowed_hosts)}).",
            f"The server '{shorten(host)}' is not on the allow-list ({', '.join(policy.allowed_hosts)}).")
    try:
        addresses = list(resolver(host, port))
    except OSError:
        raise HammPolicyError(
            f"Der Server „{shorten(host)}“ ist nicht auffindbar (DNS).",
            f"The server '{shorten(host)}' cannot be found (DNS).") from None
    check_addresses(host, addresses, policy)
    return url


def check_addresses(host: str, addresses: Iterable[str], policy: FetchPolicy) -> None:
    addresses = list(addresses)
    if not addresses or any(address_refused(a, policy.allow_loopback) for a in addresses):
        raise HammPolicyError(
            f"Der Server „{shorten(host)}“ zeigt auf eine interne Adresse; der Abruf wurde verweigert.",
            f"The server '{shorten(host)}' points to an internal address; the fetch was refused.")
