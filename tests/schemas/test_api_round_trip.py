"""A dataset's life through the HTTP action API, as ckanapi or curl users see it."""
import pytest
from ckan.tests import factories

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", "hamm_search"),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


def _post(app, action, token, **data):
    response = app.post(f"/api/3/action/{action}", json=data, headers={"Authorization": token})
    assert response.status_code == 200, response.body
    return response.json["result"]


def _get(app, action, **params):
    return app.get(f"/api/3/action/{action}", query_string=params).json["result"]


def test_create_search_show_update_delete_over_http(app):
    user = factories.SysadminWithToken()
    org = factories.Organization()
    token = user["token"]
    created = _post(app, "package_create", token, name="datensatz-eins", title="Radverkehrszählung",
                    owner_org=org["id"], license_id="dl-by-de/2.0",
                    resources=[{"url": "https://example.org/daten.csv", "format": "CSV"}])
    assert _get(app, "package_search", q="Radverkehrszählung")["results"][0]["id"] == created["id"]
    assert _get(app, "package_show", id="datensatz-eins")["resources"][0]["format"] == "CSV"

    # The new title shares no word or compound part with the old one (compound parts match).
    _post(app, "package_patch", token, id=created["id"], title="Gewässergüte")
    assert _get(app, "package_search", q="Gewässergüte")["count"] == 1
    assert _get(app, "package_search", q="Radverkehrszählung")["count"] == 0

    _post(app, "package_delete", token, id=created["id"])
    assert _get(app, "package_search", q="Gewässergüte")["count"] == 0
    assert app.get("/api/3/action/package_show", query_string={"id": "datensatz-eins"}).status_code == 403
