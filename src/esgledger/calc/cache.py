"""Calculation results kept between requests until the ledger changes.

Every write to the ledger appends an audit entry, so the newest audit id is a cheap and
exact version of everything a calculation reads (values, statuses, organisation). The
cache recomputes only when that version, the method set or the years change.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from esgledger.calc.service import CalculationRun, run_calculation
from esgledger.engine.methodset import get_method_sets
from esgledger.ledger.schema import AuditEntry


def ledger_version(session: Session) -> int:
    return session.scalar(select(func.max(AuditEntry.id))) or 0


class ResultsCache:
    """Results per (ledger version, method sets, years); safe to share between threads."""

    def __init__(self, catalog: Any, factor_files: Sequence[Path] = ()) -> None:
        self.catalog = catalog
        self.factor_files = tuple(factor_files)
        self._lock = threading.Lock()
        self._runs: dict[tuple, CalculationRun] = {}

    def run(
        self,
        session: Session,
        methods: str = "cn-default",
        years: Sequence[int] | None = None,
        *,
        author: str = "web",
    ) -> CalculationRun:
        key = (ledger_version(session), methods, tuple(years or ()))
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
