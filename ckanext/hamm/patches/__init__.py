"""Process-wide fixes to libraries, and the one list of every upstream workaround.

The modules here patch libraries at start-up: fork safety, GC pauses, the Turtle writer,
ckanext-dcat's profile lookup and geometry nodes, the pager's names, ckanext-harvest's queue timeout.
Other workarounds live where they act (views, actions, previews). Each one, wherever it
lives, is declared once in :data:`WORKAROUNDS` with the upstream distribution and the
version it was written for; :func:`warn_about_upstream_changes` (plugin load) and
``python -m ckanext.hamm.patches`` (``make install``) warn when the installed version
differs. What each fixes and the upstream issue it answers: ``docs/upstream.md``.
"""
from __future__ import annotations

import importlib.metadata
import logging
from dataclasses import dataclass
from typing import Optional

__all__ = ["WORKAROUNDS", "Mismatch", "Workaround", "check", "warn_about_upstream_changes"]

log = logging.getLogger(__name__)

DOC = "docs/upstream.md"
NONE_FOUND = "none found — to be opened upstream"


@dataclass(frozen=True)
class Workaround:
    """One workaround of upstream behaviour: where it lives and what it was written against.

    ``targets`` are the upstream objects it wraps, replaces or relies on, as
    ``module:qualified.name`` with the parameter names expected (``None``: not checked),
    so a test notices when an upgrade renames or reshapes them.
    """

    name: str
    module: str
    distribution: str
    version: str  # the upstream version it was written and tested against
    fixes: str
    upstream: str  # "owner/repo#number" as found upstream, or NONE_FOUND plus a draft title
    targets: tuple[tuple[str, Optional[tuple[str, ...]]], ...] = ()


CKAN, DCAT, HARVEST, XLOADER, RDFLIB = "ckan", "ckanext-dcat", "ckanext-harvest", "ckanext-xloader", "rdflib"

WORKAROUNDS: tuple[Workaround, ...] = (
    Workaround("forking", "ckanext.hamm.patches.forking", CKAN, "2.12.0",
               "forked children (search-index rebuild-fast, the DCAT dump) reuse the parent's pooled "
               "PostgreSQL connections and hang",
               f"{NONE_FOUND}: 'search-index rebuild-fast: forked workers share the parent's DB connections "
               "and hang' (related: ckan/ckan#3247, the same fix for RQ workers)",
               (("ckan.cli.search_index:rebuild_fast", None), ("ckan.model:Session.registry", None))),
    Workaround("singleton", "ckanext.hamm.patches.singleton", CKAN, "2.12.0",
               "SingletonPlugin finds its instance with hasattr(), so a plugin class made after its "
               "parent plugin class is that parent (hamm_dcat registered as a second hamm_rvr)",
               f"{NONE_FOUND}: 'SingletonPlugin.__new__ returns the parent class's instance to a subclass'",
               (("ckan.plugins.base:SingletonPlugin", None),)),
    Workaround("pager", "ckanext.hamm.patches.pager", CKAN, "2.12.0",
               "the pager's previous/next links hold only an icon, no accessible name (WCAG 2.4.4)",
               "ckan/ckan#5733 (open; duplicate of ckan/ckan#3104; ckan/ckan#5223 made the symbols "
               "configurable, which this uses)",
               (("ckan.lib.pagination:Page.pager", ("self", "args", "kwargs")),)),
    Workaround("profile_lookup", "ckanext.hamm.patches.profile_lookup", DCAT, "2.4.4",
               "every RDFSerializer/RDFParser scans all installed distributions' entry points for each "
               "profile (3 ms per profile, twice per DCAT page)",
               f"{NONE_FOUND}: 'RDFProcessor._load_profiles: cache the entry-point lookup of profiles'",
               (("ckanext.dcat.processors:entry_points", None),
                ("ckanext.dcat.processors:RDFProcessor._load_profiles", ("self", "profile_names")))),
    Workaround("geometry_nodes", "ckanext.hamm.patches.geometry_nodes", DCAT, "2.4.4",
               "a DCAT-AP 3.0 place whose locn:geometry is a locn:Geometry node (not a literal) stops "
               "the whole RDF import with an AttributeError in _parse_geodata",
               f"{NONE_FOUND}: '_parse_geodata: locn:geometry as a locn:Geometry node (DCAT-AP 3.0) "
               "raises AttributeError'",
               (("ckanext.dcat.profiles.base:RDFProfile._parse_geodata",
                 ("self", "spatial", "datatype", "cur_value")),)),
    Workaround("queue_timeout", "ckanext.hamm.patches.queue_timeout", HARVEST, "1.6.3",
               "with redis-py 8 an idle gather/fetch consumer dies after 5 s (TimeoutError in BLPOP)",
               "ckan/ckanext-harvest#581 (open)",
               (("ckanext.harvest.queue:get_consumer", ("queue_name", "routing_key")),
                ("ckanext.harvest.queue:RedisConsumer", ("redis", "routing_key")))),
    Workaround("turtle", "ckanext.hamm.patches.turtle", RDFLIB, "7.6.0",
               "rdflib's Turtle serializer computes a qname per term and pre-scans the graph twice: "
               "more than half of a catalogue page's time",
               "RDFLib/rdflib#2135 (open: serialize() struggling with larger data, qname processing)",
               (("rdflib.plugins.serializers.turtle:TurtleSerializer.serialize",
                 ("self", "stream", "base", "encoding", "spacious", "kwargs")),
                ("rdflib.plugin:register", ("name", "kind", "module_path", "class_name")))),
    Workaround("young_garbage", "ckanext.hamm.patches.young_garbage", RDFLIB, "7.6.0",
               "a Graph and its NamespaceManager form a reference cycle, so a page's graph waits for a "
               "full collection (70-190 ms charged to a later request)",
               f"{NONE_FOUND}: 'Graph <-> NamespaceManager reference cycle keeps graphs alive until a "
               "full GC' (related: RDFLib/rdflib#2048, de-couple NamespaceManager from Store/Graph)",
               (("rdflib.graph:Graph.namespace_manager", None),)),
    Workaround("csrf", "ckanext.hamm.views.csrf", CKAN, "2.12.0",
               "ckan_before_request calls the process-wide csrf.exempt(view) for requests flagged "
               "login_via_auth_header, which anonymous requests are too: one anonymous GET exempts a "
               "view for everyone until restart",
               f"{NONE_FOUND}: 'ckan_before_request: csrf.exempt() on an anonymous request exempts the "
               "view for all later requests' (related: ckan/ckan#7028 open, ckan/ckan#7096 merged)",
               (("ckan.config.middleware.flask_app:ckan_before_request", ()),)),
    Workaround("guard", "ckanext.hamm.views.guard", CKAN, "2.12.0",
               "NUL characters, deeply nested JSON, list/object ids and partial user.edit forms end in "
               "a 500",
               "ckan/ckan#9324 (open PR: NUL bytes in user.reset); for the rest "
               f"{NONE_FOUND}: 'API: 500 on NUL, nested JSON, non-string ids; user.edit KeyError on a "
               "partial form'",
               (("ckan.views.user:EditView.post", ("self", "id")),)),
    Workaround("xloader_jobs_db", "ckanext.hamm.previews", XLOADER, "2.5.2",
               "xloader's job table defaults to an SQLite file in /tmp, private to each systemd unit "
               "(PrivateTmp): worker and web see different job lists",
               f"{NONE_FOUND}: 'default ckanext.xloader.jobs_db.uri to sqlalchemy.url' (related: "
               "ckan/ckanext-xloader#17 and ckan/ckanext-xloader#86 made the main database possible)",
               (("ckanext.xloader.db:init", ("config", "echo")),)),
    Workaround("datastore_row_count", "ckanext.hamm.previews", CKAN, "2.12.0",
               "the DataStore's cached row count (_table_stats) is not cleared by xloader's COPY: a "
               "preview opened during the load says 0 rows for good",
               f"{NONE_FOUND}: 'cached table row count stays 0 after an xloader COPY' (the cache came "
               "with ckan/ckan#9260)",
               (("ckanext.datastore.backend.postgres:DatastorePostgresqlBackend.clear_table_stats",
                 ("self", "resource_id")),)),
    Workaround("dcat_visibility_filters", "ckanext.hamm.logic.action.dcat", DCAT, "2.4.4",
               "ckanext-dcat passes the request's q/fq to package_search: fq=+state:deleted replaces "
               "CKAN's active-only filter and publishes deleted datasets",
               f"{NONE_FOUND}: 'catalog endpoint: fq from the request can override state/capacity "
               "filters' (related: ckan/ckan#691, the same hole closed in CKAN's legacy search API)",
               (("ckanext.dcat.logic:dcat_catalog_show", ("context", "data_dict")),
                ("ckanext.dcat.logic:dcat_catalog_search", ("context", "data_dict")))),
    Workaround("dcat_search_errors", "ckanext.hamm.logic.action.dcat", DCAT, "2.4.4",
               "an unparsable q/fq on /catalog.* raises SearchError, which ckanext-dcat answers with a 500",
               f"{NONE_FOUND}: 'catalog endpoint: SearchError from an invalid q/fq is a 500, not a 409'",
               (("ckanext.dcat.logic:dcat_catalog_show", ("context", "data_dict")),)),
    Workaround("permission_labels", "ckanext.hamm.inventory.visibility", CKAN, "2.12.0",
               "CKAN asks only the first IPermissionLabels plugin, so hamm must also carry hamm_rvr's "
               "harvest labels",
               "ckan/ckan#5967 (open: handling of multiple IPermissionLabels plugins)",
               (("ckan.lib.plugins:get_permission_labels", ()),)),
)


@dataclass(frozen=True)
class Mismatch:
    workaround: Workaround
    installed: Optional[str]  # None: the distribution is not installed

    def message(self) -> str:
        w = self.workaround
        found = f"{w.distribution} {self.installed}" if self.installed else f"no {w.distribution}"
        return (f"UPSTREAM CHANGED: workaround {w.name!r} ({w.module}) was written for {w.distribution} "
                f"{w.version}, found {found}. Check whether it is still needed and still works "
                f"(tests/patches/), then update its entry in ckanext/hamm/patches/__init__.py and {DOC}.")


def installed_version(distribution: str) -> Optional[str]:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None


def check(workarounds: tuple[Workaround, ...] = WORKAROUNDS) -> list[Mismatch]:
    """The workarounds whose upstream distribution is missing or at another version."""
    mismatches = []
    for workaround in workarounds:
        version = installed_version(workaround.distribution)
        if version != workaround.version:
            mismatches.append(Mismatch(workaround, version))
    return mismatches


_warned: set[str] = set()


def warn_about_upstream_changes() -> list[Mismatch]:
    """Log one WARNING per workaround whose upstream version differs (once per process)."""
    mismatches = check()
    for mismatch in mismatches:
        if mismatch.workaround.name not in _warned:
            _warned.add(mismatch.workaround.name)
            log.warning(mismatch.message())
    return mismatches
