"""Seed the stock-CKAN stand-in for opendata.ruhr: organisation, EU-theme groups, users, tokens.

Run in its own process against the stand-in's ini: ``python tests/publish/standin_seed.py INI``.
Prints JSON: the API tokens of a sysadmin, of an editor of ``hamm`` (the token RVR would issue
to Hamm; also a member of the category groups, as stock CKAN requires for assigning them) and
of a user without rights there. ``intr`` is left out on purpose: a theme whose group RVR lacks
must be reported, never created.
"""
from __future__ import annotations

import json
import sys
from typing import Any

GROUPS = {"agri": "Landwirtschaft, Fischerei, Forstwirtschaft und Nahrungsmittel",
          "econ": "Wirtschaft und Finanzen", "educ": "Bildung, Kultur und Sport", "ener": "Energie",
          "envi": "Umwelt", "gove": "Regierung und öffentlicher Sektor", "heal": "Gesundheit",
          "just": "Justiz, Rechtssystem und öffentliche Sicherheit", "regi": "Regionen und Städte",
          "soci": "Bevölkerung und Gesellschaft", "tech": "Wissenschaft und Technologie", "tran": "Verkehr"}
USERS = ("rvr-admin", "hamm-redaktion", "fremde-stadt")


def main(ini: str) -> dict[str, Any]:
    from ckan.cli import CKANConfigLoader
    from ckan.config.middleware import make_app

    app = make_app(CKANConfigLoader(ini).get_config())
    import ckan.plugins.toolkit as tk
    from ckan import model

    with app._wsgi_app.test_request_context():
        # hamm_search imports ckanext-harvest (to reroute its index binding); its mappers then make
        # dataset_purge look for harvest_object even here: give the stand-in the empty harvest tables
        from ckanext.harvest.model import HarvestObject

        HarvestObject.metadata.create_all(model.meta.engine, checkfirst=True)
        for name in USERS:
            if model.User.get(name) is None:
                model.Session.add(model.User(name=name, email=f"{name}@example.invalid", password="x" * 20,
                                             sysadmin=name == "rvr-admin"))
        model.Session.commit()
        context = {"user": "rvr-admin", "ignore_auth": True}
        if model.Group.get("hamm") is None:
            tk.get_action("organization_create")(dict(context), {"name": "hamm", "title": "Stadt Hamm"})
            tk.get_action("organization_create")(dict(context), {"name": "stadt-bochum", "title": "Stadt Bochum"})
        tk.get_action("organization_member_create")(dict(context), {"id": "hamm", "username": "hamm-redaktion",
                                                                    "role": "editor"})
        tk.get_action("organization_member_create")(dict(context), {"id": "stadt-bochum",
                                                                    "username": "fremde-stadt", "role": "editor"})
        for name, title in GROUPS.items():
            if model.Group.get(name) is None:
                tk.get_action("group_create")(dict(context), {"name": name, "title": title})
            # stock CKAN lets a user put datasets into a group only as a member of that group
            tk.get_action("group_member_create")(dict(context), {"id": name, "username": "hamm-redaktion",
                                                                 "role": "member"})
        tokens = {name: tk.get_action("api_token_create")(dict(context), {"user": name, "name": "tests"})["token"]
                  for name in USERS}
    return tokens


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1])))
