"""A stock CKAN harvesting Hamm with ckanext-harvest's own ``ckan_harvester`` gets the dimension labels.

Stand-in for the neighbour: the stock harvester's gather, fetch and import stages run
unchanged against our API (its HTTP call answered by our app); what it hands to
``package_create`` is validated with CKAN's core schema, as a stock CKAN would.
"""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
import pytest
from ckan import model
from ckan.lib.navl.dictization_functions import validate
from ckan.logic.schema import default_create_package_schema
from ckan.tests import factories

from ckanext.hamm.vocabularies import store as vocabulary
from ckanext.harvest.harvesters.ckanharvester import CKANHarvester
from ckanext.harvest.model import HarvestJob, HarvestObject, HarvestSource

from .conftest import job_marks

pytestmark = job_marks()


def test_stock_ckan_harvester_receives_the_labels(app: Any, sysadmin: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    own = factories.Organization(name="umweltamt")
    factories.Dataset(owner_org=own["id"], name="luftmessung", license_id="dl-by-de/2.0",
                      handlungsfeld=["umwelt"], zielgruppe=[vocabulary.get_vocabulary("zielgruppe").concepts[0].id])
    monkeypatch.setattr(CKANHarvester, "_get_content",
                        lambda self, url: app.get("/" + url.split("/", 3)[3]).get_data(as_text=True))
    handed_over: list[dict] = []
    monkeypatch.setattr(CKANHarvester, "_create_or_update_package",
                        lambda self, package, obj, package_dict_form="rest": handed_over.append(package) or True)
    neighbour = factories.Organization(name="nachbarstadt")
    created = tk.get_action("harvest_source_create")(
        {"user": sysadmin["name"]}, {"name": "hamm", "title": "Hamm", "url": "http://opendata.hamm.example",
                                     "source_type": "ckan", "owner_org": neighbour["id"]})
    job = HarvestJob(source=HarvestSource.get(created["id"]))
    job.save()
    harvester = CKANHarvester()
    for object_id in harvester.gather_stage(job):
        obj = HarvestObject.get(object_id)
        assert harvester.fetch_stage(obj) and harvester.import_stage(obj)
    [package] = handed_over
    # the neighbour is another CKAN: there id and name are still free (here our original holds them)
    package = {k: v for k, v in package.items() if k not in ("id", "name")} | {"name": "luftmessung-hamm"}
    data, errors = validate(package, default_create_package_schema(),
                            {"model": model, "session": model.Session, "user": sysadmin["name"]})
    assert not errors
    stored = {e["key"]: e["value"] for e in data["extras"]}
    assert stored["hamm_handlungsfeld"] == vocabulary.concept_label("handlungsfeld", "umwelt", "de")
    assert stored["hamm_zielgruppe"] == vocabulary.get_vocabulary("zielgruppe").concepts[0].label["de"]
    assert "handlungsfeld" not in data  # our own field: dropped by the stock schema, hence the extras
