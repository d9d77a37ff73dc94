"""MQA accessibility from the link checks: ten sample datasets against a hand calculation.

data.europa.eu's MQA gives the accessibility dimension 100 points: accessURL accessibility 50
(the URL answers with status 200-399), downloadURL given 20, downloadURL accessibility 30.
A resource's URL is its distribution's access URL, and its download URL when it is a file
(not HTML or WMS). A dataset gets the share of its distributions that answer, rounded to
whole points (half up). The expected numbers below were worked out by hand from these rules.
"""
from __future__ import annotations

import pytest

from ckanext.hamm.dataset import quality

OK = {"state": "ok", "outcome": "ok"}
WRONG_TYPE = {"state": "ok", "outcome": "wrong_type"}  # answers 200, only the served type is off


def _failed(outcome: str) -> dict[str, str]:
    return {"state": "failing", "outcome": outcome}


UNCHECKED = {"state": "unchecked", "outcome": None}

# name: [(format, link state)], (accessURL answers, downloadURL given, downloadURL answers)
SAMPLES = {
    "one-csv-answers": ([("CSV", OK)], (50, 20, 30)),
    "one-csv-404": ([("CSV", _failed("broken"))], (0, 20, 0)),
    "two-csv-one-500": ([("CSV", OK), ("CSV", _failed("server_error"))], (25, 20, 15)),
    "landing-page-only": ([("HTML", OK)], (50, 0, 0)),
    "page-and-csv-timeout": ([("HTML", OK), ("CSV", _failed("timeout"))], (25, 20, 0)),
    "csv-served-as-html": ([("CSV", WRONG_TYPE)], (50, 20, 30)),
    "csv-redirect-loop": ([("CSV", {"state": "broken", "outcome": "redirect_loop"})], (0, 20, 0)),
    "wms-csv-json-refused": ([("WMS", OK), ("CSV", OK), ("JSON", _failed("refused"))], (33, 20, 15)),
    "csv-not-yet-checked": ([("CSV", UNCHECKED), ("CSV", OK)], (25, 20, 15)),
    "three-csv-one-pdf-gone": ([("CSV", OK), ("CSV", OK), ("CSV", OK), ("PDF", _failed("broken"))],
                               (38, 20, 23)),
}


def _sample(name: str) -> tuple[dict, dict]:
    resources, links = [], {}
    for number, (fmt, state) in enumerate(SAMPLES[name][0]):
        resource_id = f"{name}-{number}"
        resources.append({"id": resource_id, "url": f"https://daten.hamm.de/{name}/{number}", "format": fmt})
        links[resource_id] = state
    return {"name": name, "resources": resources}, links


@pytest.mark.parametrize("name", list(SAMPLES))
def test_accessibility_points_follow_the_mqa_methodology(name: str) -> None:
    pkg, links = _sample(name)
    result = quality.score(pkg, links=links)
    points = {c["id"]: c["points"] for c in result["checks"]}
    access, download, download_answers = SAMPLES[name][1]
    assert (points["access_url_answers"], points["download_url"], points["download_url_answers"]) == (
        access, download, download_answers)
    assert result["dimensions"]["accessibility"] == {"points": access + download + download_answers, "max": 100}
    assert "access_url" not in points and "availability" not in points  # the offline stand-ins are replaced


def test_the_maximum_stays_the_same_with_and_without_link_checks() -> None:
    pkg, links = _sample("one-csv-answers")
    assert quality.score(pkg, links=links)["max"] == quality.score(pkg)["max"] == quality.MAX_POINTS


def test_a_failing_link_says_what_to_fix() -> None:
    pkg, links = _sample("two-csv-one-500")
    to_fix = {c["id"]: c for c in quality.score(pkg, links=links)["to_fix"]}
    assert to_fix["access_url_answers"]["max"] - to_fix["access_url_answers"]["points"] == 25
    assert "answers" in to_fix["download_url_answers"]["hint"]
