"""Who sees what in the Dateninventur: the role matrix of issue 19.

Roles: anonymous, a citizen account (no organisation), the owning department's
member, editor and admin, a member and an editor of another department, and a
sysadmin; paths: search (API and /dataset), the dataset page,
``package_show``/``resource_show``, DCAT (catalogue and dataset RDF), the dump and the
RVR publisher's selection. Issue 26 adds every channel the security review named
(``test_the_visibility_matrix``).
"""
from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass, field
from typing import Any

import pytest
from ckan.tests import factories, helpers

from tests.profiles.conftest import PLUGINS, config_marks
from tests.support.portal import clean_db  # noqa: F401 (fixture: the plugin's tables too, e.g. the history)

# The DataStore and its loader too: their actions are channels of the matrix (issue 26).
pytestmark = [mark for mark in config_marks() if mark.args[:1] != ("ckan.plugins",)] + [
    pytest.mark.ckan_config("ckan.plugins", f"{PLUGINS} datastore xloader"),
    pytest.mark.ckan_config("ckan.auth.public_user_details", "false")]

ROLES = ("anonymous", "citizen", "member", "editor", "admin", "other_department", "other_editor", "sysadmin")
EVERYONE = frozenset(ROLES)
SIGNED_IN = EVERYONE - {"anonymous"}
STAFF = frozenset({"member", "editor", "admin", "other_department", "other_editor", "sysadmin"})  # every entry's metadata
OWNERS = frozenset({"member", "editor", "admin", "sysadmin"})  # the data (resources) of non-open entries
EDITORS = frozenset({"editor", "admin", "sysadmin"})  # edit the entry, read its loader's state
SYSADMIN = frozenset({"sysadmin"})
NOBODY: frozenset[str] = frozenset()
DATA_URL = "https://intern.hamm.example/melderegister-auszug.csv"


@pytest.fixture
def world() -> dict[str, Any]:
    users = {role: factories.User() for role in ROLES if role not in ("anonymous", "sysadmin")}
    users["sysadmin"] = factories.Sysadmin()
    org = factories.Organization(name="buergeramt", title="Bürgeramt",
                                 users=[{"name": users[role]["name"], "capacity": role}
                                        for role in ("member", "editor", "admin")])
    factories.Organization(name="tiefbauamt", users=[{"name": users["other_department"]["name"], "capacity": "member"},
                                                     {"name": users["other_editor"]["name"], "capacity": "editor"}])
    common = {"owner_org": org["id"], "handlungsfeld": ["soziales"], "license_id": "dl-by-de/2.0",
              "notes": "Beschreibung für DCAT-AP.de.",
              "contact": [{"name": "Bürgeramt", "email": "buergeramt@hamm.example"}]}
    # GeoJSON: no table to load, so creating the entry queues no loader job (the matrix makes its own)
    open_entry = helpers.call_action("package_create", name="wahllokale", title="Wahllokale Offen",
                                     resources=[{"url": "https://www.hamm.de/wahllokale.geojson", "format": "GeoJSON"}],
                                     **common)
    internal = helpers.call_action("package_create", name="melderegister-auszug", title="Melderegister Intern",
                                   zugang="personenbezogen", rechtsgrundlage="§ 34 BMG",
                                   quellsystem="Melderegister", resources=[{"url": DATA_URL, "format": "CSV"}],
                                   **common)
    return {"users": users, "org": org, "open": open_entry, "internal": internal}


def _headers(world: dict[str, Any], role: str) -> dict[str, str]:
    if role == "anonymous":
        return {}
    return {"Authorization": factories.APIToken(user=world["users"][role]["name"])["token"]}


@pytest.mark.parametrize("role", ROLES)
def test_search_api_and_pages(app: Any, world: dict[str, Any], role: str) -> None:
    headers = _headers(world, role)
    found = app.get("/api/3/action/package_search", query_string={"q": "Melderegister", "include_private": "true"},
                    headers=headers).json["result"]
    assert (found["count"] == 1) is (role in STAFF), role
    if found["count"]:
        resources = found["results"][0]["resources"]
        assert bool(resources) is (role in OWNERS), role
    listing = app.get("/dataset/", query_string={"q": "Melderegister"}, headers=headers).body
    assert ("Melderegister Intern" in listing) is (role in STAFF), role
    assert "Wahllokale Offen" in app.get("/dataset/", headers=headers).body

    page = app.get("/dataset/melderegister-auszug", headers=headers, expect_errors=True)
    if role in STAFF:
        assert page.status_code == 200
        assert "Melderegister Intern" in page.body
        assert (DATA_URL in page.body) is (role in OWNERS), role
    else:
        assert page.status_code in (403, 404)
        assert "Melderegister Intern" not in page.body

    shown = app.get("/api/3/action/package_show", query_string={"id": "melderegister-auszug"},
                    headers=headers, expect_errors=True)
    assert (shown.status_code == 200) is (role in STAFF), role
    if role in STAFF:
        result = shown.json["result"]
        assert result["zugang"] == "personenbezogen" and result["quellsystem"] == "Melderegister"
        assert (DATA_URL in shown.body) is (role in OWNERS), role
        assert bool(result.get("hamm_daten_verborgen")) is (role not in OWNERS)
    else:
        assert "Melderegister" not in shown.body
    resource_id = world["internal"]["resources"][0]["id"]
    resource = app.get("/api/3/action/resource_show", query_string={"id": resource_id},
                       headers=headers, expect_errors=True)
    assert (resource.status_code == 200) is (role in OWNERS), role
    download = app.get(f"/dataset/melderegister-auszug/resource/{resource_id}", headers=headers,
                       expect_errors=True)
    assert (download.status_code == 200) is (role in OWNERS), role


@pytest.mark.parametrize("role", ROLES)
def test_dcat_never_carries_entries_that_are_not_open(app: Any, world: dict[str, Any], role: str) -> None:
    headers = _headers(world, role)
    catalogue = app.get("/catalog.ttl", headers=headers).body
    assert "Wahllokale Offen" in catalogue
    assert "Melderegister" not in catalogue and DATA_URL not in catalogue
    for fmt in ("ttl", "jsonld"):
        response = app.get(f"/dataset/melderegister-auszug.{fmt}", headers=headers, expect_errors=True)
        assert response.status_code in (403, 404), (role, fmt)
        assert "Melderegister" not in response.body


@pytest.mark.parametrize("role", ROLES)
def test_only_the_owning_department_edits(world: dict[str, Any], role: str) -> None:
    import ckan.plugins.toolkit as tk

    user = world["users"].get(role, {}).get("name", "")
    try:
        helpers.call_auth("package_update", {"user": user}, id=world["internal"]["id"])
        allowed = True
    except tk.NotAuthorized:
        allowed = False
    assert allowed is (role in EDITORS)


def test_the_dump_leaves_non_open_entries_out(world: dict[str, Any]) -> None:
    from ckanext.hamm.profiles import dump

    out = io.StringIO()
    dump.dump(out, "ttl")
    assert "Wahllokale Offen" in out.getvalue() and "Melderegister" not in out.getvalue()


# Issue 26, security review: every channel it named, for every role (test_the_visibility_matrix).
SECRET_NAME = "Zebrafinkenliste"  # nothing of the metadata in it, not even a compound part
SECRET_TAG = "melderegister-geheimtag"
SECRET_NOTE = "Intern: Rueckfrage beim Datenschutz"  # ASCII: JSON answers escape the rest
# What a token looks like in a JSON answer: a JWT (CKAN's API tokens, the loader's) or a key named so.
TOKEN_LIKE = re.compile(r'eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*'
                        r'|"(api_?key|api_?token|token|access_token)": ?"[^"]', re.I)
FLAGS = re.compile(r'"sysadmin": ?true|"email_hash": ?"[0-9a-f]')


@pytest.fixture
def hidden(world: dict[str, Any]) -> dict[str, Any]:
    """The internal entry gets a named XLSX resource and a tag; both entries a loader job; the open one
    a workflow note."""
    from ckanext.hamm.model import inventory_history

    internal = helpers.call_action("package_patch", id=world["internal"]["id"], tag_string=SECRET_TAG,
                                   resources=[{"url": DATA_URL, "format": "XLSX", "name": SECRET_NAME}])
    world["internal"] = internal
    world["site_token"] = _loader_job(internal["resources"][0]["id"])
    world["open_token"] = _loader_job(world["open"]["resources"][0]["id"])
    inventory_history.record(world["open"]["id"], "geprueft", "veroeffentlicht", world["users"]["admin"]["name"],
                             note=SECRET_NOTE)
    return world


def _loader_job(resource_id: str) -> str:
    """A finished xloader job as xloader_submit leaves it: the site user's token in the job row."""
    import ckan.plugins.toolkit as tk

    from ckanext.hamm import previews
    from ckanext.xloader import db

    token = previews.loader_token()
    job_id = f"job-{resource_id}"
    db.init(tk.config)
    db.add_pending_job(job_id, "xloader_to_datastore", token, data={"api_key": token, "resource_id": resource_id},
                       metadata={"resource_id": resource_id})
    helpers.call_action("task_status_update", {"ignore_auth": True}, entity_id=resource_id, entity_type="resource",
                        task_type="xloader", key="xloader", value=json.dumps({"job_id": job_id}),
                        state="error", error=json.dumps({"message": "Fehler beim Laden intern.csv"}),
                        last_updated="2026-12-07T10:00:00")
    return token


@dataclass(frozen=True)
class Channel:
    """One request; ``answers``: who gets 200 (everyone else 403/404, nobody a 500); ``shows``: for each
    kind of secret (see ``_secrets``) who may find it in the answer; ``must``: who must find it too."""

    finding: str
    path: str
    params: dict[str, str] = field(default_factory=dict)
    answers: frozenset[str] = EVERYONE
    shows: dict[str, frozenset[str]] = field(default_factory=dict)
    must: tuple[str, ...] = ()


def _secrets(world: dict[str, Any]) -> dict[str, list[Any]]:
    """Each kind of secret: the texts (or patterns) that must not reach those outside its circle."""
    admin = world["users"]["admin"]
    return {
        "data": [DATA_URL, SECRET_NAME, world["internal"]["resources"][0]["id"], re.compile("xlsx", re.I)],
        "tag": [SECRET_TAG],
        "entry": [world["internal"]["id"]],
        "loader": ["intern.csv"],
        "people": [admin["id"], admin["name"]],
        "flags": [FLAGS],
        "note": [SECRET_NOTE],
        "count": [re.compile(r'"num_resources": ?[1-9]')],
        "department": [world["org"]["id"]],
    }


def _channels(world: dict[str, Any], public_details: bool = False) -> list[Channel]:
    """The matrix; ``public_details``: CKAN's default ``ckan.auth.public_user_details = true``."""
    profiles = EVERYONE if public_details else SIGNED_IN  # CKAN's switch: user pages and details
    members = EVERYONE if public_details else OWNERS  # CKAN's switch: member lists (empty for outsiders)
    internal_res = world["internal"]["resources"][0]["id"]
    open_res = world["open"]["resources"][0]["id"]
    admin_name = world["users"]["admin"]["name"]
    search = "/api/3/action/package_search"
    private = {"include_private": "true"}
    data = {"data": OWNERS}
    loader = {"loader": EDITORS}
    people = {"people": STAFF}
    colleagues = {"people": OWNERS, "flags": SYSADMIN}
    return [
        # finding 2: the resources of a non-open entry stay with its department, whatever the parameters
        Channel("2", search, {**private, "q": "Melderegister", "fl": "id,name,res_url,res_name,urls,res_format,"
                              "res_description,res_type,num_resources,validated_data_dict,data_dict"}, shows=data),
        Channel("2", search, {**private, "q": "Melderegister", "fl": "*"}, shows=data),
        Channel("2", search, {**private, "rows": "0", "facet.limit": "-1",
                              "facet.field": '["res_url","res_name","res_format","res_type","tags"]'},
                shows={**data, "tag": STAFF}),
        Channel("2", search, {**private, "q": f'res_url:"{DATA_URL}"'}, shows={"data": OWNERS, "entry": OWNERS}),
        Channel("2", search, {**private, "q": "res_name:Zebrafinkenliste"}, shows={"data": OWNERS, "entry": OWNERS}),
        Channel("2", search, {**private, "q": "res_format:XLSX", "fl": "id"}, shows={"entry": OWNERS}),
        Channel("2", search, {**private, "q": "Zebrafinkenliste"}, shows={"data": OWNERS, "entry": OWNERS}),
        Channel("2", search, {**private, "fq": f'res_url:"{DATA_URL}"'}, shows={"data": OWNERS, "entry": OWNERS}),
        Channel("2", search, {**private, "q": "num_resources:[1 TO *] AND name:melderegister-auszug", "fl": "id"},
                shows={"entry": OWNERS}),
        Channel("2", search, {**private, "q": "name:melderegister-auszug", "fl": "id,num_resources"},
                shows={"entry": STAFF, "count": OWNERS}),
        Channel("2", "/api/3/action/package_show", {"id": "melderegister-auszug"}, answers=STAFF,
                shows={**data, "tag": STAFF}, must=("data", "tag")),
        Channel("2", "/api/3/action/resource_show", {"id": internal_res}, answers=OWNERS, shows=data),
        Channel("2", "/api/3/action/package_show", {"id": "wahllokale"}),
        # finding 10: tags of entries the visitor cannot read
        Channel("10", "/api/3/action/tag_list", shows={"tag": STAFF}, must=("tag",)),
        Channel("10", "/api/3/action/tag_list", {"all_fields": "true"}, shows={"tag": STAFF}, must=("tag",)),
        Channel("10", "/api/3/action/tag_search", {"query": "melderegister"}, shows={"tag": STAFF}, must=("tag",)),
        Channel("10", "/api/3/action/tag_autocomplete", {"q": "melderegister"}, shows={"tag": STAFF}, must=("tag",)),
        Channel("10", "/api/2/util/tag/autocomplete", {"incomplete": "melderegister"}, shows={"tag": STAFF},
                must=("tag",)),
        Channel("10", search, {"facet.field": '["tags"]', "facet.limit": "-1", "rows": "0"}, shows={"tag": NOBODY}),
        Channel("10", search, {**private, "facet.field": '["tags"]', "rows": "0"}, shows={"tag": STAFF}),
        # finding 11: ids, tables, loader text, workflow notes
        Channel("11", "/api/3/action/member_list", {"id": "buergeramt", "object_type": "package"},
                shows={"entry": STAFF}, must=("entry",)),
        Channel("11", "/api/3/action/datastore_search", {"resource_id": "_table_metadata"}, answers=SYSADMIN),
        *(Channel("11", "/api/3/action/task_status_show", {"entity_id": res, "task_type": "xloader",
                                                           "key": "xloader"}, answers=EDITORS, shows=loader,
                  must=("loader",)) for res in (internal_res, open_res)),
        *(Channel("1", "/api/3/action/xloader_status", {"resource_id": res}, answers=EDITORS, shows=loader,
                  must=("loader",)) for res in (internal_res, open_res)),
        Channel("11", "/api/3/action/hamm_inventar_history", {"id": "wahllokale"}, answers=STAFF,
                shows={"note": STAFF, "people": STAFF}, must=("note",)),
        Channel("11", "/api/3/action/package_show", {"id": "wahllokale"}, shows={"people": STAFF}),
        Channel("11", search, {"q": "name:wahllokale"}, shows={"people": STAFF}),
        # finding 6: who works where, and who is sysadmin, is not the public's business
        Channel("6", "/api/3/action/user_list", answers=STAFF, shows={**people, "flags": SYSADMIN}, must=("people",)),
        Channel("6", "/api/3/action/user_list", {"q": admin_name[:6]}, answers=STAFF,
                shows={**people, "flags": SYSADMIN}),
        Channel("6", "/api/3/action/user_autocomplete", {"q": admin_name}, shows=people, must=("people",)),
        Channel("6", "/api/2/util/user/autocomplete", {"q": admin_name}, shows=people, must=("people",)),
        Channel("6", "/api/3/action/user_show", {"id": admin_name}, answers=profiles,
                shows={"flags": frozenset({"admin", "sysadmin"})}),  # one's own record is one's own
        Channel("6", "/api/3/action/user_show", {"id": world["users"]["sysadmin"]["name"]}, answers=profiles,
                shows={"flags": SYSADMIN}),
        # a department's people: for the department and sysadmins, refused or left out for everyone else
        Channel("6", "/api/3/action/organization_show", {"id": "buergeramt"}, shows=colleagues),
        Channel("6", "/api/3/action/organization_show", {"id": "buergeramt", "include_users": "true"},
                shows=colleagues, must=("people",)),
        Channel("6", "/api/3/action/organization_list", {"all_fields": "true", "include_users": "true"},
                shows=colleagues, must=("people",)),
        Channel("6", "/api/3/action/member_list", {"id": "buergeramt", "object_type": "user"}, answers=members,
                shows=colleagues, must=("people",)),
        Channel("6", "/api/3/action/member_list", {"id": "buergeramt"}, shows={**colleagues, "entry": STAFF},
                must=("people", "entry")),
        Channel("6", "/api/3/action/organization_list_for_user", {"id": admin_name},
                shows={"department": OWNERS}, must=("department",)),
        # the pages these actions serve keep working
        Channel("pages", "/organization/buergeramt"),
        Channel("pages", "/organization/", {"q": "Bürgeramt"}),
        Channel("pages", f"/user/{admin_name}", answers=profiles),
        Channel("pages", "/user/", answers=STAFF),
        Channel("pages", "/organization/members/buergeramt", answers=members, shows={"people": OWNERS}),
    ]


def _found(secret: Any, body: str) -> bool:
    return bool(secret.search(body)) if isinstance(secret, re.Pattern) else secret in body


def _run(app: Any, world: dict[str, Any], channels: list[Channel]) -> list[tuple[str, str, str, str]]:
    """Every channel for every role: what went against the matrix, as (role, path, params, problem)."""
    secrets = _secrets(world)
    problems = []
    for role in ROLES:
        headers = _headers(world, role)
        for channel in channels:
            response = app.get(channel.path, query_string=channel.params, headers=headers, expect_errors=True)
            where = (role, channel.path, json.dumps(channel.params))
            ok = response.status_code == 200
            if ok is not (role in channel.answers) or (not ok and response.status_code not in (403, 404)):
                problems.append((*where, f"status {response.status_code}"))
                continue
            for kind, circle in channel.shows.items():
                for secret in secrets[kind]:
                    if isinstance(secret, str) and secret in json.dumps(channel.params):
                        continue  # what the visitor asked for may come back (e.g. in a refusal)
                    seen = _found(secret, response.body)
                    if seen and role not in circle:
                        problems.append((*where, f"{kind} leaks: {getattr(secret, 'pattern', secret)}"))
                if ok and role in circle and kind in channel.must and not any(
                        _found(secret, response.body) for secret in secrets[kind]):
                    problems.append((*where, f"{kind} missing"))
    return problems


@pytest.mark.parametrize("finding", ["1", "2", "10", "11", "6", "pages"])
def test_the_visibility_matrix(app: Any, hidden: dict[str, Any], finding: str) -> None:
    """Issue 26, the security review's findings 1, 2, 6, 10 and 11: each channel × each role as the matrix says."""
    channels = [channel for channel in _channels(hidden) if channel.finding == finding]
    problems = _run(app, hidden, channels)
    assert not problems, "\n".join(" | ".join(problem) for problem in problems)


def test_accounts_stay_private_with_ckans_default(app: Any, hidden: dict[str, Any], monkeypatch: Any) -> None:
    """A site that keeps CKAN's ``public_user_details = true``: user pages are public, but no list of
    accounts, no flags or e-mail hashes of others, no department's members for outsiders."""
    import ckan.plugins.toolkit as tk

    monkeypatch.setitem(tk.config, "ckan.auth.public_user_details", True)  # the module's mark would win
    channels = [channel for channel in _channels(hidden, public_details=True) if channel.finding in ("6", "pages")]
    problems = _run(app, hidden, channels)
    assert not problems, "\n".join(" | ".join(problem) for problem in problems)


def test_no_api_answer_carries_a_token(app: Any, hidden: dict[str, Any]) -> None:
    """Issue 26, finding 1: xloader_status handed the site user's token (a sysadmin's) to every editor.

    Every answer of the matrix, for every role: no JWT, no token-named value, neither the
    loader's token nor the caller's own."""
    leaks = []
    for role in ROLES:
        headers = _headers(hidden, role)
        own = headers.get("Authorization")
        for channel in _channels(hidden):
            body = app.get(channel.path, query_string=channel.params, headers=headers, expect_errors=True).body
            for token in (hidden["site_token"], hidden["open_token"], own):
                if token and token in body:
                    leaks.append((role, channel.path, json.dumps(channel.params), "a known token"))
            match = TOKEN_LIKE.search(body)
            if match:
                leaks.append((role, channel.path, json.dumps(channel.params), match.group(0)[:40]))
    assert not leaks, "\n".join(" | ".join(leak) for leak in leaks)


def test_xloader_status_answers_without_the_token(app: Any, hidden: dict[str, Any]) -> None:
    """The editor still gets the loader's state, only the token is gone."""
    headers = _headers(hidden, "editor")
    answer = app.get("/api/3/action/xloader_status", query_string={"resource_id": hidden["open"]["resources"][0]["id"]},
                     headers=headers).json["result"]
    assert answer["status"] == "error" and "intern.csv" in json.dumps(answer)


def test_reviewer_account_names_stay_with_staff(app: Any, world: dict[str, Any]) -> None:
    reviewer = world["users"]["admin"]["name"]
    from ckan import model
    from ckan.lib.search import rebuild

    package = model.Package.get(world["open"]["id"])  # as the workflow's review step leaves it
    package.extras = {**package.extras, "datenschutz_status": "veroeffentlichbar",
                      "datenschutz_geprueft_von": reviewer, "datenschutz_geprueft_am": "2026-12-01"}
    model.Session.commit()
    rebuild(package.id)
    for role in ROLES:
        headers = _headers(world, role)
        shown = app.get("/api/3/action/package_show", query_string={"id": "wahllokale"}, headers=headers).body
        found = app.get("/api/3/action/package_search", query_string={"q": "Wahllokale"}, headers=headers).body
        page = app.get("/dataset/wahllokale", headers=headers).body
        for body in (shown, found, page):
            assert (reviewer in body) is (role in STAFF), role


def test_user_details_are_not_public_in_the_shipped_configs() -> None:
    """CKAN's own switch: anonymous visitors get no user pages, lists or details (issue 26, finding 6)."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    for path in (root / "deploy" / "ckan.ini.example", root / "ckanext" / "hamm" / "devstack" / "ckan.ini.tmpl"):
        assert re.search(r"^ckan\.auth\.public_user_details\s*=\s*false\s*$", path.read_text(), re.M), path
