"""Independent array work spread over the cores.

NumPy releases the GIL inside its loops (and the kernel fills fresh pages without it), so
threads evaluating independent indicators of one dependency level overlap well. Small
grids are done in the calling thread: there, starting threads costs more than it saves.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import TypeVar

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
    if cells < _WORTH_IT or WORKERS < 2:
        yield lambda function, items: [function(item) for item in items]
        return
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        yield lambda function, items: list(pool.map(function, items))
