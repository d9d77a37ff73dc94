"""Kennzahlen equal direct counts over the demo data (with public/private and request statuses mixed in)."""
from __future__ import annotations

import datetime

import pytest
import sqlalchemy as sa
from ckan import model
from ckan.lib.helpers import url_for
from ckan.tests import factories, helpers

from ckanext.hamm import demo
from ckanext.hamm.dataset import quality
from tests.support.portal import PLUGINS, clean_db  # noqa: F401 (fixtures)

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


def _direct_public_datasets() -> list[dict]:
    """Public active datasets read straight from the package table, then shown one by one."""
    ids = [row.id for row in model.Session.query(model.Package.id).filter_by(state="active", private=False)]
    return [helpers.call_action("package_show", id=pid) for pid in ids]


def _ids(value) -> list[str]:
    return [value] if isinstance(value, str) else list(value or [])


def test_kennzahlen_equal_direct_counts_over_demo_data():
    demo.seed("hamm-admin")
    org = model.Session.query(model.Group).filter_by(name="umweltamt").one()
    hamm_private = helpers.call_action("package_patch", id="baumkataster", private=True)  # must not count
    assert hamm_private["private"]
    sysadmin = factories.Sysadmin()
    for status in ("in_pruefung", "veroeffentlicht", "abgelehnt", None):
        created = helpers.call_action("hamm_datarequest_create", title="Wunsch", description="x",
                                      handlungsfeld="umwelt", zielgruppe="buergerinnen", owner_org=org.id)
        if status:
            extra = {"dataset_id": "kuehle-orte"} if status == "veroeffentlicht" else {"status_reason": "nein"}
            helpers.call_action("hamm_datarequest_update", context={"user": sysadmin["name"]},
                                id=created["id"], status=status, **extra)

    figures = helpers.call_action("hamm_kennzahlen_show", context={"user": ""})
    direct = _direct_public_datasets()
    assert figures["datasets"] == len(direct) == len(demo.load_content()["datasets"]) - 1
    for scheme in ("handlungsfeld", "zielgruppe"):
        counted = {row["id"]: row["count"] for row in figures[scheme]}
        for concept in counted:
            assert counted[concept] == sum(concept in _ids(pkg.get(scheme)) for pkg in direct), (scheme, concept)
    assert sum(r["count"] for r in figures["handlungsfeld"]) >= len(direct)  # every demo dataset has one
    assert figures["open_license"]["count"] == sum(quality.is_open_license(p) for p in direct)
    assert figures["machine_readable"]["count"] == sum(
        any(quality.is_machine_readable(r) for r in p["resources"]) for p in direct)
    today = datetime.date.today()
    assert figures["freshness"]["count"] == sum(quality.is_fresh(p, today) is True for p in direct)
    by_org = {row["name"]: row for row in figures["quality"]["organizations"]}
    for name, row in by_org.items():
        scores = [quality.score(p)["percent"] for p in direct if p["organization"]["name"] == name]
        assert row["datasets"] == len(scores) and row["average"] == round(sum(scores) / len(scores), 1)
    statuses = dict(model.Session.execute(sa.text(
        "SELECT status, count(*) FROM hamm_datarequest GROUP BY status")).all())
    assert figures["datarequests"]["open"] == statuses.get("neu", 0) + statuses.get("in_pruefung", 0) == 2
    assert figures["datarequests"]["fulfilled"] == statuses["veroeffentlicht"] == 1
    assert figures["datarequests"]["declined"] == 1
    assert figures["rvr_sync"] is None  # no harvest tables in this database


def test_demo_datasets_show_scores():
    demo.seed("hamm-admin")
    for raw in demo.load_content()["datasets"]:
        result = helpers.call_action("hamm_quality_show", id=raw["name"])
        assert 0 < result["points"] <= result["max"] and result["rating"] in ("excellent", "good", "sufficient", "bad")


def test_kennzahlen_page_and_json(app):
    demo.seed("hamm-admin")
    page = app.get(url_for("hamm_kennzahlen.index")).body
    # five portal charts and four of the Dateninventur (issue 19)
    assert page.count('<svg class="hamm-chart-svg" role="img"') == 9 and page.count("<table") >= 9
    data = app.get(url_for("hamm_kennzahlen.as_json")).json
    assert data["datasets"] == len(demo.load_content()["datasets"])
    assert data == {**helpers.call_action("hamm_kennzahlen_show"), "generated": data["generated"]}


def _chart(page: str, chart_id: str) -> str:
    start = page.index(f'aria-labelledby="{chart_id}-title"')
    return page[start:page.index("</figure>", start)]


def _german_percent(value: float) -> str:
    return f"{round(value, 1):g}".replace(".", ",") + "\u00a0%"


def test_kennzahlen_shares_name_their_base(app):
    """'78,4 %' alone hides whether 144 or 9 datasets were counted: every share names its base."""
    demo.seed("hamm-admin")
    figures = helpers.call_action("hamm_kennzahlen_show")
    shares = _chart(app.get(url_for("hamm_kennzahlen.index")).body, "chart-shares")
    for key in ("open_license", "machine_readable", "freshness"):
        share = figures[key]
        assert f"{_german_percent(share['share'])} von {share['total']}" in shares, key
    quality = _chart(app.get(url_for("hamm_kennzahlen.index")).body, "chart-quality")
    for row in figures["quality"]["organizations"]:
        datasets = "1 Datensatz" if row["datasets"] == 1 else f"{row['datasets']} Datensätzen"
        assert f"{_german_percent(row['average'])} aus {datasets}" in quality, row


def test_chart_labels_are_shown_whole(app):
    """Long labels ("Mindestens ein maschinenlesbares Format", office names) wrap instead of being cut."""
    import lxml.html

    demo.seed("hamm-admin")
    page = lxml.html.fromstring(app.get(url_for("hamm_kennzahlen.index")).body)
    for figure in page.xpath("//figure[contains(@class, 'hamm-chart')]"):
        table = [" ".join(th.text_content().split()) for th in figure.xpath(".//tbody/tr/th")]
        svg = [" ".join(" ".join(t.itertext()).split()) for t in figure.xpath(".//*[local-name()='text'][@text-anchor='end']")]
        assert svg == table and table
        assert not any(label.endswith(("...", "…")) for label in svg)
        for text in figure.xpath(".//*[local-name()='text'][@text-anchor='end']"):
            lines = [t.text for t in text if t.text] or [text.text]
            # 12 px sans-serif: at most 7 px a character, right-aligned at x: nothing left of 0
            assert max(len(line) for line in lines) * 7 <= float(text.get("x")), lines
    assert "Mindestens ein maschinenlesbares Format" in [
        " ".join(" ".join(t.itertext()).split()) for t in page.xpath("//*[local-name()='text']")]
