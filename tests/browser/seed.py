"""Seed the browser-test portal: the demo content, tagged with the Hamm dimensions,
plus one dataset harvested from the RVR catalogue (provenance fields per the schema).

Run in its own process against the server's ini: ``python tests/browser/seed.py INI``.
Prints a JSON summary (dataset names the tests navigate to).
"""
from __future__ import annotations

import json
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


def enrich(data: dict[str, Any]) -> dict[str, Any]:
    fields, groups, personas = DIMENSIONS.get(data["name"], DEFAULT)
    for key, value in (("handlungsfeld", fields), ("zielgruppe", groups), ("persona", personas)):
        if not data.get(key):
            data[key] = value
    return data


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
        context = {"user": tk.config["ckanext.hamm.demo.sysadmin_name"], "ignore_auth": True}
        try:
            existing = tk.get_action("package_show")(dict(context), {"id": HARVESTED["name"]})
            tk.get_action("package_update")(dict(context), dict(HARVESTED, id=existing["id"]))
        except tk.ObjectNotFound:
            tk.get_action("package_create")(dict(context), dict(HARVESTED))
    return {"counts": counts, "harvested": HARVESTED["name"]}


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1])))
