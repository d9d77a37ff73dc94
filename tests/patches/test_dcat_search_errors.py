"""/catalog.* answers a query the search cannot parse with 409, as ckanext-dcat answers a bad
parameter, instead of the 500 its view gave (it catches only ValidationError)."""
from __future__ import annotations

from typing import Any

import pytest

from tests.profiles.conftest import config_marks

pytestmark = config_marks()


@pytest.mark.parametrize("params", [{"q": "title:(baum"}, {"fq": 'tags:"offen'}, {"fq": "title:/ba.m/"}])
def test_an_unparsable_query_is_a_client_error(app: Any, params: dict[str, str]) -> None:
    response = app.get("/catalog.ttl", query_string=params)
    assert response.status_code == 409
