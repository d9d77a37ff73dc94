"""``ckan hamm worker``: the jobs worker starts once the portal answers, because the DataStore
loader fetches every file through the portal's URL (make demo's table preview failed with
"connection refused" when the worker took the seeded loads before gunicorn listened)."""
from __future__ import annotations

import io
import urllib.error
from typing import Any

from ckanext.hamm.server.worker import wait_for_portal


class Clock:
    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def opener_answering_after(refusals: int, error: Exception | None = None) -> Any:
    calls = {"n": 0}

    def opener(url: str, timeout: float) -> Any:
        calls["n"] += 1
        if calls["n"] <= refusals:
            raise ConnectionRefusedError(111, "Connection refused")
        if error is not None:
            raise error
        return io.BytesIO(b"ok")

    return opener


def test_waits_until_the_portal_listens() -> None:
    clock = Clock()
    assert wait_for_portal("http://127.0.0.1:5000/healthz", 60, opener_answering_after(3), clock, clock.sleep)
    assert clock.slept == [1, 1, 1]


def test_an_error_page_is_an_answer_too() -> None:
    """/healthz says 503 while Redis starts: the web server listens, the loader can fetch."""
    clock = Clock()
    busy = urllib.error.HTTPError("http://127.0.0.1:5000/healthz", 503, "Service Unavailable", {}, None)  # type: ignore[arg-type]
    assert wait_for_portal("http://127.0.0.1:5000/healthz", 60, opener_answering_after(0, busy), clock, clock.sleep)
    assert clock.slept == []


def test_gives_up_after_the_wait_and_says_so() -> None:
    clock = Clock()
    assert not wait_for_portal("http://127.0.0.1:5000/healthz", 5, opener_answering_after(10**6), clock, clock.sleep)
    assert sum(clock.slept) == 5
