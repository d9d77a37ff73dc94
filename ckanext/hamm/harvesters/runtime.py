"""Site settings for one harvest job: fetch policy, limits, mapping rules (read via ckanext.hamm.config)."""
from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path
from typing import Optional

from ckanext.hamm import config as hamm_config
from ckanext.hamm.net.client import Deadline, Limits, SafeClient
from ckanext.hamm.net.policy import FetchPolicy

from .mapping import Rules, load_rules


def policy() -> FetchPolicy:
    return FetchPolicy(allowed_hosts=tuple(hamm_config.harvest_allowed_hosts()),
                       allow_http=hamm_config.harvest_allow_http(),
                       allow_loopback=hamm_config.harvest_allow_loopback())


def limits() -> Limits:
    read = float(hamm_config.harvest_read_timeout())
    return Limits(connect_timeout=float(hamm_config.harvest_connect_timeout()), read_timeout=read,
                  request_seconds=read * 2, max_bytes=hamm_config.harvest_max_response_mb() * 1_000_000,
                  retries=hamm_config.harvest_retries())


def client(deadline_seconds: Optional[float] = None) -> SafeClient:
    seconds = hamm_config.harvest_job_deadline() if deadline_seconds is None else deadline_seconds
    return SafeClient(policy(), limits(), Deadline(seconds))


def rules() -> Rules:
    path = hamm_config.harvest_mapping_file()
    return _rules_from(path)


@functools.lru_cache(maxsize=4)
def _rules_cached(path: str, mtime: float) -> Rules:
    if path:
        return load_rules(Path(path).read_text(encoding="utf-8"))
    return load_rules(resources.files("ckanext.hamm.schemas").joinpath("rvr_mapping.yaml").read_text(encoding="utf-8"))


def _rules_from(path: str) -> Rules:
    mtime = Path(path).stat().st_mtime if path else 0.0
    return _rules_cached(path, mtime)
