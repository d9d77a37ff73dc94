"""Rate limits behind the shipped nginx: each citizen counts on their own, spoofed headers do not help."""
from __future__ import annotations

import pytest
from ckan.lib.helpers import url_for
from ckan.tests import helpers

from tests.support.portal import PLUGINS, clean_db  # noqa: F401 (fixtures)
from tests.views.test_datarequest import FORM, _token

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.ckan_config("ckanext.hamm.datarequest.rate_limit", 1),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


def _submit(app, peer: str, forwarded: str) -> int:
    environ = {"REMOTE_ADDR": peer, "HTTP_X_FORWARDED_FOR": forwarded}
    browser = app.test_client()
    page = browser.get(url_for("hamm_datarequest.new"), environ_base=environ)
    return browser.post(url_for("hamm_datarequest.new"), environ_base=environ, follow_redirects=False,
                        data=dict(FORM, _csrf_token=_token(page))).status_code


@pytest.mark.ckan_config("ckanext.hamm.security.trusted_proxies", "127.0.0.1")
def test_one_citizen_behind_the_proxy_does_not_exhaust_the_limit_of_another(app):
    assert _submit(app, "127.0.0.1", "203.0.113.1") == 302
    assert _submit(app, "127.0.0.1", "203.0.113.1") == 200  # limited: the form again with the message
    assert _submit(app, "127.0.0.1", "203.0.113.2") == 302
    assert helpers.call_action("hamm_datarequest_list")["count"] == 2


@pytest.mark.ckan_config("ckanext.hamm.security.trusted_proxies", "127.0.0.1")
def test_a_spoofed_forwarded_header_from_an_untrusted_peer_is_ignored(app):
    assert _submit(app, "198.51.100.7", "203.0.113.1") == 302
    assert _submit(app, "198.51.100.7", "203.0.113.2") == 200
    assert helpers.call_action("hamm_datarequest_list")["count"] == 1


def test_without_trusted_proxies_the_header_counts_for_nothing(app):
    assert _submit(app, "127.0.0.1", "203.0.113.1") == 302
    assert _submit(app, "127.0.0.1", "203.0.113.2") == 200
