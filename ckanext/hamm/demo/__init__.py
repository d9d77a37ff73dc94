"""Idempotent demo content: organisations, datasets and a sysadmin for ``make demo``.

Names are the identity: a second load updates what exists and creates no
duplicates. Never run it against a production database.
"""
from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any, Callable

import ckan.plugins.toolkit as tk
import yaml
from ckan import model

CONTENT = Path(__file__).with_name("content.yaml")
# Small local files the demo uploads (``upload:`` in content.yaml), so previews work offline.
FILES = Path(__file__).with_name("files")

# Hooks other parts of the extension register to enrich the demo datasets
# (e.g. the Hamm schema adds Handlungsfeld, Zielgruppe and Persona).
DATASET_ENRICHERS: list[Callable[[dict[str, Any]], dict[str, Any]]] = []


def load_content() -> dict[str, Any]:
    return yaml.safe_load(CONTENT.read_text(encoding="utf-8"))


def ensure_sysadmin(name: str) -> dict[str, Any]:
    user = model.User.get(name)
    if user is None:
        user = model.User(name=name, email=f"{name}@example.invalid",
                          password=secrets.token_urlsafe(24), sysadmin=True)
        model.Session.add(user)
        model.Session.commit()
    elif not user.sysadmin:
        user.sysadmin = True
        model.Session.commit()
    return {"name": user.name, "id": user.id}


def reset_login(name: str, sysadmin: bool = False) -> str:
    """Create or update a demo account with a fresh random password and return the password.

    Demo only: the password is printed by ``ckan hamm demo seed`` so a tester can log in to
    the web UI; every seed run replaces it.
    """
    password = secrets.token_urlsafe(12)
    user = model.User.get(name)
    if user is None:
        user = model.User(name=name, email=f"{name}@example.invalid", sysadmin=sysadmin)
        model.Session.add(user)
    user.password = password
    user.sysadmin = sysadmin
    user.state = "active"
    model.Session.commit()
    return password


def demo_logins(sysadmin_name: str, editor_name: str) -> list[tuple[str, str, str]]:
    """Fresh logins of the demo sysadmin and of an editor of every demo organisation."""
    logins = [("sysadmin", sysadmin_name, reset_login(sysadmin_name, sysadmin=True)),
              ("editor", editor_name, reset_login(editor_name))]
    context = {"user": sysadmin_name, "ignore_auth": True}
    for org in load_content()["organizations"]:
        tk.get_action("organization_member_create")(
            dict(context), {"id": org["name"], "username": editor_name, "role": "editor"})
    return logins


def _upsert(kind: str, data: dict[str, Any], context: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """Create or update an object by name; return (object, created)."""
    try:
        existing = tk.get_action(f"{kind}_show")(dict(context), {"id": data["name"]})
    except tk.ObjectNotFound:
        existing = None
    if existing is None or existing.get("state") == "deleted":
        if existing is not None:
            data = dict(data, id=existing["id"], state="active")
            return tk.get_action(f"{kind}_update")(dict(context), data), True
        return tk.get_action(f"{kind}_create")(dict(context), data), True
    return tk.get_action(f"{kind}_update")(dict(context), dict(data, id=existing["id"])), False


# The city's linked files (www.hamm.de/opendata/…) that the demo serves itself (``files/stadt``).
CITY_PREFIX = "https://www.hamm.de/opendata/"


def local_link(resource: dict[str, Any], file_base: str) -> dict[str, Any]:
    """The resource linking the demo's own copy of the city's file, when there is one.

    The demo has no internet: its fake RVR (``fake_rvr.city_file``) serves ``files/stadt``,
    so the loader and the map fetch the city's linked files from there.
    """
    url = resource.get("url") or ""
    name = url[len(CITY_PREFIX):] if url.startswith(CITY_PREFIX) else ""
    stem, _, suffix = name.rpartition(".")
    copy = FILES / "stadt" / (f"{stem}.csv" if suffix == "xlsx" else name)
    if not file_base or not name or not copy.is_file():
        return resource
    return dict(resource, url=f"{file_base.rstrip('/')}/stadt/{name}")


def dataset_dict(raw: dict[str, Any], file_base: str = "") -> dict[str, Any]:
    data = {
        "name": raw["name"],
        "title": raw["title"],
        "notes": raw.get("notes", "").strip(),
        "owner_org": raw["organization"],
        "license_id": raw.get("license_id", "dl-by-de/2.0"),
        "tags": [{"name": tag} for tag in raw.get("tags", [])],
        "resources": [local_link(dict(r), file_base) for r in raw.get("resources", []) if "upload" not in r],
    }
    for enrich in DATASET_ENRICHERS:
        data = enrich(dict(data, _raw=raw))
        data.pop("_raw", None)
    return data


def seed(sysadmin_name: str, file_base: str = "") -> dict[str, int]:
    """Load the demo content; return counts of created and updated objects.

    ``file_base``: where the demo serves the city's linked files (its fake RVR), if it does.
    """
    admin = ensure_sysadmin(sysadmin_name)
    context = {"user": admin["name"], "ignore_auth": True}
    content = load_content()
    counts = {"organizations created": 0, "datasets created": 0, "datasets updated": 0}
    for org in content["organizations"]:
        _, created = _upsert("organization", dict(org), context)
        counts["organizations created"] += created
    for raw in content["datasets"]:
        dataset, created = _upsert("package", dataset_dict(raw, file_base), context)
        counts["datasets created" if created else "datasets updated"] += 1
        upload_files(dataset["id"], raw.get("resources", []), context)
    return counts


def upload_files(dataset_id: str, resources: list[dict[str, Any]], context: dict[str, Any]) -> None:
    """Upload the resources that name a local file, as staff would in the form.

    The update before replaced the dataset's resources, so each seed uploads them
    afresh; the DataStore loader then loads the tables again on the jobs worker.
    """
    from werkzeug.datastructures import FileStorage

    for resource in resources:
        if "upload" not in resource:
            continue
        path = FILES / resource["upload"]
        fields = {key: value for key, value in resource.items() if key != "upload"}
        with path.open("rb") as stream:
            tk.get_action("resource_create")(dict(context), dict(
                fields, package_id=dataset_id, url=path.name, upload=FileStorage(stream, filename=path.name)))


def seed_inventory(sysadmin_name: str) -> dict[str, int]:
    """The demo Dateninventur (``demo/inventory.yaml``): private entries of seven departments."""
    from ckanext.hamm.demo import inventory

    return inventory.seed(ensure_sysadmin(sysadmin_name)["name"], _upsert)


def api_token(sysadmin_name: str, token_name: str = "make-token") -> str:
    admin = ensure_sysadmin(sysadmin_name)
    result = tk.get_action("api_token_create")(
        {"user": admin["name"], "ignore_auth": True}, {"user": admin["name"], "name": token_name}
    )
    return result["token"]


# The Hamm schema's demo values (Handlungsfeld, Zielgruppe, Persona, themes, contact …).
from ckanext.hamm.demo import schema_fields as _schema_fields  # noqa: E402

DATASET_ENRICHERS.append(_schema_fields.enrich)
