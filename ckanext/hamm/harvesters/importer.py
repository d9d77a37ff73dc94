"""Import: create, update or withdraw the one dataset a harvest object stands for.

The local dataset is found only through this source's previous harvest object
for the same remote id, never by name or id lookups (which would match
datasets of other sources or of the city itself).
"""
from __future__ import annotations

import datetime
import json
import logging
import uuid
from typing import Any, Optional, Union

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model

from ckanext.hamm.harvesters.errors import HammRecordError
from ckanext.hamm.net.errors import HammHarvestError
from ckanext.harvest.harvesters.base import HarvesterBase
from ckanext.harvest.model import HarvestObject

from . import mapping, runtime, source_config
from .constants import CONFIRMED, DCAT_TYPE, STATUS, WRITTEN

log = logging.getLogger(__name__)

Outcome = Union[bool, str]


def extra(obj: HarvestObject, key: str) -> Optional[str]:
    return next((e.value for e in obj.extras if e.key == key), None)


def previous_object(obj: HarvestObject) -> Optional[HarvestObject]:
    """The latest earlier object of this source for this remote id that points to a dataset."""
    return (model.Session.query(HarvestObject)
            .filter(HarvestObject.harvest_source_id == obj.harvest_source_id, HarvestObject.guid == obj.guid,
                    HarvestObject.id != obj.id, HarvestObject.package_id.isnot(None))
            .order_by(HarvestObject.current.desc(), HarvestObject.import_finished.desc().nullslast())
            .first())


def dataset_fields() -> Optional[set[str]]:
    try:
        from ckanext.scheming.helpers import scheming_get_dataset_schema
    except ImportError:
        return None
    schema = scheming_get_dataset_schema("dataset")
    return {f["field_name"] for f in schema["dataset_fields"]} if schema else None


def staff_fields(config: source_config.SourceConfig) -> tuple[str, ...]:
    return tuple(dict.fromkeys(mapping.DEFAULT_STAFF_FIELDS + config.staff_fields))


def _context(user: str) -> dict[str, Any]:
    return {"user": user, "ignore_auth": True, "model": model, "session": model.Session}


def _completed(obj: HarvestObject, status: str) -> None:
    """Final object state, written in the dataset's own transaction (the queue path rewrites the same)."""
    now = datetime.datetime.utcnow()
    obj.fetch_started = obj.fetch_started or now
    obj.fetch_finished = obj.fetch_finished or now
    obj.import_started = obj.import_started or now
    obj.import_finished, obj.state, obj.report_status = now, "COMPLETE", status


def _make_current(obj: HarvestObject, package_id: str, current: bool = True) -> None:
    model.Session.query(HarvestObject).filter(
        HarvestObject.harvest_source_id == obj.harvest_source_id, HarvestObject.guid == obj.guid,
        HarvestObject.id != obj.id).update({"current": False}, synchronize_session=False)
    obj.package_id = package_id
    obj.current = current


def import_object(obj: HarvestObject, user: str) -> Outcome:
    config = source_config.parse(obj.source.config)
    if extra(obj, STATUS) == "delete":
        return withdraw(obj, user)
    remote = json.loads(obj.content)
    problems = mapping.shape_problems(remote)
    if problems:  # gather skips these already; an object queued by an older version may not
        raise HammRecordError(mapping.record_label(remote, 0), problems)
    caps = mapping.Caps(max_resources=config.max_resources, max_text=config.max_text_length)
    mapped = mapping.map_dataset(remote, runtime.rules(), caps, config.public_url or obj.source.url)
    if obj.source.type == DCAT_TYPE:  # provenance names the catalogue, not RVR
        mapped.package["hamm_source_title"] = obj.source.title or obj.source.url
    if mapped.warnings:
        log.info("Harvest %s: %s", obj.guid[:80], "; ".join(mapped.warnings)[:500])
    previous = previous_object(obj)
    if previous is None:
        return create(obj, user, remote, mapped, config)
    return update(obj, previous, user, mapped, config)


def create(obj: HarvestObject, user: str, remote: dict, mapped: mapping.Mapped,
           config: source_config.SourceConfig) -> Outcome:
    package = mapping.restrict_to_schema(dict(mapped.package), dataset_fields())
    write, remember = mapping.merge_staff_fields({}, {}, mapped.suggested, staff_fields(config))
    package.update(write)
    owner_org = model.Session.query(model.Package.owner_org).filter(model.Package.id == obj.source.id).scalar()
    ideal = mapping.ideal_name(remote, package["title"])
    package.update(id=str(uuid.uuid4()), name=HarvesterBase._ensure_name_is_unique(ideal),
                   owner_org=owner_org, private=False)
    obj.extras.append(_written(remember))
    _make_current(obj, package["id"])
    _completed(obj, "added")
    obj.add()
    # the dataset is indexed inside package_create; the link must exist by then
    model.Session.execute(sa.text("SET CONSTRAINTS harvest_object_package_id_fkey DEFERRED"))
    model.Session.flush()
    try:
        tk.get_action("package_create")(dict(_context(user), return_id_only=True), package)
    except tk.ValidationError as error:
        if "name" not in error.error_dict:
            raise
        # another import worker took the name a moment ago: a random suffix cannot clash
        package["name"] = HarvesterBase._ensure_name_is_unique(ideal, append_type="random-hex")
        tk.get_action("package_create")(dict(_context(user), return_id_only=True), package)
    model.Session.commit()
    return True


def update(obj: HarvestObject, previous: HarvestObject, user: str, mapped: mapping.Mapped,
           config: source_config.SourceConfig) -> Outcome:
    existing = tk.get_action("package_show")(_context(user), {"id": previous.package_id})
    withdrawn_by_us = not previous.current and existing["state"] == "deleted"
    if existing["state"] != "active" and not withdrawn_by_us:
        raise HammHarvestError(
            "Der Datensatz wurde in Hamm gelöscht und wird nicht wiederhergestellt.",
            "The dataset was deleted in Hamm and is not restored.")
    last_written = json.loads(extra(previous, WRITTEN) or "{}")
    confirmed = confirmations(previous)
    write, remember = mapping.merge_staff_fields(existing, last_written, mapped.suggested, staff_fields(config),
                                                 confirmed)
    package = {k: v for k, v in existing.items() if k not in ("metadata_modified", "metadata_created")}
    package.update(mapping.restrict_to_schema(dict(mapped.package), dataset_fields()))
    package.update(write, state="active")
    package["resources"] = keep_resource_ids(existing.get("resources") or [], package["resources"])
    obj.extras.append(_written(remember))
    if confirmed:  # staff's confirmation travels with the dataset from object to object
        obj.extras.append(_extra(CONFIRMED, confirmed))
    _make_current(obj, existing["id"])
    _completed(obj, "updated")
    obj.add()
    tk.get_action("package_update")(dict(_context(user), return_id_only=True), package)
    model.Session.commit()
    return True


def withdraw(obj: HarvestObject, user: str) -> Outcome:
    previous = previous_object(obj)
    if previous is None or not previous.current:
        return "unchanged"
    tk.get_action("package_delete")(_context(user), {"id": previous.package_id})
    _make_current(obj, previous.package_id, current=False)
    _completed(obj, "deleted")
    obj.add()
    model.Session.commit()
    return True


def keep_resource_ids(existing: list[dict], mapped: list[dict]) -> list[dict]:
    """Reuse local resource ids by URL so updates do not churn resources."""
    free: dict[str, list[str]] = {}
    for resource in existing:
        free.setdefault(resource.get("url") or "", []).append(resource["id"])
    result = []
    for resource in mapped:
        ids = free.get(resource["url"])
        result.append(dict(resource, id=ids.pop(0)) if ids else dict(resource))
    return result


def confirmations(obj: HarvestObject) -> dict[str, Any]:
    """Field → who confirmed its suggested value and when (``suggestion.py``)."""
    try:
        value = json.loads(extra(obj, CONFIRMED) or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _written(values: dict[str, Any]):
    return _extra(WRITTEN, values)


def _extra(key: str, values: dict[str, Any]):
    from ckanext.harvest.model import HarvestObjectExtra

    return HarvestObjectExtra(key=key, value=json.dumps(values, ensure_ascii=False))
