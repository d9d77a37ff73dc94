"""ckanext-harvest's consumers wait for work without a read timeout; everything else keeps it."""
from __future__ import annotations

import pytest

from ckanext.hamm.patches import queue_timeout
from ckanext.harvest import queue

pytestmark = pytest.mark.ckan_config("ckan.harvest.mq.type", "redis")


def test_consumers_block_without_a_timeout_and_publishers_keep_it() -> None:
    queue_timeout.install()
    queue_timeout.install()  # idempotent: one wrapper, not two
    consumer = queue.get_consumer(queue.get_gather_queue_name(), queue.get_gather_routing_key())
    assert isinstance(consumer, queue.RedisConsumer)
    assert consumer.redis.connection_pool.make_connection().socket_timeout is None
    assert queue.get_connection_redis().connection_pool.make_connection().socket_timeout is not None
    assert queue.get_consumer.__closure__ is not None
    wrapped = [c.cell_contents for c in queue.get_consumer.__closure__ if callable(c.cell_contents)]
    assert all(getattr(f, "__module__", "") == "ckanext.harvest.queue" for f in wrapped)
