"""A process forked from a running CKAN talks to PostgreSQL over its own connections."""
from __future__ import annotations

import multiprocessing

import pytest
import sqlalchemy as sa
from ckan import model

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", "hamm_search"),
    pytest.mark.usefixtures("with_plugins"),
]
BACKEND_PID = sa.text("SELECT pg_backend_pid()")


def _report_backend(queue) -> None:
    queue.put(model.Session.execute(BACKEND_PID).scalar())
    model.Session.remove()


def test_a_forked_child_opens_its_own_connection_and_leaves_the_parents_alone() -> None:
    parent_backend = model.Session.execute(BACKEND_PID).scalar()  # a connection is checked out now
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    child = context.Process(target=_report_backend, args=(queue,))
    child.start()
    child_backend = queue.get(timeout=60)
    child.join(60)
    assert child.exitcode == 0
    assert child_backend != parent_backend
    assert model.Session.execute(BACKEND_PID).scalar() == parent_backend  # still usable, still ours
