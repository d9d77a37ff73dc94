"""Which URLs the harvester may fetch: scheme, host allow-list and address checks.

Checked for the source URL, every redirect hop and every next-page link, so a
catalogue can never steer the portal to internal services (SSRF).
"""
from __future__ import annotations

import dataclasses
import ipaddress
import socket
from typing import Callable, Iterable
from urllib.parse import urlsplit

from ckanext.hamm.net.errors import HammPolicyError, shorten

# Cloud metadata services answer on these even where they look "public".
METADATA_ADDRESSES = frozenset({"169.254.169.254", "fd00:ec2::254", "100.100.100.200"})

Resolver = Callable[[str, int], Iterable[str]]


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
    parts = urlsplit(url)
    allowed_schemes = ("https", "http") if policy.allow_http else ("https",)
    if parts.scheme not in allowed_schemes:
        raise HammPolicyError(
            f"Die Adresse „{shorten(url)}“ ist nicht erlaubt: nur https-Adressen werden abgerufen.",
            f"The address '{shorten(url)}' is not allowed: only https addresses are fetched.")
    host = parts.hostname or ""
    if not host or parts.username or parts.password:
        raise HammPolicyError(
            f"Die Adresse „{shorten(url)}“ ist unvollständig oder enthält Zugangsdaten.",
            f"The address '{shorten(url)}' has no host or contains credentials.")
    if not policy.host_allowed(host):
        raise HammPolicyError(
            f"Der Server „{shorten(host)}“ steht nicht auf der Liste erlaubter Server "
            f"({', '.join(policy.allowed_hosts)}).",
            f"The server '{shorten(host)}' is not on the allow-list ({', '.join(policy.allowed_hosts)}).")
    port = parts.port or (443 if parts.scheme == "https" else 80)
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
