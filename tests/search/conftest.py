"""A small portal whose every field value is chosen, for the parity tests.

Expected results in ``test_parity_*`` are derived by hand from CKAN's Solr
schema and Lucene/dismax rules, against the values below; they never come
from our own output. The portal is built once per module (reads only).
"""
from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from ckan import model
from ckan.lib import search
from ckan.tests import factories, helpers

# name -> (created, modified): fixed dates for range and sort tests
DATES = {
    "baumkataster": ("2020-01-15T08:00:00", "2024-02-01T10:00:00"),
    "verkehrszaehlungen": ("2021-06-01T00:00:00", "2024-03-01T10:00:00"),
    "strassenverzeichnis": ("2022-03-10T12:30:00", "2023-01-05T09:00:00"),
    "gruenflaechen": ("2023-09-30T23:59:59", "2024-01-10T10:00:00"),
    "aerzte": ("2019-05-05T05:05:05", "2019-05-06T05:05:05"),
    "ohne-titel": ("2018-01-01T00:00:00", "2018-01-02T00:00:00"),
}


def _dataset(org, **fields):
    resources = [{"url": f"https://example.org/{fields['name']}/{i}", **r}
                 for i, r in enumerate(fields.pop("resources", []))]
    tags = [{"name": t} for t in fields.pop("tags", [])]
    return factories.Dataset(owner_org=org["id"], resources=resources, tags=tags, **fields)


def build_portal() -> dict:
    helpers.reset_db()
    search.clear_all()
    editor = factories.User(name="redakteurin")
    outsider = factories.User(name="aussenstehend")
    admin = factories.Sysadmin(name="admin-parity")
    umwelt = factories.Organization(name="amt-umwelt", title="Umweltamt",
                                    users=[{"name": editor["name"], "capacity": "editor"}])
    verkehr = factories.Organization(name="amt-verkehr", title="Verkehrsamt")
    gruen = factories.Group(name="stadtgruen")
    made = {
        "baumkataster": _dataset(
            umwelt, name="baumkataster", title="Baumkataster Hamm",
            notes="Alle Stadtbäume mit Art und Pflanzjahr.", tags=["Bäume", "Umwelt"],
            groups=[{"name": gruen["name"]}], license_id="cc-by",
            extras=[{"key": "review_date", "value": "2024-06-30"}],
            resources=[{"format": "CSV", "name": "Baumliste"}, {"format": "WMS", "name": "Karte"}]),
        "verkehrszaehlungen": _dataset(
            verkehr, name="verkehrszaehlungen", title="Verkehrszählungen 2023",
            notes="Kfz-Verkehr an Knotenpunkten", tags=["Verkehr", "Mobilität"], license_id="cc-zero",
            resources=[{"format": "CSV", "name": "Zählwerte"}, {"format": "JSON", "name": "API"}]),
        "strassenverzeichnis": _dataset(
            verkehr, name="strassenverzeichnis", title="Straßenverzeichnis",
            notes="Alle Straßen der Stadt Hamm mit Straßenschlüssel", tags=["Straßen", "Adressen"],
            license_id="cc-by", extras=[{"key": "review_date", "value": "2023-02-01"}],
            resources=[{"format": "XLSX", "name": "Verzeichnis"}]),
        "gruenflaechen": _dataset(
            umwelt, name="gruenflaechen", title="Grünflächen und Parks",
            notes="Öffentliche Grünflächen, Parks und Spielplätze", tags=["Stadtgrün", "Freizeit"],
            groups=[{"name": gruen["name"]}], license_id="odc-odbl",
            resources=[{"format": "GeoJSON", "name": "Flächen"}]),
        "aerzte": _dataset(
            verkehr, name="aerzte", title="Ärztliche Versorgung", notes="Praxen nach Stadtbezirk",
            tags=["Gesundheit"], license_id="cc-by", resources=[{"format": "CSV", "name": "Praxen"}]),
        "ohne-titel": _dataset(verkehr, name="ohne-titel", title="", notes="Datensatz ohne Titel",
                               tags=["Sonstiges"]),
        "luftqualitaet": _dataset(
            umwelt, name="luftqualitaet", title="Luftqualität",
            notes="Messwerte Feinstaub. Siehe auch Baumkataster.", tags=["Umwelt", "Luft"],
            license_id="cc-by", resources=[{"format": "CSV", "name": "Messwerte"}]),
        "interne-planung": _dataset(umwelt, name="interne-planung", title="Interne Planung Umwelt",
                                    private=True, tags=["Umwelt"]),
        "entwurf-radwege": _dataset(verkehr, name="entwurf-radwege", title="Radwege Entwurf",
                                    state="draft", tags=["Verkehr"]),
        "alte-daten": _dataset(verkehr, name="alte-daten", title="Alte Daten", tags=["Verkehr"]),
    }
    helpers.call_action("package_delete", id=made["alte-daten"]["id"])
    for name, (created, modified) in DATES.items():
        model.Session.execute(
            sa.text("UPDATE package SET metadata_created = :c, metadata_modified = :m WHERE name = :n"),
            {"c": created, "m": modified, "n": name})
    model.Session.commit()
    model.Session.remove()  # CKAN's session keeps loaded objects across commits
    for name in DATES:
        search.rebuild(package_id=made[name]["id"])
    model.Session.commit()
    return {"datasets": made, "editor": editor, "outsider": outsider, "admin": admin,
            "orgs": {"umwelt": umwelt, "verkehr": verkehr}, "now": dt.datetime.utcnow()}


@pytest.fixture(scope="module")
def portal():
    return build_portal()


def names(**params) -> list[str]:
    """Dataset names in result order for a package_search (anonymous unless a context is given)."""
    context = params.pop("context", {"ignore_auth": False, "user": ""})
    result = helpers.call_action("package_search", context=context, **params)
    return [d["name"] for d in result["results"]]


def name_set(**params) -> set[str]:
    params.setdefault("rows", 100)
    return set(names(**params))
