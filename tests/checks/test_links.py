"""Link checks: every kind of answer classified, nothing asked outside the URL policy, hosts not flooded."""
from __future__ import annotations

import datetime

import pytest

from ckanext.hamm.checks.links import LinkChecker, Settings, Target, content_matches, due, link_state
from ckanext.hamm.devstack.fake_links import FakeLinkServer

FAST = Settings(user_agent="Open Data Hamm Linkprüfung (+https://opendata.hamm.de)", connect_timeout=1.0,
                read_timeout=0.5, per_host=2, overall=6, max_wait=2.0, allow_loopback=True)


def _check(server: FakeLinkServer, kind: str, name: str = "x", fmt: str = "CSV", **settings):
    checker = LinkChecker(Settings(**{**FAST.__dict__, **settings}))
    return checker.check(Target("res-1", server.url(0, kind, name), fmt)), checker


@pytest.mark.parametrize(("kind", "fmt", "outcome", "status"), [
    ("ok", "CSV", "ok", 200),
    ("moved", "CSV", "ok", 200),
    ("notfound", "CSV", "broken", 404),
    ("gone", "CSV", "broken", 410),
    ("error", "CSV", "server_error", 500),
    ("timeout", "CSV", "timeout", None),
    ("loop", "CSV", "redirect_loop", 302),
    ("private", "CSV", "refused", None),
    ("wrongtype", "CSV", "wrong_type", 200),
    ("wrongtype", "HTML", "ok", 200),
    ("nohead", "JSON", "ok", 206),
    ("slow", "CSV", "ok", 200),
])
def test_each_answer_is_classified(link_server: FakeLinkServer, kind: str, fmt: str, outcome: str,
                                   status: int | None) -> None:
    result, _ = _check(link_server, kind, f"{kind}-{fmt}.csv", fmt)
    assert (result.outcome, result.status) == (outcome, status)
    assert result.elapsed_ms < 1500  # a slow body is never waited for


def test_head_refused_falls_back_to_one_byte_get_and_reads_the_size(link_server: FakeLinkServer) -> None:
    result, checker = _check(link_server, "nohead", "n.json", "JSON")
    assert (result.method, result.size, result.content_type) == ("GET", 4096, "application/json")
    assert sum(checker.requests_made.values()) == 2  # HEAD, then the ranged GET


def test_redirects_to_internal_addresses_are_refused_before_any_request(link_server: FakeLinkServer) -> None:
    for number in (0, 1):  # 10.0.0.1 and the cloud metadata address
        result, checker = _check(link_server, "private", f"p{number}")
        assert result.outcome == "refused"
        assert "intern" in result.detail
        assert set(checker.requests_made) == {"127.0.0.1"}


def test_loopback_is_refused_without_the_test_setting(link_server: FakeLinkServer) -> None:
    result, checker = _check(link_server, "ok", "a.csv", allow_loopback=False)
    assert result.outcome == "refused"
    assert not checker.requests_made


def test_unreadable_and_unknown_urls_make_no_request() -> None:
    checker = LinkChecker(FAST, resolver=lambda host, port: (_ for _ in ()).throw(OSError("nx")))
    results = checker.check_all([Target("a", "ftp://example.org/x"), Target("b", "javascript:alert(1)"),
                                 Target("c", "http://10.0.0.5\\@www.hamm.de/"), Target("d", "https://gibt-es-nicht.example/")])
    assert [r.outcome for r in results] == ["refused", "refused", "refused", "unreachable"]
    assert not checker.requests_made


def test_retry_after_is_honoured_once_and_the_portal_names_itself(link_server: FakeLinkServer) -> None:
    slept: list[float] = []
    checker = LinkChecker(FAST, sleep=slept.append)
    result = checker.check(Target("r", link_server.url(0, "retry", "r1"), "CSV"))
    assert result.outcome == "ok"
    assert slept and 0.5 <= slept[0] <= 1.0
    assert FAST.user_agent in link_server.stats.agents


def test_no_host_gets_more_than_its_share() -> None:
    with FakeLinkServer(hosts=2, latency=0.05) as server:
        checker = LinkChecker(Settings(**{**FAST.__dict__, "per_host": 2, "overall": 8}))
        targets = [Target(str(i), server.url(i, "ok", f"{i}.csv"), "CSV") for i in range(40)]
        results = checker.check_all(targets)
        assert {r.outcome for r in results} == {"ok"}
        assert max(server.stats.most.values()) == 2
        assert max(checker.max_per_host().values()) == 2


@pytest.mark.parametrize(("fmt", "served", "matches"), [
    ("CSV", "text/csv", True), ("CSV", "text/html", False), ("csv", "application/octet-stream", True),
    ("GeoJSON", "application/json", True), ("XLSX", "application/pdf", False), ("", "text/html", True),
    ("unbekannt", "text/html", True), ("PDF", "application/pdf", True),
])
def test_served_type_against_declared_format(fmt: str, served: str, matches: bool) -> None:
    assert content_matches(fmt, served) is matches


NOW = datetime.datetime(2026, 12, 8, 3, 0, tzinfo=datetime.timezone.utc)


def test_a_recent_check_of_the_same_url_is_not_repeated() -> None:
    targets = [Target("a", "https://x.example/a"), Target("b", "https://x.example/b-neu"), Target("c", "https://x.example/c"),
               Target("d", "https://x.example/d")]
    last = {"a": ("https://x.example/a", NOW - datetime.timedelta(hours=3)),
            "b": ("https://x.example/b", NOW - datetime.timedelta(hours=3)),  # the URL changed
            "c": ("https://x.example/c", NOW - datetime.timedelta(hours=25))}
    assert [t.resource_id for t in due(targets, last, NOW, datetime.timedelta(hours=24))] == ["b", "c", "d"]


def _days(*pairs: tuple[int, str]) -> list[tuple[datetime.date, str]]:
    return [(datetime.date(2026, 12, day), outcome) for day, outcome in pairs]


@pytest.mark.parametrize(("history", "state"), [
    ([], "unchecked"),
    (_days((7, "broken")), "failing"),
    (_days((7, "broken"), (7, "timeout")), "failing"),  # twice on one day is still one day
    (_days((7, "broken"), (6, "server_error")), "broken"),
    (_days((7, "broken"), (5, "broken")), "failing"),  # not consecutive days
    (_days((7, "ok"), (6, "broken"), (5, "broken")), "ok"),
    (_days((7, "broken"), (6, "ok"), (5, "broken")), "failing"),
    (_days((7, "wrong_type")), "ok"),
])
def test_broken_only_after_failures_on_consecutive_days(history, state: str) -> None:
    assert link_state(history, broken_after_days=2) == state


def test_an_unexpected_failure_ends_one_check_not_the_run(link_server: FakeLinkServer, monkeypatch) -> None:
    checker = LinkChecker(FAST)
    original = checker._follow
    monkeypatch.setattr(checker, "_follow", lambda t: (_ for _ in ()).throw(ValueError("odd")) if t.resource_id == "a"
                        else original(t))
    results = checker.check_all([Target("a", link_server.url(0, "ok", "a.csv")), Target("b", link_server.url(0, "ok", "b.csv"))])
    assert [r.outcome for r in results] == ["unreachable", "ok"]
