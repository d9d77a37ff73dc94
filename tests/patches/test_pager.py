"""The pager's arrow links carry a name (they contained only an icon)."""
from __future__ import annotations

from typing import Any

import pytest
from ckan.lib.pagination import Page

from tests.support.portal import PLUGINS

pytestmark = [pytest.mark.ckan_config("ckan.plugins", PLUGINS), pytest.mark.usefixtures("with_plugins")]


@pytest.mark.parametrize("lang,previous,following", [("de", "Vorige Seite", "Nächste Seite"),
                                                    ("en", "Previous page", "Next page")])
def test_previous_and_next_links_are_named(app: Any, lang: str, previous: str, following: str) -> None:
    with app.flask_app.test_request_context("/dataset", environ_overrides={"CKAN_LANG": lang}):
        app.flask_app.preprocess_request()
        html = str(Page(collection=list(range(100)), page=3, items_per_page=20,
                        url=lambda page: f"/dataset?page={page}").pager())
    assert f'<span class="visually-hidden">{previous}</span>' in html
    assert f'<span class="visually-hidden">{following}</span>' in html
    assert 'aria-hidden="true"' in html and "&lt;" not in html
