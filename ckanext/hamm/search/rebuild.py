"""``ckan search-index rebuild`` with three of core's per-dataset costs taken out.

Core's rebuild (also the one each ``rebuild-fast`` worker runs) indexes one dataset
at a time. Three of its costs repeat work that cannot have changed during a rebuild:

- ``index_package`` calls ``vocabulary_show`` for every vocabulary tag of every
  dataset: a query for the vocabulary and one for all of its tags, only to read its
  name. During a rebuild the answer is remembered per vocabulary.
- ``package_show_default_and_custom_schemas`` validates a dataset a second time with
  the custom show schema unless it equals the default one. For a dataset type without
  a schema plugin it always does, but the comparison of two freshly built schemas
  fails (validators such as ``one_of`` are new closures each time), so core validates
  twice. Here the second validation is replaced by a copy of the first for such types.
- The permission labels load the dataset once more; SQLAlchemy's identity map holds
  the one ``package_show`` loaded only weakly, so it was gone. Here it is kept alive
  until the dataset is indexed.

The documents are the same as core's (``tests/search/test_rebuild.py`` compares every
column). A rebuild of one dataset, a list, or only the missing ones runs core's loop
unchanged. A whole-catalogue rebuild from 1,000 datasets on runs in one process per core,
as ``rebuild-fast`` does (``ckanext.hamm.search.rebuild_processes`` sets the number).
"""
from __future__ import annotations

import contextlib
import contextvars
import copy
import logging
import multiprocessing
import os
from typing import Any, Callable, Collection, Iterator, Optional

import ckan.plugins.toolkit as tk
from ckan import logic, model
from ckan.lib import search
from ckan.lib.plugins import DefaultDatasetForm, lookup_package_plugin, plugin_validate
from ckan.logic.schema import default_show_package_schema
from ckan.types import Context, DataDict

from ckanext.hamm import config as hamm_config

log = logging.getLogger(__name__)

PARALLEL_FROM = 1000  # datasets; below, forking costs more than it saves
MAX_PROCESSES = 4

# vocabulary id or name -> vocabulary_show's answer, while a rebuild runs
_vocabularies: contextvars.ContextVar[Optional[dict[str, dict[str, Any]]]] = contextvars.ContextVar(
    "hamm_search_rebuild_vocabularies", default=None)
_core: dict[str, Callable[..., Any]] = {}


@contextlib.contextmanager
def rebuilding() -> Iterator[None]:
    """The scope in which vocabularies are remembered and show schemas validated once."""
    token = _vocabularies.set({})
    try:
        yield
    finally:
        _vocabularies.reset(token)


def rebuild(package_id: Optional[str] = None, only_missing: bool = False, force: bool = False,
            defer_commit: bool = False, package_ids: Optional[Collection[str]] = None,
            quiet: bool = False, clear: bool = False) -> None:
    """CKAN's ``ckan.lib.search.rebuild`` inside :func:`rebuilding`; see :func:`_in_processes`."""
    whole_catalogue = package_id is None and package_ids is None and not only_missing
    ids = _catalogue_ids() if whole_catalogue else []
    processes = _process_count(len(ids))
    with rebuilding():
        if processes <= 1:
            _core["rebuild"](package_id, only_missing=only_missing, force=force, defer_commit=defer_commit,
                             package_ids=package_ids, quiet=quiet, clear=clear)
            return
        if clear:
            search.index_for(model.Package).clear()
        if not quiet:
            print(f"Indexing {len(ids)} datasets in {processes} processes")
        _in_processes(ids, processes, force=force, defer_commit=defer_commit)


def _catalogue_ids() -> list[str]:
    """The datasets core's whole-catalogue rebuild indexes, in its order."""
    query = model.Session.query(model.Package.id)
    if tk.config.get("ckan.search.remove_deleted_packages"):
        query = query.filter(model.Package.state != model.State.DELETED)
    return [row[0] for row in query.all()]


def _process_count(datasets: int) -> int:
    configured = hamm_config.search_rebuild_processes()
    if configured is not None:
        return max(1, configured) if datasets else 1
    return min(os.cpu_count() or 1, MAX_PROCESSES) if datasets >= PARALLEL_FROM else 1


def _in_processes(ids: list[str], processes: int, force: bool, defer_commit: bool) -> None:
    """Index ``ids`` in forked processes, each in its own transaction (like ``rebuild-fast``).

    One process per core turns a 10,000-dataset rebuild from minutes into under one on two
    cores. A dataset that fails stops its own process (its part is rolled back, the other
    parts are kept) unless ``force`` is given; that process's error names the dataset and
    the rebuild ends with an error saying how many parts failed.
    """
    model.Session.commit()  # the children see what the parent sees
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=_index_part, args=(ids[start::processes], force, defer_commit))
               for start in range(processes)]
    for worker in workers:
        worker.daemon = True  # an interrupted rebuild takes its workers with it
        worker.start()
    for worker in workers:
        worker.join()
    failed = sum(1 for worker in workers if worker.exitcode != 0)
    if failed:
        raise search.SearchIndexError(
            f"{failed} of {processes} indexing processes failed (see the log); "
            "the other parts of the index were rebuilt. Run again with --force to skip failing datasets.")


def _index_part(ids: list[str], force: bool, defer_commit: bool) -> None:
    """Child process: CKAN's per-dataset loop over one part, then one commit."""
    with rebuilding():
        for package_id in ids:
            try:
                index_update_package({"ignore_auth": True}, package_id, defer_commit)
            except Exception as error:
                if not force:
                    model.Session.rollback()
                    raise search.SearchIndexError(f"Error while indexing dataset {package_id}: {error!r}") from error
                log.exception("Error while indexing dataset %s (skipped: --force)", package_id)
        model.Session.commit()


def index_update_package(context: Context, id_: str, defer_commit: bool = False) -> None:
    """CKAN's ``logic.index_update_package``; outside a rebuild it is core's own."""
    if _vocabularies.get() is None:
        return _core["index_update_package"](context, id_, defer_commit)
    show_context = logic.fresh_context(context, ignore_auth=True, use_cache=False, validate=False)
    both = _show_both_schemas(show_context, id_)
    # show_context keeps the loaded dataset alive: SQLAlchemy's identity map holds it only
    # weakly, and the permission labels look it up again (another query otherwise)
    logic.index_update_package_dicts(both, defer_commit)


def _show_both_schemas(context: Context, package_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """``logic.package_show_default_and_custom_schemas``, with a working "same schema" test."""
    shown = tk.get_action("package_show")(context, {"id": package_id})
    default_schema = default_show_package_schema()
    with_default_schema, _errors = plugin_validate(object(), context, shown, default_schema, "package_show")
    package_plugin = lookup_package_plugin(shown["type"])
    if type(package_plugin) is DefaultDatasetForm:  # its show schema is the default one
        # a copy, as core's second validation makes: after_dataset_show must not reach the default dict
        with_custom_schema = _copied(with_default_schema)
    else:
        custom_schema = package_plugin.show_package_schema()
        with_custom_schema = with_default_schema if custom_schema == default_schema else plugin_validate(
            package_plugin, context, shown, custom_schema, "package_show")[0]
    logic.apply_after_dataset_show_plugins(context, with_custom_schema)
    return with_default_schema, with_custom_schema


def _copied(value: Any) -> Any:
    """Dicts and lists copied, leaves shared (they are immutable, and ``missing`` stays itself)."""
    if isinstance(value, dict):
        return {key: _copied(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_copied(item) for item in value]
    return value


@tk.chained_action
@tk.side_effect_free
def vocabulary_show(up_func: Callable[..., Any], context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Core's ``vocabulary_show``; during a rebuild each vocabulary is read once."""
    remembered = _vocabularies.get()
    key = data_dict.get("id")
    if remembered is None or not isinstance(key, str):
        return up_func(context, data_dict)
    if key not in remembered:
        remembered[key] = up_func(context, data_dict)
    else:
        tk.check_access("vocabulary_show", context, data_dict)
    return copy.deepcopy(remembered[key])


def install() -> None:
    """Route core's rebuild and per-dataset indexing through this module (idempotent)."""
    if not _core:
        _core.update(rebuild=search.rebuild, index_update_package=logic.index_update_package)
    search.rebuild = rebuild
    logic.index_update_package = index_update_package
