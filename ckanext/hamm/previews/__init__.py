"""Resource previews: which files ckanext-xloader loads into the DataStore, and its token.

The loader's worker downloads every file it loads. Uploads live on the portal; a
link may point anywhere, including other organisations' portals (harvested records)
and addresses inside the city's network. So only uploads and https links to the hosts in
``ckanext.hamm.previews.linked_hosts`` (by default the city's web server and RVR's portal)
are loaded; other links keep their download button without a table preview.

xloader fetches a file through the portal's own URL and writes it with DataStore
actions, both as the user of ``ckanext.xloader.api_token``. CKAN's site user is that
user (it exists on every portal and is a sysadmin), so the token never belongs to a
person who might leave.
"""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.hamm.net.policy import url_host
from ckanext.hamm.previews.files import link_allowed

__all__ = ["forget_stale_row_count", "keep_loader_jobs_in_main_database", "label_columns", "load_new_files",
           "loader_token", "may_load", "on_hosts", "submit_files"]

XLOADER_JOBS_DB = "ckanext.xloader.jobs_db.uri"
XLOADER_DEFAULT_JOBS_DB = "sqlite:////tmp/xloader_jobs.db"

TOKEN_NAME = "xloader"
# files that are DataStore tables already, and uploads (xloader's resource_create hook queues those)
LOADED_TYPES = ("datapusher", "xloader", "upload")


def loader_token(keep: str = "") -> str:
    """``keep`` when it is still a valid token of the site user, else a new one."""
    from ckan.lib.api_token import get_user_from_token

    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    if keep:
        user = get_user_from_token(keep, update_access_time=False)
        if user is not None and user.name == site_user:
            return keep
    result = tk.get_action("api_token_create")(
        {"user": site_user, "ignore_auth": True}, {"user": site_user, "name": TOKEN_NAME})
    return result["token"]


def may_load(resource_id: str) -> bool:
    """Whether the loader may fetch this resource's file (an upload or an allowed host)."""
    resource = model.Resource.get(resource_id)
    if resource is None:
        return False
    return resource.url_type == "upload" or link_allowed(resource.url)


def on_hosts(url: str | None, hosts: frozenset[str]) -> bool:
    """Whether ``url`` points at one of ``hosts`` (exact host names, as the city lists them)."""
    host = url_host(url)  # the host requests connects to; None for a URL parsers disagree on
    return host is not None and host in hosts


def keep_loader_jobs_in_main_database(config: Any) -> None:
    """xloader's job table goes to CKAN's database unless the ini names another.

    Its default, an SQLite file in /tmp, is private to each systemd unit (PrivateTmp):
    the worker and the web processes would each see their own job list.
    """
    if config.get(XLOADER_JOBS_DB) in (None, "", XLOADER_DEFAULT_JOBS_DB) and config.get("sqlalchemy.url"):
        config[XLOADER_JOBS_DB] = config["sqlalchemy.url"]


def forget_stale_row_count(resource_id: str) -> None:
    """Drop the DataStore's cached row count of a table the loader has just filled.

    CKAN 2.12 caches a table's row count on first use; a resource page opened while
    xloader was still loading cached 0, and xloader's COPY never clears it, so the
    preview said "0 Einträge" for good. The next search counts again.
    """
    from ckanext.datastore.backend import DatastoreBackend

    clear = getattr(DatastoreBackend.get_active_backend(), "clear_table_stats", None)
    if clear is not None:
        clear(resource_id)


def label_columns(resource_id: str) -> None:
    """Give the loaded table's columns labels citizens read (``previews/labels.py``).

    Written into the DataStore's data dictionary, where the table view shows them and
    staff may change them; a label already there is kept.
    """
    from ckanext.hamm.previews.labels import column_label

    context = {"ignore_auth": True}
    try:
        fields = tk.get_action("datastore_info")(dict(context), {"id": resource_id})["fields"]
    except (tk.ObjectNotFound, tk.ValidationError):
        return
    wanted = []
    for field in fields:
        info = dict(field.get("info") or {})
        if not info.get("label"):
            info["label"] = column_label(field["id"], info)
        wanted.append({"id": field["id"], "type": field["type"], "info": info})
    if wanted != [{"id": f["id"], "type": f["type"], "info": f.get("info") or {}} for f in fields]:
        tk.get_action("datastore_create")(dict(context), {"resource_id": resource_id, "force": True,
                                                          "fields": wanted})


def load_new_files(dataset_id: str) -> list[str]:
    """Queue the loader for a dataset's loadable files it has never seen; return their ids.

    xloader queues a file when it is uploaded or its link changes, but not a resource made
    inside ``package_create``/``package_update`` — every harvested record's files and
    the seeded links stayed without a table. Files with a loader task already are left to
    xloader (its own hooks reload them when their link changes). The submission itself runs
    on the jobs worker (:func:`submit_files`): it reads the DataStore, which must not happen
    inside the harvester's transaction, and a failure there must never fail the dataset.
    """
    from ckanext.xloader.utils import XLoaderFormats

    dataset = model.Package.get(dataset_id)
    if dataset is None or dataset.private:
        return []
    wanted = []
    for resource in dataset.resources:
        if not XLoaderFormats.is_it_an_xloader_format(resource.format) or resource.url_type in LOADED_TYPES:
            continue
        if (resource.extras or {}).get("datastore_active") or not may_load(resource.id):
            continue
        seen = model.Session.query(model.TaskStatus.id).filter_by(
            entity_id=resource.id, task_type="xloader", key="xloader").first()
        if seen is None:
            wanted.append(resource.id)
    if wanted:
        tk.enqueue_job(submit_files, [wanted], title=f"hamm: load the files of {dataset.name}")
    return wanted


def submit_files(resource_ids: list[str]) -> None:
    """The jobs worker's half of :func:`load_new_files` (xloader skips duplicates itself)."""
    for resource_id in resource_ids:
        try:
            tk.get_action("xloader_submit")({"ignore_auth": True}, {"resource_id": resource_id})
        except (tk.ObjectNotFound, tk.ValidationError):
            continue  # deleted meanwhile, or not loadable after all
