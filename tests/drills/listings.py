"""Every public and staff API listing of a portal as one JSON document (stdout).

``python -m tests.drills.listings <ckan.ini> <sysadmin name> [--rebuild]``: the backup drill runs it
against the original and the restored portal, in a CKAN process of its own each, and
compares the two documents. A listing that fails records its error, so a refusal counts too.
"""
from __future__ import annotations

import json
import sys
from typing import Any

FACETS = ["organization", "groups", "tags", "res_format", "license_id", "vocab_handlungsfeld", "vocab_zielgruppe"]


def listings(sysadmin: str) -> dict[str, Any]:
    import ckan.plugins.toolkit as tk

    result: dict[str, Any] = {}

    def call(key: str, action: str, user: str, **data: Any) -> Any:
        try:
            value = tk.get_action(action)({"user": user, "ignore_auth": False}, data)
        except Exception as error:  # the same refusal on both sides is the same answer
            value = {"error": type(error).__name__}
        result[key] = value
        return value

    for who, user in (("anonymous", ""), ("sysadmin", sysadmin)):
        search = call(f"package_search/{who}", "package_search", user, q="*:*", rows=1000, sort="name asc",
                      include_private=bool(user), include_drafts=bool(user), **{"facet.field": FACETS})
        for dataset in search.get("results", []):
            call(f"package_show/{who}/{dataset['name']}", "package_show", user, id=dataset["id"])
            call(f"hamm_inventar_history/{who}/{dataset['name']}", "hamm_inventar_history", user, id=dataset["id"])
            for resource in dataset.get("resources", []):
                if resource.get("datastore_active"):
                    call(f"datastore_search/{who}/{resource['id']}", "datastore_search", user,
                         resource_id=resource["id"], limit=1000, sort="_id")
        organizations = call(f"organization_list/{who}", "organization_list", user, all_fields=True,
                             include_dataset_count=True, sort="name asc")
        call(f"group_list/{who}", "group_list", user, all_fields=True)
        requests = call(f"hamm_datarequest_list/{who}", "hamm_datarequest_list", user, sort="newest", limit=100)
        for request in requests.get("results", []):
            call(f"hamm_datarequest_show/{who}/{request['id']}", "hamm_datarequest_show", user, id=request["id"])
        for organization in organizations if isinstance(organizations, list) else []:
            name = organization["name"]
            reports = call(f"hamm_report_list/{who}/{name}", "hamm_report_list", user, id=name, limit=100)
            for report in reports.get("results", []) if isinstance(reports, dict) else []:
                call(f"hamm_report_show/{who}/{report['id']}", "hamm_report_show", user, id=report["id"])
            call(f"hamm_dcat_undeliverable_list/{who}/{name}", "hamm_dcat_undeliverable_list", user, id=name)
        figures = call(f"hamm_kennzahlen_show/{who}", "hamm_kennzahlen_show", user)
        figures.pop("generated", None)  # the time of asking, not of the data
        call(f"hamm_usage_show/{who}", "hamm_usage_show", user)
        call(f"user_list/{who}", "user_list", user)
    return result


def main(ini: str, sysadmin: str, rebuild: bool = False) -> None:
    """``rebuild``: first what `ckan search-index rebuild` does (the upgrade drill's last step)."""
    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    app = make_app(load_config(ini))
    with app._wsgi_app.test_request_context():  # type: ignore[attr-defined]  # CKAN's Flask app
        if rebuild:
            from ckan.lib import search

            search.rebuild(defer_commit=True, quiet=True, clear=True)
            search.commit()
        document = listings(sysadmin)
    json.dump(document, sys.stdout, sort_keys=True, default=str, ensure_ascii=False)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], "--rebuild" in sys.argv[3:])
