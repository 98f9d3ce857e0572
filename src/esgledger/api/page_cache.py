"""Serialised pages of a list, kept per ledger version, so a repeated read skips the ledger.

Every write to the ledger appends an audit entry in its own transaction, so the newest
audit id (:func:`esgledger.calc.cache.ledger_version`, read on the event loop) names the
state a page was read in: a body kept under that version is the answer until the next
write, after which no request asks for it again. The dashboard keeps its body the same way
(calc/cache.py); a list has many pages and filters, so this keeps the most recently used
ones within a byte budget. Only the event loop's thread touches it: no lock.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable

from fastapi import FastAPI

BUDGET = 32 * 1024 * 1024  # bytes of bodies kept per server process
TOTALS = 4096  # counts of selections kept per server process


class PageCache:
    def __init__(self, budget: int = BUDGET) -> None:
        self.budget = budget
        self.used = 0
        self._bodies: OrderedDict[Hashable, tuple[int, bytes]] = OrderedDict()
        self._totals: dict[Hashable, tuple[int, int]] = {}

    def get(self, version: int, key: Hashable) -> bytes | None:
        """The body kept for ``key`` if it was read at ledger ``version``, else None."""
        found = self._bodies.get(key)
        if found is None or found[0] != version:
            return None
        self._bodies.move_to_end(key)
        return found[1]

    def put(self, version: int, key: Hashable, body: bytes) -> None:
        """Keep ``body`` for ``key`` at ``version``, forgetting the least recently used."""
        self._forget(key)
        if len(body) > self.budget:
            return
        self._bodies[key] = (version, body)
        self.used += len(body)
        while self.used > self.budget:
            self._forget(next(iter(self._bodies)))

    def total(self, version: int, selection: Hashable) -> int | None:
        """How many rows ``selection`` had at ledger ``version``, if counted then.

        Every page of a selection has the same total, and a page missed by the body cache
        (a large list read at many offsets) would otherwise count the whole selection again.
        """
        found = self._totals.get(selection)
        return found[1] if found is not None and found[0] == version else None

    def keep_total(self, version: int, selection: Hashable, total: int) -> None:
        if len(self._totals) >= TOTALS:  # counts of older versions or rare filters
            self._totals.clear()
        self._totals[selection] = (version, total)

    def _forget(self, key: Hashable) -> None:
        found = self._bodies.pop(key, None)
        if found is not None:
            self.used -= len(found[1])


def page_cache(app: FastAPI, name: str) -> PageCache:
    """The application's cache of the list ``name``, made on first use."""
    caches = getattr(app.state, "page_caches", None)
    if caches is None:
        caches = app.state.page_caches = {}
    return caches.setdefault(name, PageCache())
