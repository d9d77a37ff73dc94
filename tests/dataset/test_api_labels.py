"""Dimension labels travel over the CKAN API as extras: a stock harvester keeps them, Hamm stores none."""
from __future__ import annotations

from typing import Any

from ckan import model
from ckan.lib.navl.dictization_functions import validate
from ckan.logic.schema import default_create_package_schema
from ckan.tests import factories, helpers

from ckanext.hamm.vocabularies import store as vocabulary
from tests.profiles.conftest import config_marks

pytestmark = config_marks()


def _label(vocab_id: str, concept_id: str) -> str:
    return vocabulary.get_vocabulary(vocab_id).get(concept_id).label["de"]


def _dataset(**fields: Any) -> dict[str, Any]:
    return factories.Dataset(owner_org=factories.Organization()["id"], name="baeume-labels",
                             license_id="dl-by-de/2.0", tag_string="Bäume", **fields)


def _extras(pkg: dict[str, Any]) -> dict[str, str]:
    return {e["key"]: e["value"] for e in pkg.get("extras", [])}


def _two(vocab_id: str) -> list[str]:
    return [c.id for c in vocabulary.get_vocabulary(vocab_id).concepts[:2]]


def test_api_output_carries_the_labels(app: Any) -> None:
    handlungsfelder, zielgruppen = _two("handlungsfeld"), _two("zielgruppe")
    _dataset(handlungsfeld=handlungsfelder, zielgruppe=zielgruppen)
    shown = app.get("/api/3/action/package_show", query_string={"id": "baeume-labels"}).json["result"]
    extras = _extras(shown)
    assert extras["hamm_handlungsfeld"] == "; ".join(_label("handlungsfeld", c) for c in handlungsfelder)
    assert extras["hamm_zielgruppe"] == "; ".join(_label("zielgruppe", c) for c in zielgruppen)
    assert "hamm_persona" not in extras  # none chosen: no empty extra
    found = app.get("/api/3/action/package_search", query_string={"q": "name:baeume-labels"}).json["result"]
    assert _extras(found["results"][0])["hamm_handlungsfeld"] == extras["hamm_handlungsfeld"]


def test_a_stock_ckan_schema_keeps_the_labels_and_drops_the_ids(app: Any) -> None:
    """What a stock CKAN's package_create does with our package_show (ckan_harvester copies it)."""
    _dataset(handlungsfeld=["umwelt"])
    shown = app.get("/api/3/action/package_show", query_string={"id": "baeume-labels"}).json["result"]
    incoming = {key: shown[key] for key in ("title", "notes", "extras", "tags", "handlungsfeld")}
    # ckan_harvester names the copy and puts it in its harvest source's organisation
    downstream = dict(incoming, name="kopie-bei-nachbarn", owner_org=factories.Organization()["id"])
    data, errors = validate(downstream, default_create_package_schema(),
                            {"model": model, "session": model.Session, "user": factories.Sysadmin()["name"]})
    assert not errors
    assert "handlungsfeld" not in data  # unknown to core: the reason for the extras
    assert {"key": "hamm_handlungsfeld", "value": _label("handlungsfeld", "umwelt")} in [
        {"key": e["key"], "value": e["value"]} for e in data["extras"]]


def test_labels_are_neither_stored_nor_tags() -> None:
    dataset = _dataset(handlungsfeld=["umwelt"])
    shown = helpers.call_action("package_show", id=dataset["id"])
    assert "hamm_handlungsfeld" in _extras(shown)
    # an API client sends the dataset back with the labels changed: ignored
    extras = [dict(e, value="Erfunden") if e["key"] == "hamm_handlungsfeld" else e for e in shown["extras"]]
    helpers.call_action("package_update", **dict(shown, title="Neu", extras=extras))
    model.Session.expire_all()
    assert "hamm_handlungsfeld" not in (model.Package.get(dataset["id"]).extras or {})
    again = helpers.call_action("package_show", id=dataset["id"])
    assert _extras(again)["hamm_handlungsfeld"] == _label("handlungsfeld", "umwelt")
    assert [t["name"] for t in again["tags"]] == ["Bäume"]
    facets = helpers.call_action("package_search", q="*:*", **{"facet.field": ["tags"]})["facets"]["tags"]
    assert set(facets) == {"Bäume"}
