"""Calculation results kept between requests until the ledger changes.

Every write to the ledger appends an audit entry, so the newest audit id is a cheap and
exact version of everything a calculation reads (values, statuses, organisation). The
cache recomputes only when that version, the method set or the years change.

Values derived from a run (the dashboard's serialised JSON, per caller scope) are kept
beside it under the same version, so a repeated read costs one query (the version) and a
dictionary look-up.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Connection
from sqlalchemy.orm import Session

from esgledger.calc.service import CalculationRun, run_calculation
from esgledger.catalog.registry import Catalog
from esgledger.engine.methodset import get_method_sets
from esgledger.ledger.reads.audit_log import newest_audit_id

T = TypeVar("T")


def ledger_version(session: Session | Connection) -> int:
    """The ledger's version: its newest audit entry (every write appends one)."""
    return newest_audit_id(session)


class ResultsCache:
    """Results per (ledger version, method sets, years); safe to share between threads."""

    def __init__(self, catalog: Catalog, factor_files: Sequence[Path] = ()) -> None:
        self.catalog = catalog
        self.factor_files = tuple(factor_files)
        self._lock = threading.Lock()
        self._runs: dict[tuple, CalculationRun] = {}
        self._derived: dict[tuple, Any] = {}

    def run(
        self,
        session: Session,
        methods: str = "cn-default",
        years: Sequence[int] | None = None,
        *,
        author: str = "web",
        version: int | None = None,
    ) -> CalculationRun:
        """The run for the ledger as it stands (``version``: its :func:`ledger_version`,
        when the caller has just read it)."""
        if version is None:
            version = ledger_version(session)
        key = (version, methods, tuple(years or ()))
        found = self._runs.get(key)  # a hit needs no lock: entries are never mutated
        if found is not None:
            return found
        with self._lock:
            if key not in self._runs:
                run = run_calculation(
                    session,
                    self.catalog,
                    get_method_sets(methods),
                    author=author,
                    years=years,
                    factor_files=self.factor_files,
                    record_snapshot=False,
                )
                self._runs = {k: v for k, v in self._runs.items() if k[0] == key[0]}
                self._runs[key] = run
            return self._runs[key]

    def derived(
        self,
        session: Session,
        methods: str,
        name: Hashable,
        build: Callable[[CalculationRun], T],
    ) -> T:
        """``build(run)`` for the current run of ``methods`` (every open year), kept under
        ``name`` until the ledger changes; ``name`` must say everything ``build`` depends
        on besides the run (e.g. the caller's entities)."""
        version = ledger_version(session)
        found = self.peek(version, methods, name)
        if found is not None:
            return found
        run = self.run(session, methods, version=version)
        with self._lock:  # requests that missed together build it once
            found = self.peek(version, methods, name)
            if found is None:
                found = build(run)
                newest = max((k[0] for k in self._derived), default=version)
                if version > newest:
                    self._derived = {}
                if version >= newest:  # a late answer for an older ledger is not kept
                    self._derived[(version, methods, name)] = found
        return found

    def peek(self, version: int, methods: str, name: Hashable) -> Any | None:
        """What :meth:`derived` keeps for this ledger version, or None: a look-up that
        needs no session, for a caller that has read the version itself."""
        return self._derived.get((version, methods, name))
