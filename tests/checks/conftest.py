"""One fake file server on loopback for the whole session (tests/checks)."""
from __future__ import annotations

from typing import Iterator

import pytest

from ckanext.hamm.devstack.fake_links import FakeLinkServer


@pytest.fixture(scope="session")
def link_server() -> Iterator[FakeLinkServer]:
    with FakeLinkServer(hosts=2, stall=2.0) as server:
        yield server
