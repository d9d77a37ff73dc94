"""One rule for links: the page, the quality score, DCAT, the harvester and the publisher agree."""
from __future__ import annotations

import pytest

from ckanext.hamm.dataset import links
from ckanext.hamm.dataset.quality import score
from ckanext.hamm.harvesters import mapping
from ckanext.hamm.helpers.text import hamm_is_http_url

WEB = ["https://www.hamm.de/a.csv", "http://example.org/x?y=1#z", "HTTPS://WWW.HAMM.DE/", " https://hamm.de/trim "]
NOT_WEB = ["javascript:alert(1)", "data:text/html,x", "ftp://ftp.hamm.de/a.csv", "https://", "https:///path",
           "https://hamm.de/a b.csv", "www.hamm.de", "", None, 42, "https://hamm.de/" + "x" * 2000]


@pytest.mark.parametrize("url", WEB)
def test_web_addresses_are_links_everywhere(url):
    assert links.is_web_url(url) and links.is_link(url) and hamm_is_http_url(url)


@pytest.mark.parametrize("url", NOT_WEB)
def test_everything_else_is_no_web_address_for_any_part(url):
    assert not links.is_web_url(url) and not hamm_is_http_url(url)


def test_ftp_is_a_download_link_but_not_a_web_page():
    assert links.is_link("ftp://ftp.hamm.de/a.csv") and not links.is_web_url("ftp://ftp.hamm.de/a.csv")
    assert not links.is_link("javascript:alert(1)")


def test_harvester_and_quality_score_use_the_same_rule():
    assert mapping.is_web_url is links.is_web_url
    good = {"resources": [{"url": "https://www.hamm.de/a.csv", "format": "CSV"}]}
    bad = {"resources": [{"url": "https://hamm.de/a b.csv", "format": "CSV"}]}

    def passed(pkg):
        return next(c["passed"] for c in score(pkg)["checks"] if c["id"] == "access_url")
    assert passed(good) and not passed(bad)
