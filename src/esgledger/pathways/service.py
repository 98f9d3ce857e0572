"""Pathways against the ledger: the base year comes from the engine's results.

The approved values are computed without recording a snapshot (a projection must not
write), under the method set the caller names; the latest year with a group energy
figure is the base year unless the scenario or the caller says otherwise.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy.orm import Session

from esgledger.calc.service import run_calculation
from esgledger.catalog.registry import Catalog
from esgledger.engine.methodset import MethodSet
from esgledger.engine.results import Results
from esgledger.errors import EsgError
from esgledger.pathways.baseline import Baseline, baseline_from_results


def ledger_results(
    session: Session, catalog: Catalog, *, method_set: MethodSet, factor_files: Sequence[Path] = ()
) -> Results:
    """Yearly results of every year of the ledger's calendar, without a snapshot."""
    run = run_calculation(
        session,
        catalog,
        [method_set],
        author="pathways",
        factor_files=factor_files,
        record_snapshot=False,
    )
    return run.results[0]


def latest_actual_year(results: Results) -> int:
    """The latest whole year with a group energy figure: the projection's starting point.

    A year whose monthly data stop before December is not whole (a half year would look
    like a collapse in emissions), so the year before it is taken.

    Raises:
        EsgError: no year has one.
    """
    years = [
        int(period)
        for period in results.boundaries.grid.periods
        if not math.isnan(results.value("energy.total", "group", period))
        and last_month(results, int(period)) in (None, 12)
    ]
    if not years:
        raise EsgError.coded("scenario.no_base")
    return max(years)


def last_month(results: Results, year: int) -> int | None:
    """The last month of ``year`` with monthly observations (None: only yearly ones)."""
    periods = results.cube.observations["period"]
    months = [p for p in periods.unique().to_list() if p.startswith(f"{year}-") and len(p) == 7]
    return max(int(p[5:]) for p in months) if months else None


def pathway_baseline(
    results: Results, *, year: int | None = None, scopes: Sequence[str] = ()
) -> Baseline:
    """The baseline of ``year`` (default the latest actual year) with ``scopes`` reportable.

    Raises:
        EsgError: ``year`` is not a computed year.
    """
    chosen = year or latest_actual_year(results)
    if str(chosen) not in results.boundaries.grid.periods:
        held = ", ".join(results.boundaries.grid.periods)
        raise EsgError.coded("scenario.base_not_computed", year=chosen, held=held)
    return baseline_from_results(results, chosen, scopes)
