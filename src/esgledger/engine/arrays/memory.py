"""Keeping freed memory in the process, so that the next calculation does not fault it in.

A full recompute of a large group writes a few hundred megabytes of new arrays: one per
indicator for entities and boundaries, each with its estimated share. glibc's ``malloc`` hands
freed blocks of that size back to the system right away (blocks over its mmap threshold
directly, and the heaps of worker threads as soon as they are empty), so the next
recompute gets the same memory back one 4 KiB page fault at a time. On the machines
measured that costs 0.5-1.5 ms per megabyte: as much time as the arithmetic itself
(docs/performance.md, Engine).

:func:`keep_freed_memory` sets three ``mallopt`` parameters for the whole process. The
command line and the web application call it at start; a program that embeds the engine may.
The cost is that the process keeps up to ``TRIM_THRESHOLD`` of freed memory (its peak, in
practice) instead of giving it back between calculations.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import platform

# mallopt parameter numbers, from glibc's malloc.h
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD, _M_ARENA_MAX = -1, -3, -8

MMAP_THRESHOLD = 32 * 2**20  # the largest glibc accepts: any grid array comes from the heap
TRIM_THRESHOLD = 2**30  # free memory at the top of the heap kept for the next calculation
ARENAS = 1  # worker threads share the main heap: an empty thread heap would be unmapped


def keep_freed_memory() -> bool:
    """Ask glibc's malloc to keep freed memory for reuse; whether it was done.

    Nothing changes on other C libraries (macOS, Windows, musl), where it returns False.
    """
    if platform.system() != "Linux" or platform.libc_ver()[0] != "glibc":
        return False
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    settings = (
        (_M_MMAP_THRESHOLD, MMAP_THRESHOLD),
        (_M_TRIM_THRESHOLD, TRIM_THRESHOLD),
        (_M_ARENA_MAX, ARENAS),
    )
    return all(libc.mallopt(parameter, value) == 1 for parameter, value in settings)
