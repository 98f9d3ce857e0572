"""Independent array work spread over the cores.

NumPy releases the GIL inside its loops (and the kernel fills fresh pages without it), so
threads evaluating independent indicators of one dependency level overlap well. Small
grids are done in the calling thread: there, starting threads costs more than it saves.

While the threads run, the BLAS library (matrix products of the consolidation) is held to
one thread of its own: OpenBLAS would otherwise start as many threads as there are cores
for each product, and those wait by spinning on the cores the engine's threads need.

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
from typing import TypeVar

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
        yield lambda function, items: [function(item) for item in items]
        return
    pool = _pool(WORKERS)
    with _blas().limit(limits=1, user_api="blas"):
        yield lambda function, items: list(pool.map(function, items))


_NAME = "esgledger-engine"


@cache
def _pool(workers: int) -> ThreadPoolExecutor:
    """The engine's worker threads, started on first use and kept for the process."""
    return ThreadPoolExecutor(workers, thread_name_prefix=_NAME)


@cache
def _blas() -> ThreadpoolController:
    """The thread pools of the loaded native libraries, found once (numpy's BLAS among them)."""
    return ThreadpoolController()
