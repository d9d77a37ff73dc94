"""Seed the browser-test portal: the demo content, tagged with the Hamm dimensions,
plus one dataset harvested from the RVR catalogue (provenance fields per the schema)
and, for the staff screens, an RVR harvest source with one finished job.

Run in its own process against the server's ini: ``python tests/browser/seed.py INI``.
Prints a JSON summary (dataset names the tests navigate to).
"""
from __future__ import annotations

import json
import os
import sys
from typing import Any

# Which Handlungsfelder, Zielgruppen and Personas the demo datasets serve (test data only).
DIMENSIONS: dict[str, tuple[list[str], list[str], list[str]]] = {
    "luftqualitaet-messstationen": (["umwelt"], ["buergerinnen", "wissenschaft"], ["klimaaktive-buergerin", "forscher-hochschule"]),
    "baumkataster": (["umwelt"], ["buergerinnen", "vereine-initiativen"], ["klimaaktive-buergerin", "planerin-hitzeaktionsplan"]),
    "ladesaeulen-e-mobilitaet": (["mobilitaet"], ["wirtschaft", "entwickler-innen"], ["gruenderin"]),
    "kuehle-orte": (["umwelt", "soziales"], ["buergerinnen", "seniorinnen"], ["planerin-hitzeaktionsplan"]),
    "radverkehrszaehlung": (["mobilitaet"], ["buergerinnen", "schulen-bildung"], ["klimaaktive-buergerin", "lehrer-mobilitaetswettbewerb"]),
    "bevoelkerung-stadtbezirke": (["digitale-verwaltung"], ["verwaltung", "presse-medien"], ["lokaljournalistin", "planerin-hitzeaktionsplan"]),
    "wahlergebnisse-kommunalwahl-2025": (["strategie-und-kommunikation"], ["presse-medien", "politik"], ["lokaljournalistin"]),
    "kitas-und-schulen": (["digitale-bildung", "soziales"], ["schulen-bildung"], ["lehrer-mobilitaetswettbewerb"]),
    "wlan-hotspots": (["digitale-infrastruktur"], ["buergerinnen", "entwickler-innen"], ["gruenderin"]),
}
DEFAULT = (["digitale-verwaltung"], ["verwaltung"], [])

HARVESTED = {
    "name": "rvr-haltestellen-oepnv",
    "title": "Haltestellen des ÖPNV im Ruhrgebiet",
    "notes": "Haltestellen von Bus und Bahn, übernommen aus dem Open-Data-Portal des Regionalverbands Ruhr.",
    "owner_org": "stadtplanungsamt",
    "license_id": "dl-by-de/2.0",
    "handlungsfeld": ["mobilitaet"],
    "zielgruppe": ["buergerinnen", "schulen-bildung"],
    "persona": ["lehrer-mobilitaetswettbewerb"],
    "hamm_source_title": "Open Data Ruhr (RVR)",
    "hamm_source_url": "https://opendata.ruhr/dataset/haltestellen-oepnv",
    "hamm_remote_id": "rvr-0001",
    "resources": [{"name": "Haltestellen", "format": "CSV",
                   "url": "https://opendata.ruhr/dataset/haltestellen-oepnv/haltestellen.csv"}],
}


HARVEST_SOURCE = {"name": "rvr", "title": "Open Data Portal Metropole Ruhr", "url": "https://opendata.ruhr/api/3",
                  "source_type": "hamm_rvr", "owner_org": "stadtplanungsamt", "frequency": "MANUAL"}


def harvest_source(context: dict[str, Any]) -> str:
    """The source and one finished job (three datasets added, no errors); returns the job id."""
    import datetime
    import uuid

    import ckan.plugins.toolkit as tk
    import sqlalchemy as sa
    from ckan import model

    try:
        source_id = tk.get_action("package_show")(dict(context), {"id": HARVEST_SOURCE["name"]})["id"]
    except tk.ObjectNotFound:
        source_id = tk.get_action("harvest_source_create")(dict(context), dict(HARVEST_SOURCE))["id"]
    job, when = str(uuid.uuid4()), datetime.datetime(2026, 11, 30, 23, 30)
    connection = model.Session.connection()
    connection.execute(sa.text(
        "INSERT INTO harvest_job (id, created, gather_started, gather_finished, finished, source_id, status) "
        "VALUES (:id, :t, :t, :t, :t, :source, 'Finished')"), {"id": job, "t": when, "source": source_id})
    for _ in range(3):
        connection.execute(sa.text(
            "INSERT INTO harvest_object (id, guid, harvest_job_id, harvest_source_id, report_status, state, current) "
            "VALUES (:id, :id, :job, :source, 'added', 'COMPLETE', false)"),
            {"id": str(uuid.uuid4()), "job": job, "source": source_id})
    model.Session.commit()
    return job


def enrich(data: dict[str, Any]) -> dict[str, Any]:
    fields, groups, personas = DIMENSIONS.get(data["name"], DEFAULT)
    for key, value in (("handlungsfeld", fields), ("zielgruppe", groups), ("persona", personas)):
        if not data.get(key):
            data[key] = value
    return data


def serve_demo_map_from(url: str, context: dict[str, Any]) -> None:
    """The Baumkataster's WMS link points at the fake map server and gets its map view
    (the dataset keeps its two files, which other tests count)."""
    import ckan.plugins.toolkit as tk

    dataset = tk.get_action("package_show")(dict(context), {"id": "baumkataster"})
    resource = next(r for r in dataset["resources"] if r["format"].upper() == "WMS")
    resource = tk.get_action("resource_patch")(dict(context), {"id": resource["id"], "url": url})
    tk.get_action("resource_create_default_resource_views")(
        dict(context), {"resource": resource, "package": dataset})


def main(ini: str) -> dict[str, Any]:
    from ckan.cli import CKANConfigLoader
    from ckan.config.middleware import make_app

    app = make_app(CKANConfigLoader(ini).get_config())
    import ckan.plugins.toolkit as tk

    from ckanext.hamm import demo
    from ckanext.hamm.previews import loader_token

    with app._wsgi_app.test_request_context():
        # The DataStore loader queues the uploads as they are made, with this token.
        tk.config["ckanext.xloader.api_token"] = loader_token()
        demo.DATASET_ENRICHERS.append(enrich)
        counts = demo.seed(tk.config["ckanext.hamm.demo.sysadmin_name"])
        counts.update(demo.seed_inventory(tk.config["ckanext.hamm.demo.sysadmin_name"]))  # as `make demo`
        context = {"user": tk.config["ckanext.hamm.demo.sysadmin_name"], "ignore_auth": True}
        try:
            existing = tk.get_action("package_show")(dict(context), {"id": HARVESTED["name"]})
            tk.get_action("package_update")(dict(context), dict(HARVESTED, id=existing["id"]))
        except tk.ObjectNotFound:
            tk.get_action("package_create")(dict(context), dict(HARVESTED))
        job = harvest_source(context)
        if os.environ.get("HAMM_TEST_WMS_URL"):  # the conftest's fake map server, a map host of the portal
            serve_demo_map_from(os.environ["HAMM_TEST_WMS_URL"], context)
        # The sysadmin's API token: tests add their staff users through the API, not a CKAN start each.
        token = tk.get_action("api_token_create")(dict(context), {"user": context["user"], "name": "browser-tests"})
    return {"counts": counts, "harvested": HARVESTED["name"], "harvest_job": job, "admin_token": token["token"]}


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1])))
