"""Python's cyclic garbage collector paused while a calculation runs.

A calculation creates many small Python objects that never form cycles: lineage nodes and
terms, and one notice per flagged cell (480,000 objects for the 240,000 plausibility
notices of the 1,000-entity benchmark, docs/performance.md, Engine). Every 700 new objects
the collector runs, and as they pile up it walks the whole heap again and again: at
1,000 entities x 120 months that took 0.3-0.5 s of a 1.5 s calculation. Paused, those
objects cost only their creation; whatever cyclic garbage a calculation leaves is found
by the first collection after it.

The collector is the process's, so calculations overlapping in several threads share the
pause: the first to come switches it off (if it was on) and the last to leave switches it
back on.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_LOCK = threading.Lock()
_HOLDERS = 0
_WAS_ENABLED = False


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic garbage collection until the last overlapping holder leaves."""
    global _HOLDERS, _WAS_ENABLED
    with _LOCK:
        if _HOLDERS == 0:
            _WAS_ENABLED = gc.isenabled()
            gc.disable()
        _HOLDERS += 1
    try:
        yield
    finally:
        with _LOCK:
            _HOLDERS -= 1
            if _HOLDERS == 0 and _WAS_ENABLED:
                gc.enable()
