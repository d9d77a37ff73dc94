"""The one URL reading of ``net/policy.py`` (issue 26, finding 3): what requests connects to is
what the host checks see, and a URL two parsers could read differently is refused."""
from __future__ import annotations

import pytest

from ckanext.hamm.net.errors import HammPolicyError
from ckanext.hamm.net.policy import FetchPolicy, check_url, fetch_target, url_host

CITY = FetchPolicy(allowed_hosts=("www.hamm.de",), allow_http=True)


def public(host: str, port: int) -> list[str]:
    return ["93.184.216.34"]  # a public address, so only the URL's reading can refuse


AMBIGUOUS = [
    "http://10.0.0.5\\@www.hamm.de/x.csv",     # the review's URL: requests connects to 10.0.0.5
    "http://10.0.0.5\\\\@www.hamm.de/x.csv",
    "http://www.hamm.de\\.evil.example/x.csv",
    "http://10.0.0.5%5c@www.hamm.de/x.csv",
    "http://10.0.0.5%5C@www.hamm.de/x.csv",
    "http://10.0.0.5\t@www.hamm.de/x.csv",
    "http://10.0.0.5\n@www.hamm.de/x.csv",
    "http://10.0.0.5\r\n@www.hamm.de/x.csv",
    "http://10.0.0.5 @www.hamm.de/x.csv",
    "http://10.0.0.5@www.hamm.de/x.csv",        # user info
    "http://www.hamm.de:80@10.0.0.5/x.csv",
    "http://user:pass@www.hamm.de/x.csv",
    "https://a＠www.hamm.de/x.csv",             # full-width ＠
    "https://10.0.0.5＃@www.hamm.de/x.csv",     # full-width ＃
    "https://www.ｈａｍｍ.de/x.csv",             # full-width letters
    "https://www%2ehamm.de/x.csv",
    "http://167772165/x.csv",                   # 10.0.0.5, decimal
    "http://012.0.0.5/x.csv",                   # 10.0.0.5, octal
    "http://0x0a.0.0.5/x.csv",                  # 10.0.0.5, hex
    "http://10.5/x.csv",
    "http://[::1/x.csv",
    "http://[www.hamm.de]/x.csv",
    "http://[fe80::1%25eth0]/x.csv",
    "https://www.hamm.de:99999/x.csv",
    "https://www.hamm.de:0x50/x.csv",
    "file:///etc/passwd",
    "//www.hamm.de/x.csv",
    "https:///x.csv",
    "",
]


@pytest.mark.parametrize("url", AMBIGUOUS)
def test_an_ambiguous_url_is_refused_before_any_host_check(url):
    with pytest.raises(HammPolicyError) as refused:
        check_url(url, CITY, public)
    assert "nicht abgerufen" in refused.value.de or "nur https" in refused.value.de
    assert url_host(url) is None


@pytest.mark.parametrize("url, host, port", [
    ("https://www.hamm.de/opendata/b%C3%A4ume.csv", "www.hamm.de", 443),
    ("http://WWW.Hamm.DE:8080/x.csv?a=1#t", "www.hamm.de", 8080),
    ("https://www.hamm.de/＃x", "www.hamm.de", 443),   # full-width in the path: requests encodes it
    ("https://www.hamm.de/x%5cy.csv", "www.hamm.de", 443),
    ("http://10.0.0.5/x.csv", "10.0.0.5", 80),
    ("http://[::1]:8000/x.csv", "::1", 8000),
    ("http://[::ffff:10.0.0.5]/x.csv", "::ffff:10.0.0.5", 80),
])
def test_a_plain_url_is_read_as_requests_reads_it(url, host, port):
    target = fetch_target(url)
    assert (target.host, target.port) == (host, port)
    assert url_host(url) == host


@pytest.mark.parametrize("url", ["http://10.0.0.5/x.csv", "http://[::1]/x.csv", "http://[::ffff:10.0.0.5]/x.csv"])
def test_address_literals_are_checked_like_names(url):
    lenient = FetchPolicy(allowed_hosts=("10.0.0.5", "::1", "::ffff:10.0.0.5"), allow_http=True)
    with pytest.raises(HammPolicyError, match="interne Adresse"):
        check_url(url, lenient, lambda host, port: [host])


def test_the_city_s_own_url_passes():
    assert check_url("https://www.hamm.de/opendata/x.csv", CITY, public) == "https://www.hamm.de/opendata/x.csv"


# -- every host check reads the URL this way (the DataStore loader's, the map previews') ----------

LOADER_BYPASSES = ["http://10.0.0.5\\@www.hamm.de/x.csv", "https://10.0.0.5\\@www.hamm.de/x.csv",
                   "https://a＠www.hamm.de/x.csv", "https://10.0.0.5＃@www.hamm.de/x.csv",
                   "https://10.0.0.5%5c@www.hamm.de/x.csv", "https://10.0.0.5\t@www.hamm.de/x.csv",
                   "https://www.hamm.de:99999/x.csv", "https://[www.hamm.de]/x.csv"]


@pytest.mark.parametrize("url", LOADER_BYPASSES)
def test_the_preview_host_lists_are_not_fooled(url):
    from ckanext.hamm.previews import on_hosts

    assert on_hosts(url, frozenset({"www.hamm.de"})) is False
    assert on_hosts("https://www.hamm.de/x.csv", frozenset({"www.hamm.de"})) is True


@pytest.mark.parametrize("url", LOADER_BYPASSES)
def test_the_loader_and_map_files_fetch_no_such_link(ckan_config, monkeypatch, url):
    from ckanext.hamm.previews.files import link_allowed

    monkeypatch.setitem(ckan_config, "ckanext.hamm.previews.linked_hosts", ["www.hamm.de"])
    assert link_allowed(url) is False
    assert link_allowed("https://www.hamm.de/x.csv") is True
