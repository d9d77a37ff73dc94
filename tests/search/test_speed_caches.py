"""The shortcuts that keep search fast must not change what it finds or how it ranks.

Indexing asks the compound dictionary once per distinct word of a batch instead of
once per word of every text, and a free-text query's ranking tsquery is expanded once
and kept per process. Both must give exactly what the long way gives, and the kept
query must follow a changed synonym file and changed datasets.
"""
from __future__ import annotations

import os
import time

import pytest
import sqlalchemy as sa
from ckan import model
from ckan.lib import search
from ckan.tests import factories, helpers

from ckanext.hamm.search import sql, synonyms, table

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", "hamm_search"),
    pytest.mark.usefixtures("with_plugins", "speed_portal"),
]

TEXTS = [
    "Straßenbäume in Hamm-Uentrop: Straßenbäume, Radwege und Fahrradständer",
    "Radverkehrszählung https://example.org/radwege/zaehlstellen.csv E-Auto Ladesäulen",
    "",
    "2020 1.5 km² !!!",
    "Kindertagesstätten Kindertagesstätten kindertagesstätten KINDERTAGESSTÄTTEN",
    "Xyzzyplonk Müllabfuhr-Termine Grünflächenamt Bevölkerungsstand",
]


@pytest.fixture(scope="module")
def speed_portal():
    helpers.reset_db()
    search.clear_all()
    org = factories.Organization(name="stadt-hamm")
    factories.Dataset(owner_org=org["id"], name="abfuhr", title="Müllabfuhr-Termine", notes="Tonnen")
    factories.Dataset(owner_org=org["id"], name="kitas", title="Kindertagesstätten", notes="Plätze")
    factories.Dataset(owner_org=org["id"], name="recyclinghof", title="Recyclinghof", notes="Öffnungszeiten")


def _scores(q: str) -> dict[str, float]:
    result = helpers.call_action("package_search", q=q, fl="name,score", rows=100)
    return {d["name"]: d["score"] for d in result["results"]}


def test_a_batch_gets_the_compound_parts_each_text_gets_alone():
    table.ensure(model.Session)
    batch = dict(model.Session.execute(sa.text(table.COMPOUND_PARTS_BATCH), {"texts": TEXTS}).all())
    for position, text in enumerate(TEXTS, start=1):
        alone, together = model.Session.execute(
            sa.text(f"SELECT hamm_compound_parts(:text)::text, to_tsvector('{table.PARTS_CONFIG}', :parts)::text"),
            {"text": text, "parts": batch.get(position, "")}).one()
        assert together == alone, text  # same lexemes at the same positions
    assert "baum" in model.Session.execute(
        sa.text(f"SELECT to_tsvector('{table.PARTS_CONFIG}', :p)::text"), {"p": batch[1]}).scalar()


@pytest.mark.parametrize("printed, simplified", [
    ("'kita' | 'kita' | 'kita':* | 'u3'", "'kita':* | 'u3'"),
    ("( 'day' | 'day' ) & 'care' | 'day' & 'care' | 'u3'", "( 'day' | 'day' ) & 'care' | 'day' & 'care' | 'u3'"),
    ("'o''x' | 'o''x':* | 'a'", "'o''x':* | 'a'"),
    ("'rad' & 'weg'", "'rad' & 'weg'"),
    ("", ""),
])
def test_repeated_alternatives_leave_the_ranking_query(printed, simplified):
    assert sql.simplify_tsquery(printed) == simplified


def test_a_changed_synonym_file_changes_the_ranking_at_once(tmp_path, monkeypatch):
    custom = tmp_path / "synonyms.yaml"
    custom.write_text("groups:\n  - [Wertstoff, Müllabfuhr]\n", encoding="utf-8")
    monkeypatch.setattr(synonyms, "synonyms_file", lambda: custom)
    first = _scores("Wertstoff")
    assert set(first) == {"abfuhr"} and first["abfuhr"] > 0
    custom.write_text("groups:\n  - [Wertstoff, Kindertagesstätte]\n", encoding="utf-8")
    later = time.time() + 5
    os.utime(custom, (later, later))
    second = _scores("Wertstoff")
    # ranked by the new group: a query kept from the old file would score the new hit 0
    assert set(second) == {"kitas"} and second["kitas"] > 0


def test_a_changed_dataset_is_ranked_by_its_new_text():
    before = _scores("Recyclinghof")
    helpers.call_action("package_patch", id="abfuhr", title="Recyclinghof und Müllabfuhr-Termine")
    after = _scores("Recyclinghof")
    assert set(before) == {"recyclinghof"}
    assert after["abfuhr"] > 0 and after["recyclinghof"] == before["recyclinghof"]
