"""The client address behind the reverse proxy: forwarded headers count only from a trusted proxy."""
from __future__ import annotations

import pytest

from ckanext.hamm.net.proxy import client_address


def _environ(peer: str, forwarded: str = "", real: str = "") -> dict:
    environ = {"REMOTE_ADDR": peer}
    if forwarded:
        environ["HTTP_X_FORWARDED_FOR"] = forwarded
    if real:
        environ["HTTP_X_REAL_IP"] = real
    return environ


@pytest.mark.ckan_config("ckanext.hamm.security.trusted_proxies", "")
def test_nobody_is_trusted_by_default():
    assert client_address(_environ("127.0.0.1", "203.0.113.9")) == "127.0.0.1"


@pytest.mark.ckan_config("ckanext.hamm.security.trusted_proxies", "127.0.0.1")
def test_a_spoofed_header_from_an_untrusted_peer_is_ignored():
    assert client_address(_environ("198.51.100.4", "203.0.113.9", real="203.0.113.10")) == "198.51.100.4"


@pytest.mark.ckan_config("ckanext.hamm.security.trusted_proxies", "127.0.0.1 ::1")
def test_the_trusted_proxy_names_the_client():
    assert client_address(_environ("127.0.0.1", "203.0.113.9")) == "203.0.113.9"
    assert client_address(_environ("::1", real="2001:db8::7")) == "2001:db8::7"


@pytest.mark.ckan_config("ckanext.hamm.security.trusted_proxies", "127.0.0.1")
def test_the_client_cannot_choose_its_address_through_the_proxy():
    """nginx appends the real peer: what the client wrote itself stands left of it."""
    assert client_address(_environ("127.0.0.1", "1.2.3.4, 203.0.113.9")) == "203.0.113.9"


@pytest.mark.ckan_config("ckanext.hamm.security.trusted_proxies", "127.0.0.1 10.0.0.0/8")
def test_a_chain_of_trusted_proxies_is_walked_from_the_right():
    assert client_address(_environ("127.0.0.1", "6.6.6.6, 203.0.113.9, 10.1.2.3")) == "203.0.113.9"


@pytest.mark.ckan_config("ckanext.hamm.security.trusted_proxies", "127.0.0.1")
def test_garbage_in_the_header_does_not_become_an_address():
    assert client_address(_environ("127.0.0.1", "203.0.113.9, <script>")) == "127.0.0.1"
    assert client_address(_environ("127.0.0.1", real="nonsense")) == "127.0.0.1"


def test_the_shipped_deployment_trusts_only_its_own_nginx():
    import configparser
    from pathlib import Path

    from ckanext.hamm.server import gunicorn_config

    deploy = Path(__file__).resolve().parents[2] / "deploy"
    ini = configparser.ConfigParser(interpolation=None)
    ini.optionxform = str  # type: ignore[assignment,method-assign]
    ini.read(deploy / "ckan.ini.example")
    assert ini["app:main"]["ckanext.hamm.security.trusted_proxies"].split() == ["127.0.0.1", "::1"]
    site = (deploy / "nginx" / "opendata-hamm.conf").read_text()
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in site
    assert "proxy_set_header X-Real-IP $remote_addr;" in site
    assert gunicorn_config.forwarded_allow_ips == "127.0.0.1,::1"
