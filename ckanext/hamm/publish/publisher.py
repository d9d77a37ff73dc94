"""Publish Hamm's own datasets to RVR: select, compare, write, and delete only when it is safe.

What goes: public, active datasets made in Hamm or taken over from RVR, never
datasets a harvester brought in. Incremental: a dataset is looked at when Hamm
changed it (or the rules changed) since its last publish, and written only when
what we would send differs from what we sent (no-change run: 0 write calls).
Conflicts (edited at RVR since our last write) are left alone unless forced.
Deletions at RVR run only after a complete, error-free pass and within the
harvester's shrink guard. Local datasets are never changed; the link table
records only what RVR confirmed.
"""
from __future__ import annotations

import dataclasses
import datetime
import functools
import logging
import os
import time
from importlib import resources
from pathlib import Path
from typing import Any, Callable, Optional

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model

from ckanext.hamm import config as hamm_config
from ckanext.hamm.dataset import origin
from ckanext.hamm.harvesters import runtime
from ckanext.hamm.harvesters.gather import shrink_share
from ckanext.hamm.harvesters.importer import keep_resource_ids
from ckanext.hamm.model import rvr_link as links
from ckanext.hamm.net.errors import HammHarvestError, shorten
from ckanext.hamm.publish import mapping
from ckanext.hamm.vocabularies import store as vocabulary
from ckanext.harvest.model import HarvestObject

from .remote import HammPublishDatasetError, HammPublishError, RvrApi

log = logging.getLogger(__name__)
TOKEN_VARIABLE = "HAMM_RVR_API_TOKEN"
Progress = Callable[[int, int], None]


@dataclasses.dataclass
class PublishReport:
    url: str
    organization: str
    dry_run: bool = False
    full: bool = False
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    skipped: int = 0
    errors: list[str] = dataclasses.field(default_factory=list)
    notes: list[str] = dataclasses.field(default_factory=list)  # conflicts, missing groups, lossy mapping
    write_calls: int = 0
    read_calls: int = 0
    seconds: float = 0.0

    def summary(self) -> str:
        kind = ("Vollabgleich" if self.full else "inkrementell") + (", Probelauf" if self.dry_run else "")
        head = (f"{self.url} / {self.organization} ({kind}): {self.created} neu, {self.updated} aktualisiert, "
                f"{self.unchanged} unverändert, {self.deleted} gelöscht, {self.skipped} übersprungen, "
                f"{len(self.errors)} Fehler ({self.write_calls} Schreibzugriffe, {self.seconds:.1f} s)\n"
                f"  created {self.created}, updated {self.updated}, unchanged {self.unchanged}, "
                f"deleted {self.deleted}, skipped {self.skipped}, errors {len(self.errors)}")
        return "\n".join([head] + [f"  Hinweis: {n}" for n in dict.fromkeys(self.notes)]
                         + [f"  Fehler: {e}" for e in self.errors])


# -- settings ---------------------------------------------------------------------
def read_token() -> str:
    """From HAMM_RVR_API_TOKEN, else the file named in ckanext.hamm.rvr_publish.token_file."""
    token = os.environ.get(TOKEN_VARIABLE, "").strip()
    path = hamm_config.rvr_publish_token_file()
    if not token and path:
        try:
            token = Path(path).read_text(encoding="utf-8").strip()
        except OSError:
            raise HammPublishError(f"Die Token-Datei {shorten(path)} ist nicht lesbar.",
                                   f"The token file {shorten(path)} cannot be read.") from None
    return token


def rules() -> mapping.Rules:
    path = hamm_config.rvr_publish_mapping_file()
    return _rules(path, Path(path).stat().st_mtime if path else 0.0)


@functools.lru_cache(maxsize=4)
def _rules(path: str, mtime: float) -> mapping.Rules:
    if path:
        return mapping.load_rules(Path(path).read_text(encoding="utf-8"))
    return mapping.load_rules(
        resources.files("ckanext.hamm.schemas").joinpath("rvr_publish.yaml").read_text(encoding="utf-8"))


def _label(rules_: mapping.Rules) -> mapping.Labels:
    return lambda dimension, concept: vocabulary.concept_label(dimension, concept, rules_.tag_language)


# -- selection --------------------------------------------------------------------
@dataclasses.dataclass
class Candidate:
    package_id: str
    modified: datetime.datetime
    link: Optional[links.RvrLink]


def eligible() -> dict[str, datetime.datetime]:
    """Public active datasets made in Hamm or taken over: id → metadata_modified (one query)."""
    harvested = sa.select(HarvestObject.package_id).where(HarvestObject.package_id.isnot(None))
    taken_over = sa.select(links.RvrLink.package_id)
    rows = (model.Session.query(model.Package.id, model.Package.metadata_modified)
            .filter(model.Package.state == "active", model.Package.private.is_(False),
                    model.Package.type == "dataset",
                    sa.or_(model.Package.id.notin_(harvested), model.Package.id.in_(taken_over))))
    return dict(rows.all())


def plan(full: bool, rules_: mapping.Rules) -> tuple[list[Candidate], list[links.RvrLink], int]:
    """(datasets to look at, links whose dataset must go at RVR, number of datasets that go to RVR)."""
    wanted = eligible()
    known = links.all_links()
    candidates = []
    for package_id, modified in sorted(wanted.items()):
        link = known.get(package_id)
        fresh = (link is not None and link.fingerprint and not link.remote_deleted
                 and link.rules_version == rules_.version and link.source_modified is not None
                 and modified <= link.source_modified)
        if full or not fresh:
            candidates.append(Candidate(package_id, modified, link))
    gone = [link for package_id, link in sorted(known.items())
            if package_id not in wanted and not link.remote_deleted]
    return candidates, gone, len(wanted)


# -- the run ----------------------------------------------------------------------
class Publisher:
    """One run against one RVR organisation."""

    def __init__(self, api: RvrApi, organization: str, report: PublishReport, force: bool = False) -> None:
        self.api = api
        self.organization = organization
        self.report = report
        self.force = force
        self.rules = rules()
        self.labels = _label(self.rules)
        self.site_url = hamm_config.site_url()
        self._remote_org: Optional[dict[str, Any]] = None
        self._groups: Optional[set[str]] = None
        self.context = {"user": tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"],
                        "ignore_auth": True}

    # remote facts, fetched once and only when something is to be written
    def remote_org(self) -> dict[str, Any]:
        if self._remote_org is None:
            org = self.api.organization(self.organization)
            if not self.report.dry_run and not self.api.may_write_to(org):
                raise HammPublishError(
                    f"Das API-Token hat keine Schreibrechte in der RVR-Organisation „{shorten(self.organization)}“ "
                    f"(oder ist ungültig). Bitte bei RVR (opendata@rvr.ruhr) Rechte als Bearbeiter anfragen.",
                    f"The API token has no write rights in the RVR organisation '{shorten(self.organization)}' "
                    f"(or is invalid). Please ask RVR (opendata@rvr.ruhr) for editor rights.")
            self._remote_org = org
        return self._remote_org

    def remote_groups(self) -> set[str]:
        if self._groups is None:
            self._groups = set(self.api.group_names())
        return self._groups

    def run(self, full: bool, progress: Progress) -> None:
        candidates, gone, wanted = plan(full, self.rules)
        self.report.unchanged += wanted - len(candidates)  # not changed in Hamm since their last publish
        complete = True
        for done, candidate in enumerate(candidates, 1):
            try:
                self.one(candidate)
            except HammHarvestError as error:  # RVR's answers and the safe client's fetch errors
                model.Session.rollback()
                self.report.errors.append(f"{self._label(candidate.package_id)}: {error}")
                if not getattr(error, "dataset_only", False):
                    return  # the run ends: a token, rights or server problem hits every dataset alike
                complete = False
            progress(done, len(candidates))
        if complete and gone:
            self.delete_gone(gone)

    def _label(self, package_id: str) -> str:
        package = model.Package.get(package_id)
        return f"„{package.name}“" if package else package_id

    def one(self, candidate: Candidate) -> None:
        pkg = tk.get_action("package_show")(dict(self.context), {"id": candidate.package_id})
        link = candidate.link
        if link is None and not origin.made_here(pkg):
            return  # brought in by a harvester after all (e.g. a hamm_remote_id set by hand)
        mapped = mapping.map_dataset(origin.strip(dict(pkg)), self.rules, self.labels,
                                     f"{self.site_url}/dataset/{pkg['name']}", self.origin_uri(pkg))
        self.report.notes.extend(f"„{pkg['name']}“: {w}" for w in mapped.warnings)
        if link is not None and link.fingerprint == mapped.fingerprint and not link.remote_deleted:
            self.report.unchanged += 1
            if not self.report.dry_run:
                self.remember(link, mapped, candidate.modified)
            return
        if self.report.dry_run:
            if link is None:
                self.report.created += 1
            else:
                self.report.updated += 1
            self.check_groups(mapped)
            return
        payload = self.payload(mapped)
        if link is None:
            result = self.create(pkg, payload)
            if result is None:
                return
            self.report.created += 1
            link = links.RvrLink(package_id=pkg["id"], remote_id=result["id"])
            model.Session.add(link)
        else:
            result = self.update(pkg, link, payload)
            if result is None:
                return
            self.report.updated += 1
        link.remote_name, link.remote_modified = result.get("name"), result.get("metadata_modified")
        link.published, link.remote_deleted = datetime.datetime.utcnow(), None
        self.remember(link, mapped, candidate.modified)

    def remember(self, link: links.RvrLink, mapped: mapping.Mapped, modified: datetime.datetime) -> None:
        link.fingerprint, link.rules_version, link.source_modified = mapped.fingerprint, self.rules.version, modified
        model.Session.commit()

    def origin_uri(self, pkg: dict[str, Any]) -> str:
        from ckanext.dcat.utils import dataset_uri

        return dataset_uri(origin.strip(dict(pkg)))

    def check_groups(self, mapped: mapping.Mapped) -> list[str]:
        groups, missing = mapping.split_groups(mapped.groups, self.remote_groups())
        self.report.notes.extend(f"Kategorie „{g}“ fehlt bei RVR (oder das Token darf sie nicht zuordnen) und "
                                 f"wurde nicht zugeordnet. / Category '{g}' is missing at RVR (or the token may not "
                                 f"assign it); not assigned." for g in missing)
        return groups

    def payload(self, mapped: mapping.Mapped) -> dict[str, Any]:
        org = self.remote_org()
        groups = self.check_groups(mapped)
        return dict(mapped.package, owner_org=org["id"], groups=[{"name": g} for g in groups], private=False)

    def create(self, pkg: dict[str, Any], payload: dict[str, Any]) -> Optional[dict]:
        """package_create; on a name clash adopt our own earlier copy, else take a suffixed name."""
        try:
            return self.api.create(payload)
        except HammPublishError as error:
            if not error.dataset_only or "name" not in getattr(error, "fields", {}):
                raise
        existing = self.api.show(payload["name"])
        if existing is not None and _origin_of(existing) == self.origin_uri(pkg):
            # an earlier run created it, but its answer never arrived: same dataset, no copy
            return self.update(pkg, links.RvrLink(remote_id=existing["id"]), payload, check_conflict=False)
        renamed = dict(payload, name=mapping.remote_name(pkg["name"], self.rules, pkg["id"][:8]))
        return self.api.create(renamed)

    def update(self, pkg: dict[str, Any], link: links.RvrLink, payload: dict[str, Any],
               check_conflict: bool = True) -> Optional[dict]:
        remote = self.api.show(link.remote_id)
        if remote is None:
            self.conflict(pkg, "ist bei RVR nicht mehr vorhanden", "no longer exists at RVR")
            return None
        if remote.get("owner_org") != self.remote_org()["id"]:
            raise HammPublishDatasetError(
                f"Der RVR-Datensatz zu „{pkg['name']}“ gehört nicht zur Organisation „{self.organization}“; "
                f"er wurde nicht geändert.",
                f"The RVR dataset of '{pkg['name']}' is not in the organisation '{self.organization}'; "
                f"it was not changed.")
        if check_conflict and self.edited_there(link, remote):
            self.conflict(pkg, "wurde seit der letzten Lieferung bei RVR bearbeitet",
                          "was edited at RVR since our last publish")
            return None
        payload = dict(payload, id=remote["id"], name=remote["name"], state="active")
        payload["resources"] = keep_resource_ids(remote.get("resources") or [], payload["resources"])
        return self.api.update(payload)

    def edited_there(self, link: links.RvrLink, remote: dict[str, Any]) -> bool:
        """Someone changed it at RVR after our last write (and --force was not given)."""
        return (not self.force and link.remote_modified is not None and not link.remote_deleted
                and remote.get("metadata_modified") != link.remote_modified)

    def conflict(self, pkg: dict[str, Any], de: str, en: str) -> None:
        """Counted as skipped and named in the report; the caller writes nothing."""
        self.report.skipped += 1
        self.report.notes.append(f"Konflikt: „{pkg['name']}“ {de}; nicht überschrieben (--force überschreibt). / "
                                 f"Conflict: '{pkg['name']}' {en}; left alone (--force overwrites).")

    def delete_gone(self, gone: list[links.RvrLink]) -> None:
        """Delete at RVR what is private or deleted in Hamm, within the shrink guard."""
        published = model.Session.query(links.RvrLink).filter(links.RvrLink.remote_deleted.is_(None),
                                                               links.RvrLink.fingerprint.isnot(None)).count()
        threshold = hamm_config.rvr_publish_shrink_threshold()
        share = shrink_share(len(gone), published, threshold)
        if share is not None:
            self.report.errors.append(
                f"{len(gone)} von {published} bei RVR veröffentlichten Datensätzen ({share} %) sind in Hamm privat "
                f"oder gelöscht; erlaubt sind höchstens {threshold:.0%} je Lauf. Zum Schutz wurde bei RVR nichts "
                f"gelöscht. / {len(gone)} of {published} datasets published at RVR ({share} %) are private or "
                f"deleted in Hamm; at most {threshold:.0%} may go per run. Nothing was deleted at RVR.")
            return
        for link in gone:
            if self.report.dry_run:
                self.report.deleted += 1
                continue
            remote = self.api.show(link.remote_id)
            if remote is not None and remote.get("state") != "deleted":
                if remote.get("owner_org") != self.remote_org()["id"]:
                    self.report.skipped += 1
                    continue
                if self.edited_there(link, remote):
                    self.conflict({"name": link.remote_name or link.remote_id}, "wurde bei RVR bearbeitet und "
                                  "wird nicht gelöscht", "was edited at RVR and is not deleted")
                    continue
                self.api.delete(link.remote_id)
            link.remote_deleted = datetime.datetime.utcnow()
            model.Session.commit()
            self.report.deleted += 1


def _origin_of(remote: dict[str, Any]) -> Optional[str]:
    return next((e.get("value") for e in remote.get("extras") or []
                 if isinstance(e, dict) and e.get("key") == origin.ORIGIN_KEY), None)


def publish(url: Optional[str] = None, organization: Optional[str] = None, dry_run: bool = False,
            full: bool = False, force: bool = False, progress: Progress = lambda done, total: None,
            api: Optional[RvrApi] = None) -> PublishReport:
    """One publish run (``ckan hamm rvr publish``; the scheduler calls this after each sync)."""
    started = time.monotonic()
    url = url or hamm_config.rvr_publish_url()
    organization = organization or hamm_config.rvr_publish_organization()
    report = PublishReport(url=url, organization=organization, dry_run=dry_run, full=full)
    try:
        token = read_token()
        if not token and not dry_run:
            raise HammPublishError(
                f"Kein API-Token: bitte {TOKEN_VARIABLE} setzen oder ckanext.hamm.rvr_publish.token_file angeben.",
                f"No API token: set {TOKEN_VARIABLE} or ckanext.hamm.rvr_publish.token_file.")
        api = api or RvrApi(runtime.client(), url, token)
        Publisher(api, organization, report, force).run(full, progress)
    except HammHarvestError as error:
        model.Session.rollback()
        report.errors.append(str(error))
    except Exception:
        log.exception("RVR publish run failed")  # our own bug: details in the log, never the token
        model.Session.rollback()
        report.errors.append("Unerwarteter Fehler beim Veröffentlichen; Details stehen im Server-Log. / "
                             "Unexpected error while publishing; details are in the server log.")
    if api is not None:
        report.write_calls, report.read_calls = api.write_calls, api.read_calls
    report.seconds = time.monotonic() - started
    return report
