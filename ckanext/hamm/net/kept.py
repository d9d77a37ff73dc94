"""Answers of remote hosts kept a while per process, a failure shorter than an answer.

A preview asks a remote host on a visitor's page view: without a memory, a host that
hangs would cost a worker per visitor, and one that answered would be asked again for
every page. ``cachetools.TLRUCache`` keeps each entry until its own time; it is not
thread-safe, hence the lock (the fetch itself runs outside it).
"""
from __future__ import annotations

import threading
import time
from typing import Callable, Generic, TypeVar, Union

import cachetools

from ckanext.hamm.net.errors import HammFetchError

T = TypeVar("T")


class KeptFetches(Generic[T]):
    """``get(key, fetch)``: the kept answer (or raised failure) of ``fetch(key)``, else a new one."""

    def __init__(self, keep_seconds: float, failure_seconds: float, at_most: int) -> None:
        self.keep_seconds = keep_seconds
        self.failure_seconds = failure_seconds
        self._kept: cachetools.TLRUCache[str, Union[T, HammFetchError]] = cachetools.TLRUCache(
            at_most, self._until, timer=time.monotonic)
        self._lock = threading.Lock()

    def _until(self, key: str, value: object, now: float) -> float:
        return now + (self.failure_seconds if isinstance(value, HammFetchError) else self.keep_seconds)

    def get(self, key: str, fetch: Callable[[str], T]) -> T:
        with self._lock:
            kept = self._kept.get(key)
        if isinstance(kept, HammFetchError):
            raise kept
        if kept is not None:
            return kept
        try:
            value = fetch(key)
        except HammFetchError as error:
            self._keep(key, error)
            raise
        self._keep(key, value)
        return value

    def _keep(self, key: str, value: Union[T, HammFetchError]) -> None:
        with self._lock:
            self._kept[key] = value

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()
