"""The fake opendata.ruhr reads like Hamm's real catalogue there: the demo and the tests show it.

Issue 18: the home page and /handlungsfeld/umwelt showed "Grüße aus Hamm: äöüß ÄÖÜ" and schools
under Umwelt, because the fake's DCAT theme rotated independently of its topic. No database.
"""
from __future__ import annotations

import re

import pytest

from ckanext.hamm.demo.fake_rvr import FORMATS, LICENCES, make_dataset

# The first rule whose word occurs in a title (case-insensitive) names the themes that fit.
# Judged by reading titles, independent of the fake's own table: environment before traffic,
# because a noise map of road traffic is an environmental dataset.
FITTING_THEMES: list[tuple[tuple[str, ...], set[str]]] = [
    (("lärm", "luftqualität", "baum", "bäume", "grünfläche", "müll", "abfall"), {"envi"}),
    (("schul", "schül", "kindertages", "kita", "bücherei", "bibliothek", "sport"), {"educ"}),
    (("haltestelle", "parkplätze", "parkhäuser", "fahrrad", "baustelle", "verkehr"), {"tran"}),
    (("wahl",), {"gove"}),
    (("bevölkerung", "einwohner"), {"soci"}),
    (("gewerbe",), {"econ"}),
]
ENVIRONMENTAL = FITTING_THEMES[0][0]
SCHOOL_WORDS = ("schul", "schül", "kindertages", "kita")
SENTENCE_END = re.compile(r"[.!?](?=\s|$)")

COUNT = 200  # more than the demo's 150: the fake must generate any count


@pytest.fixture(scope="module")
def records() -> list[dict]:
    return [make_dataset(n) for n in range(COUNT)]


def _theme(record: dict) -> str:
    return record["groups"][0]["name"]


def _texts(record: dict) -> list[str]:
    return ([record["title"], record["notes"]] + [t["name"] for t in record["tags"]]
            + [r[k] for r in record["resources"] for k in ("name", "description")])


def test_every_theme_fits_the_topic_and_no_school_is_filed_under_umwelt(records):
    wrong = []
    for record in records:
        title = record["title"].lower()
        rule = next((themes for words, themes in FITTING_THEMES if any(w in title for w in words)), None)
        if rule is not None and _theme(record) not in rule:
            wrong.append((record["title"], _theme(record)))
        if _theme(record) == "envi" and not any(w in title for w in ENVIRONMENTAL):
            wrong.append((record["title"], "envi without an environmental topic"))
        if any(w in title for w in SCHOOL_WORDS) and _theme(record) != "educ":
            wrong.append((record["title"], _theme(record)))
    assert wrong == []
    assert {_theme(r) for r in records} >= {"envi", "tran", "educ", "soci", "econ", "gove", "tech"}


def test_no_placeholder_text_and_umlauts_occur_naturally(records):
    for record in records:
        for text in _texts(record):
            assert "Grüße aus Hamm" not in text and "äöüß" not in text.lower(), text
            assert not re.search(r"\(\d+\)$", text), text  # no "(121)" counters in titles
        assert re.search("[äöüÄÖÜß]", record["title"] + record["notes"]), record["title"]


def test_descriptions_say_what_how_often_and_who_in_two_to_four_sentences(records):
    for record in records:
        notes = record["notes"]
        assert 2 <= len(SENTENCE_END.findall(notes)) <= 4, notes
        assert record["maintainer"] in notes, notes
        assert re.search(r"aktualisiert|fortgeschrieben|ergänzt|veröffentlicht|nachgetragen|wiederholt|überprüft|"
                         r"übertragen", notes), notes
        assert len(record["tags"]) >= 3


def test_titles_and_names_are_unique_and_the_output_deterministic(records):
    for count in (150, COUNT):
        assert len({r["title"] for r in records[:count]}) == count
        assert len({r["name"] for r in records[:count]}) == count
    assert make_dataset(121) == records[121]
    assert all(len(r["name"]) <= 100 and re.fullmatch(r"[a-z0-9-]+", r["name"]) for r in records)
    assert make_dataset(3, "bochum")["id"] != records[3]["id"]


def test_the_odd_shapes_harvest_tests_rely_on_stay(records):
    assert {r["license_id"] for r in records[:14]} == set(LICENCES)  # "Stadt-Hamm-Sonderlizenz" too
    shapes = {(res["format"], res["mimetype"]) for r in records for res in r["resources"]}
    assert shapes == set(FORMATS)  # lowercase "csv", WMS, no mimetype
    assert {len(r["resources"]) for r in records} == set(range(1, 7))
