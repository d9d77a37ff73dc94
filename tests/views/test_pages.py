"""Citizen pages (/handlungsfeld, /zielgruppe, /persona, /barrierefreiheit) and the staff report list."""
from __future__ import annotations

from typing import Any

import pytest
from ckan.tests import factories, helpers

from tests.support.portal import PLUGINS, clean_db, hamm_dataset  # noqa: F401 (fixtures)

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


def test_concept_page_lists_its_datasets_and_related_concepts(app: Any) -> None:
    org = factories.Organization()
    hamm_dataset(owner_org=org["id"], title="Baumkataster", handlungsfeld=["umwelt"],
                 persona=["klimaaktive-buergerin"])
    hamm_dataset(owner_org=org["id"], title="Wahlergebnisse", handlungsfeld=["strategie-und-kommunikation"])
    html = app.get("/persona/klimaaktive-buergerin").get_data(as_text=True)
    assert "Baumkataster" in html and "Wahlergebnisse" not in html
    assert "Herausforderungen" in html                      # the persona card, in German
    assert 'href="/handlungsfeld/umwelt"' in html           # related concepts link on
    assert 'vocab_persona=klimaaktive-buergerin' in html     # facets lead into /dataset


def test_overview_counts_datasets_per_concept(app: Any) -> None:
    org = factories.Organization()
    hamm_dataset(owner_org=org["id"], handlungsfeld=["umwelt"])
    hamm_dataset(owner_org=org["id"], handlungsfeld=["umwelt", "mobilitaet"])
    html = app.get("/handlungsfeld").get_data(as_text=True)
    umwelt = html[html.index('href="/handlungsfeld/umwelt"'):]
    assert "2 Datensätze" in umwelt[:400]


def test_english_labels(app: Any) -> None:
    html = app.get("/en/persona").get_data(as_text=True)
    assert "Klara, climate-active citizen" in html and 'lang="en"' in html


@pytest.mark.parametrize("url", ["/persona/gibt-es-nicht", "/handlungsfeld/%3Cscript%3E"])
def test_unknown_concept_is_404(app: Any, url: str) -> None:
    assert app.get(url, status=404)


def test_accessibility_statement_names_the_feedback_channel(app: Any) -> None:
    html = app.get("/barrierefreiheit").get_data(as_text=True)
    assert "mailto:barrierefreiheit@hamm.de" in html and "BITV NRW" in html


def test_private_datasets_stay_out_of_concept_pages(app: Any) -> None:
    org = factories.Organization()
    hamm_dataset(owner_org=org["id"], title="Geheimer Datensatz", handlungsfeld=["umwelt"], private=True)
    assert "Geheimer Datensatz" not in app.get("/handlungsfeld/umwelt").get_data(as_text=True)


@pytest.mark.parametrize("role, status", [("editor", 200), ("member", 403), ("anonymous", 403)])
def test_report_list_view_is_for_staff(app: Any, role: str, status: int) -> None:
    user = factories.User()
    capacity = role if role != "anonymous" else "member"
    org = factories.Organization(users=[{"name": user["name"], "capacity": capacity}])
    dataset = hamm_dataset(owner_org=org["id"])
    helpers.call_action("hamm_report_create", context={"user": ""}, package_id=dataset["id"],
                        category="content", message="Die Zahlen für 2024 fehlen.")
    headers = {}
    if role != "anonymous":
        token = factories.APIToken(user=user["name"])["token"]
        headers = {"Authorization": token}
    response = app.get(f"/organization/{org['name']}/meldungen", headers=headers, status=status)
    if status == 200:
        assert "Die Zahlen für 2024 fehlen." in response.get_data(as_text=True)
