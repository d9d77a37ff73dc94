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

Core's rebuild loop itself, its options, messages and error handling run unchanged;
the documents are the same (``tests/search/test_rebuild.py`` compares every column).
"""
from __future__ import annotations

import contextlib
import contextvars
import copy
import importlib
from typing import Any, Callable, Iterator, Optional

import ckan.plugins.toolkit as tk
from ckan import logic
from ckan.lib.plugins import DefaultDatasetForm, lookup_package_plugin, plugin_validate
from ckan.logic.schema import default_show_package_schema
from ckan.types import Context, DataDict

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


def rebuild(*args: Any, **kwargs: Any) -> None:
    """CKAN's ``ckan.lib.search.rebuild`` (same arguments) inside :func:`rebuilding`."""
    with rebuilding():
        _core["rebuild"](*args, **kwargs)


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
    search = importlib.import_module("ckan.lib.search")
    if not _core:
        _core.update(rebuild=search.rebuild, index_update_package=logic.index_update_package)
    search.rebuild = rebuild
    logic.index_update_package = index_update_package
