"""ckanext-harvest's Redis consumers wait for work without a read timeout again.

The gather and fetch consumers block in ``BLPOP`` until a job arrives. redis-py 8
(pinned by CKAN 2.12) gives every connection a 5-second read timeout, so an idle
consumer died with ``TimeoutError`` after five seconds and nothing executed the
next "Neu ernten". Only the consumers' own connections change; publishing and
every other Redis use keep the timeout.
"""
from __future__ import annotations

from typing import Any

from ckanext.harvest import queue

_installed = False


def install() -> None:
    """Wrap ``queue.get_consumer`` (idempotent)."""
    global _installed
    if _installed:
        return
    original = queue.get_consumer

    def get_consumer(queue_name: str, routing_key: str) -> Any:
        consumer = original(queue_name, routing_key)
        if isinstance(consumer, queue.RedisConsumer):
            consumer.redis.connection_pool.connection_kwargs["socket_timeout"] = None
        return consumer

    queue.get_consumer = get_consumer
    _installed = True
