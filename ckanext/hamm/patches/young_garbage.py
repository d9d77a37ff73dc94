"""Free a bounded piece of work's garbage while it is still young.

A catalogue page builds an rdflib graph of ~100,000 container objects that
die together once the page is written; the graph keeps itself alive in a
reference cycle (Graph and its NamespaceManager), so only the cyclic collector
frees it. With automatic collection running, the young graph survives the
collections made while it is built, is promoted to the oldest generation and
costs a full collection later (70–190 ms each, measured on the 2-core machine,
charged to whichever request triggers it). Pausing automatic collection for the
work and collecting the youngest generation right after frees the page for the
price of one young collection.
"""
from __future__ import annotations

import contextlib
import gc
import threading
from typing import Iterator

_lock = threading.RLock()  # re-entered when a finaliser run by the collection uses a pause itself
_depth = 0
_enable_after = False


@contextlib.contextmanager
def collected_when_done() -> Iterator[None]:
    """Run the block without automatic collection, then collect what it left behind.

    Nested and concurrent blocks share one pause; the collector is switched back on
    (if it was on) when the last one ends, also when a block raises.
    """
    global _depth, _enable_after
    with _lock:
        if _depth == 0:
            _enable_after = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            if _depth == 1:  # still counted while collecting, so a nested pause stays nested
                gc.collect(0)
                if _enable_after:
                    gc.enable()
            _depth -= 1
