"""Issue 26 (finding 11): every answer carries the security headers, and no answer that sets a
cookie may be kept by a shared cache (a cookie of one visitor served to the next)."""
from __future__ import annotations

import pytest
from ckan.tests import factories

from tests.support.portal import PLUGINS, clean_db, hamm_dataset  # noqa: F401 (fixtures)

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.ckan_config("ckanext.hamm.cache.pages", "true"),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]
SECURITY_HEADERS = ("X-Content-Type-Options", "Referrer-Policy", "X-Frame-Options", "Content-Security-Policy")


def _webasset(app) -> str:
    import re

    page = app.get("/").body
    match = re.search(r'(?:src|href)="(/webassets/[^"?]+)', page)
    assert match, "the home page links no webasset"
    return match.group(1)


@pytest.mark.parametrize("path", ["/healthz", "/base/images/ckan-logo.png", "webasset", "/robots.txt"])
def test_health_and_static_files_carry_the_security_headers(app, path):
    """As gunicorn serves them: WhiteNoise and the /healthz middleware answer before Flask."""
    from werkzeug.test import Client

    from ckanext.hamm.server.static import serve_static

    url = _webasset(app) if path == "webasset" else path
    client = Client(serve_static(app.app, app.flask_app.static_folder))
    response = client.get(url)
    assert response.status_code in (200, 503), (url, response.status_code)
    for name in SECURITY_HEADERS:
        assert name in response.headers, (url, name)
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def _cookie_and_cache(response) -> tuple[list[str], str]:
    return response.headers.getlist("Set-Cookie"), response.headers.get("Cache-Control", "")


@pytest.mark.parametrize("url", ["/dataset", "dataset page", "/"])
def test_an_answer_that_sets_a_cookie_is_never_public(app, url):
    dataset = hamm_dataset(title="Baumkataster Hamm", owner_org=factories.Organization()["id"])
    url = f"/dataset/{dataset['name']}" if url == "dataset page" else url
    for visitor in (app.test_client(), app.test_client(), app.test_client()):  # miss, hit, hit
        response = visitor.get(url)
        cookies, cache_control = _cookie_and_cache(response)
        if cookies:
            assert "public" not in cache_control and "private" in cache_control, (url, cache_control, cookies)
    assert response.headers.get("X-Hamm-Page-Cache") == "hit"
