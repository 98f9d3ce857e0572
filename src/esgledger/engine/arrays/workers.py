"""Independent array work spread over the cores.

NumPy releases the GIL inside its loops (and the kernel fills fresh pages without it), so
threads evaluating independent indicators of one dependency level can overlap. Small
grids are done in the calling thread: there, starting threads costs more than it saves;
so is everything while the machine has no core to spare (:func:`a_core_to_spare`).

While the threads run, the BLAS library (matrix products of the consolidation) is held to
one thread of its own: OpenBLAS would otherwise start as many threads as there are cores
for each product, and those wait by spinning on the cores the engine's threads need.
Other array work (pathways) holds it the same way with :func:`one_blas_thread`: on a
server that answers several requests at once, every request's products would otherwise
each start a thread per core.

The threads are started once and serve every calculation of the process. Work that a
worker thread itself spreads is done in that thread: waiting in a worker for the other
workers could wait for ever.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from functools import cache
from typing import Any, TypeVar

from threadpoolctl import ThreadpoolController

Item = TypeVar("Item")
Result = TypeVar("Result")
Mapper = Callable[[Callable[[Item], Result], Sequence[Item]], list[Result]]

WORKERS = max(1, min(4, os.cpu_count() or 1))
_WORTH_IT = 50_000  # cells per array; below this one thread is faster


@contextmanager
def mapper(cells: int) -> Iterator[Mapper]:
    """A ``map`` for the arrays of ``cells`` cells: results in order, the first error raised.

    An error is that of the earliest item that failed, as in a plain loop.
    """
    if cells < _WORTH_IT or WORKERS < 2 or threading.current_thread().name.startswith(_NAME):
        yield _in_this_thread
        return
    with one_blas_thread():  # in this thread too: OpenBLAS's own threads spin just the same
        if not a_core_to_spare():
            yield _in_this_thread
            return
        pool = _pool(WORKERS)
        yield lambda function, items: list(pool.map(function, items))


def _in_this_thread(function: Callable[[Item], Result], items: Sequence[Item]) -> list[Result]:
    return [function(item) for item in items]


def a_core_to_spare() -> bool:
    """Whether a second thread would find a core idle: the load average leaves at least one
    core besides this thread's.

    Threads only pay where a core is free. On two cores shared with other work (load 4-6,
    2026-12-06, docs/performance.md) a monthly calculation at 1,000 entities took a median
    1.53-1.64 s in one thread against 1.76-1.91 s with the pool, and the pool spent 10 %
    more processor time: the work of one level is partly held by the GIL (Python objects
    of lineage and notices), and each thread waits for a core besides.
    """
    try:
        load = os.getloadavg()[0]
    except OSError:  # no load average on this system: assume the cores are free
        return True
    return load + 1 <= (os.cpu_count() or 1)


_NAME = "esgledger-engine"


@cache
def _pool(workers: int) -> ThreadPoolExecutor:
    """The engine's worker threads, started on first use and kept for the process."""
    return ThreadPoolExecutor(workers, thread_name_prefix=_NAME)


@contextmanager
def one_blas_thread() -> Iterator[None]:
    """Hold the BLAS library to one thread until the last of the overlapping holders leaves."""
    _SHARED_LIMIT.enter()
    try:
        yield
    finally:
        _SHARED_LIMIT.leave()


class _SharedLimit:
    """The BLAS limit is the process's, not a thread's, so holders in several threads share it.

    The first holder sets it and the last one restores the original. Each holder restoring
    the value it found instead would undo the limit while another still works, or leave
    it in force for good when two overlap.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._holders = 0
        self._limiter: Any = None

    def enter(self) -> None:
        with self._lock:
            # Applied by every holder, looked up afresh: a library loaded since the first
            # holder came (scipy's own OpenBLAS) or a limit lifted meanwhile by other code
            # is held to one thread too. The first holder's limiter restores on the way out.
            limiter = ThreadpoolController().limit(limits=1, user_api="blas")
            if self._holders == 0:
                self._limiter = limiter
            self._holders += 1

    def leave(self) -> None:
        with self._lock:
            self._holders -= 1
            if self._holders == 0:
                self._limiter.restore_original_limits()


_SHARED_LIMIT = _SharedLimit()
