"""The client's address behind the reverse proxy, trusted only from the configured proxies.

Behind nginx every request comes from 127.0.0.1, so limits keyed on the direct
peer would treat the whole city as one client. The forwarded headers, though,
are written by whoever sends the request: they count only when the direct peer
is one of ``ckanext.hamm.security.trusted_proxies``, and then only up to the
first hop that is not a trusted proxy (the right-most untrusted address), since
everything left of it was written by the client itself.
"""
from __future__ import annotations

import ipaddress
from typing import Optional, Union

import flask

from ckanext.hamm import config

_Network = Union[ipaddress.IPv4Network, ipaddress.IPv6Network]
_Address = Union[ipaddress.IPv4Address, ipaddress.IPv6Address]


def _networks(entries: list[str]) -> list[_Network]:
    return [ipaddress.ip_network(entry.strip(), strict=False) for entry in entries if entry.strip()]


def _address(text: str) -> Optional[_Address]:
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def _trusted(address: Optional[_Address], networks: list[_Network]) -> bool:
    return address is not None and any(address in network for network in networks)


def client_address(environ: Optional[dict] = None) -> str:
    """The address to count a request against (``local`` outside a web request)."""
    if environ is None:
        if not flask.has_request_context():
            return "local"
        environ = flask.request.environ
    peer = str(environ.get("REMOTE_ADDR") or "unknown")
    networks = _networks(config.trusted_proxies())
    if not _trusted(_address(peer), networks):
        return peer
    hops = [hop.strip() for hop in str(environ.get("HTTP_X_FORWARDED_FOR") or "").split(",") if hop.strip()]
    if not hops:
        real = _address(str(environ.get("HTTP_X_REAL_IP") or ""))
        return str(real) if real is not None else peer
    client = peer
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            break  # garbage a proxy would not write: stop at the last hop we could read
        client = str(address)
        if not _trusted(address, networks):
            break
    return client
