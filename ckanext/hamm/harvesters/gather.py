"""Gather: list the remote catalogue, keep only what changed, plan withdrawals.

Identity is (harvest source, remote id): what this source created is read once
from its current harvest objects; nothing else in the database is ever matched.
Withdrawals are planned only after a complete, error-free full listing and
refused when more than the configured share vanished at once.
"""
from __future__ import annotations

import dataclasses
import datetime
import json
import logging
from typing import Any, Callable, Iterable, Iterator, Optional

import sqlalchemy as sa
from ckan import model

from ckanext.hamm.harvesters.errors import HammRecordError, HammShrinkError
from ckanext.hamm.model.rvr_link import hamm_mastered_package_ids
from ckanext.hamm.net.client import SafeClient
from ckanext.hamm.net.errors import HammFetchError, HammHarvestError
from ckanext.harvest.harvesters.base import HarvesterBase
from ckanext.harvest.model import HarvestGatherError, HarvestJob, HarvestObject, HarvestObjectExtra

from . import mapping, rdf, remote, runtime, source_config
from .constants import FINGERPRINT, FULL_RUN_GUID, STATUS, UNEXPECTED_GATHER

log = logging.getLogger(__name__)

SINCE_MARGIN = datetime.timedelta(hours=1)
MAX_RECORD_ERRORS = 50  # malformed records named one by one in a job report; the rest are counted


@dataclasses.dataclass
class Known:
    package_id: str
    fingerprint: str
    active: bool


@dataclasses.dataclass
class GatherResult:
    object_ids: list[str] = dataclasses.field(default_factory=list)
    full: bool = False
    seen: int = 0
    changed: int = 0
    unchanged: int = 0
    own_skipped: int = 0
    filtered: int = 0
    withdrawn: int = 0
    errors: list[str] = dataclasses.field(default_factory=list)


def known_datasets(source_id: str) -> dict[str, Known]:
    """guid → the dataset this source created for it (one query)."""
    extra = sa.orm.aliased(HarvestObjectExtra)
    rows = (model.Session.query(HarvestObject.guid, HarvestObject.package_id, extra.value, model.Package.state)
            .join(model.Package, model.Package.id == HarvestObject.package_id)
            .outerjoin(extra, sa.and_(extra.harvest_object_id == HarvestObject.id, extra.key == FINGERPRINT))
            .filter(HarvestObject.harvest_source_id == source_id, HarvestObject.current.is_(True)))
    return {guid: Known(package_id, fp or "", state == "active") for guid, package_id, fp, state in rows}


def taken_over(known: dict[str, Known]) -> set[str]:
    """Remote ids whose local dataset staff took over ("wird jetzt in Hamm gepflegt")."""
    mastered = hamm_mastered_package_ids()
    return {guid for guid, k in known.items() if k.package_id in mastered}


def foreign_ids(candidate_ids: Iterable[str], own_package_ids: set[str]) -> set[str]:
    """Remote ids that are local datasets not created by this source (exported by Hamm, or collisions)."""
    ids = [i for i in candidate_ids if i]
    if not ids:
        return set()
    rows = model.Session.query(model.Package.id).filter(model.Package.id.in_(ids))
    return {row[0] for row in rows} - own_package_ids


def last_full_run(source_id: str) -> Optional[datetime.datetime]:
    row = (model.Session.query(sa.func.max(HarvestObject.gathered))
           .filter(HarvestObject.harvest_source_id == source_id, HarvestObject.guid == FULL_RUN_GUID).scalar())
    return row


def wants_full(job: HarvestJob, config: source_config.SourceConfig, force: bool) -> tuple[bool, Optional[str]]:
    """(full comparison?, since-timestamp for an incremental run)."""
    last_ok = HarvesterBase.last_error_free_job(job)
    if force or config.force_full or last_ok is None:
        return True, None
    last_full = last_full_run(job.source.id)
    if last_full is None or datetime.datetime.utcnow() - last_full > datetime.timedelta(days=config.full_every_days):
        return True, None
    since = (last_ok.gather_started - SINCE_MARGIN).strftime("%Y-%m-%dT%H:%M:%SZ")
    return False, since


def pages(client: SafeClient, base: str, config: source_config.SourceConfig,
          since: Optional[str]) -> Iterator[remote.Page]:
    if config.mode == "dcat":
        return remote.dcat_pages(client, base, config, rdf.parse_page, since)
    return remote.ckan_pages(client, base, config, since)


def new_object(job: HarvestJob, guid: str, content: Optional[str], **extras: str) -> HarvestObject:
    obj = HarvestObject(guid=guid, job=job, harvest_source_id=job.source.id, content=content)
    obj.extras = [HarvestObjectExtra(key=k, value=v) for k, v in extras.items()]
    model.Session.add(obj)
    return obj


def gather_and_record(job: HarvestJob, force_full: bool = False,
                      progress: Callable[[int], None] = lambda n: None) -> GatherResult:
    """The one gather path of the harvest stage and of ``ckan hamm rvr sync``.

    Every error, foreseen or not, becomes one gather error of the job and the job goes
    on to its end; an unforeseen one is logged with its traceback for the operator only.
    """
    try:
        result = gather(job, force_full=force_full, progress=progress)
    except HammHarvestError as error:
        result = GatherResult(errors=[str(error)])
    except Exception:
        log.exception("hamm_rvr gather failed for job %s", job.id)
        model.Session.rollback()
        result = GatherResult(errors=[UNEXPECTED_GATHER])
    for message in result.errors:
        HarvestGatherError.create(message, job)
    return result


def gather(job: HarvestJob, force_full: bool = False, client: Optional[SafeClient] = None,
           progress: Callable[[int], None] = lambda n: None) -> GatherResult:
    """List, compare, plan; errors are collected (not raised) so the caller records each once."""
    config = source_config.parse(job.source.config)
    rules = runtime.rules()
    client = client or runtime.client()
    result = GatherResult()
    result.full, since = wants_full(job, config, force_full)
    known = known_datasets(job.source.id)
    own_package_ids = {k.package_id for k in known.values()}
    hamm_mastered = taken_over(known)  # Hamm publishes these now: never update or withdraw them
    known = {guid: k for guid, k in known.items() if guid not in hamm_mastered}
    own_prefixes = runtime_prefixes()
    seen: set[str] = set()
    created: list[HarvestObject] = []
    malformed: list[HammRecordError] = []
    complete = True
    try:
        for page in pages(client, job.source.url, config, since):
            foreign = foreign_ids([str(d.get("id") or "") for d in page.datasets], own_package_ids)
            for remote_dict in page.datasets:
                rid = mapping.remote_id(remote_dict)
                problems = mapping.shape_problems(remote_dict)
                if problems:
                    malformed.append(HammRecordError(mapping.record_label(remote_dict, len(seen) + 1), problems))
                    if rid is None:
                        complete = False  # we cannot tell which dataset it stands for: withdraw nothing
                    else:
                        seen.add(rid)  # keeps its local dataset from being withdrawn
                    continue
                if rid is None or rid in seen:  # (a record without an id has problems above)
                    continue
                if not mapping.wanted(remote_dict, config.filter_geocoding, config.filter_publishers,
                                      config.filter_keywords):
                    result.filtered += 1  # not Hamm's: as if absent (taken over earlier → withdrawn)
                    continue
                seen.add(rid)
                if len(seen) > config.max_datasets:
                    raise HammFetchError(
                        f"Der Katalog hat mehr als {config.max_datasets} Datensätze (Obergrenze der Quelle).",
                        f"The catalogue has more than {config.max_datasets} datasets (the source's limit).")
                if rid in foreign or rid in hamm_mastered or mapping.originates_here(remote_dict, own_prefixes):
                    result.own_skipped += 1
                    continue
                fp = mapping.fingerprint(remote_dict, rules)
                previous = known.get(rid)
                if previous is not None and (previous.fingerprint == fp or not previous.active):
                    result.unchanged += 1  # an inactive one was deleted by staff: leave it alone
                    continue
                created.append(new_object(job, rid, remote.dumps(remote_dict), **{FINGERPRINT: fp}))
            model.Session.commit()
            progress(len(seen))
    except HammHarvestError as error:
        complete = False
        result.errors.append(str(error))
        model.Session.commit()
    result.errors[:0] = record_errors(malformed)
    result.seen = len(seen)
    result.changed = len(created)
    if result.full and complete:
        try:
            created += plan_withdrawals(job, known, seen, config.shrink_threshold)
            model.Session.add(HarvestObject(guid=FULL_RUN_GUID, job=job, harvest_source_id=job.source.id,
                                            state="COMPLETE", report_status="not modified", current=False))
        except HammShrinkError as error:
            result.errors.append(str(error))
            for obj in created:
                model.Session.delete(obj)
            created = []
        model.Session.commit()
    result.withdrawn = sum(1 for obj in created if obj.guid in known and obj.content is None)
    result.object_ids = [obj.id for obj in created]
    return result


def record_errors(malformed: list[HammRecordError]) -> list[str]:
    """One report line per malformed record, at most MAX_RECORD_ERRORS, then a count of the rest."""
    lines = [str(error) for error in malformed[:MAX_RECORD_ERRORS]]
    rest = len(malformed) - MAX_RECORD_ERRORS
    if rest > 0:
        lines.append(f"Weitere {rest} fehlerhafte Datensätze der Quelle wurden nicht übernommen. / "
                     f"{rest} more malformed records of the source were not imported.")
    return lines


def plan_withdrawals(job: HarvestJob, known: dict[str, Known], seen: set[str], threshold: float) -> list[HarvestObject]:
    active = {guid for guid, k in known.items() if k.active}
    vanished = sorted(active - seen)
    share = shrink_share(len(vanished), len(active), threshold)
    if share is not None:
        raise HammShrinkError(
            f"Im Katalog fehlen {len(vanished)} von {len(active)} bisher übernommenen Datensätzen ({share} %); "
            f"erlaubt sind höchstens {threshold:.0%}. Zum Schutz wurde nichts geändert. Bitte die Quelle prüfen.",
            f"{len(vanished)} of {len(active)} harvested datasets are missing from the catalogue ({share} %); "
            f"at most {threshold:.0%} may vanish at once. Nothing was changed. Please check the source.")
    return [new_object(job, guid, None, **{STATUS: "delete"}) for guid in vanished]


def shrink_share(vanished: int, active: int, threshold: float) -> Optional[int]:
    """The shrink guard (also the publisher's): the share in per cent when more than allowed vanish."""
    if active and vanished / active > threshold:
        return round(100 * vanished / active)
    return None


def runtime_prefixes() -> list[str]:
    from ckanext.hamm import config as hamm_config

    return hamm_config.harvest_own_uri_prefixes()


def remote_page_url(content: Optional[str], source_url: str) -> Optional[str]:
    try:
        data: Any = json.loads(content or "null")
    except ValueError:
        return None
    name = data.get("name") if isinstance(data, dict) else None
    return f"{source_url.rstrip('/')}/dataset/{name}" if isinstance(name, str) and mapping.SLUG.match(name) else None
