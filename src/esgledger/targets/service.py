"""Targets against the ledger: compute the approved values, then judge every target.

This is the entry point for the CLI and the API. It never writes: the approved values are
read once, without recording a snapshot, as a dashboard view would, and computed through
the calculation service (so the user's factor files are checked as for `esgledger calc`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import polars as pl
from pydantic import BaseModel
from sqlalchemy.orm import Session

from esgledger.calc.service import compute, read_inputs
from esgledger.catalog.registry import Catalog
from esgledger.engine.methodset import MethodSet
from esgledger.errors import EsgError, Phrase
from esgledger.periods import Granularity, Period, PeriodError
from esgledger.targets.evaluate import TargetReport, evaluate_targets
from esgledger.targets.model import TargetFile


class TargetsStatus(BaseModel):
    """The status of every target, and what it was computed from."""

    method_set: str
    snapshot_hash: str
    years: list[int]
    through: str | None
    reports: list[TargetReport]


def targets_status(
    session: Session,
    catalog: Catalog,
    targets: TargetFile,
    *,
    method_set: MethodSet,
    factor_files: Sequence[Path] = (),
    through: str | None = None,
) -> TargetsStatus:
    """Judge ``targets`` on the ledger's approved values.

    Args:
        through: a month (``2024-09``) to judge that year on its run rate so far. Without
            it, the latest year is judged on its run rate when its monthly data stop
            before December, and on its actual value otherwise.

    Raises:
        EsgError: ``through`` is not a month.
    """
    inputs = read_inputs(session, author="targets", record_snapshot=False)
    cut = _month(through) if through else incomplete_year(inputs.observations)
    run = compute(
        inputs, catalog, [method_set], factor_files=factor_files, months_of=cut[0] if cut else None
    )
    monthly = run.monthly[0] if run.monthly else None
    reports = evaluate_targets(targets, run.results[0], monthly=monthly, through=cut)
    return TargetsStatus(
        method_set=method_set.name,
        snapshot_hash=run.snapshot_hash,
        years=[int(y) for y in run.years],
        through=f"{cut[0]}-{cut[1]:02d}" if cut else None,
        reports=reports,
    )


def incomplete_year(observations: pl.DataFrame) -> tuple[int, int] | None:
    """(year, last month) of the latest year whose monthly data stop before December."""
    months = observations.filter(pl.col("period").str.contains(r"^\d{4}-\d{2}$"))["period"]
    if months.is_empty():
        return None
    latest = max(months.to_list())
    year, month = int(latest[:4]), int(latest[5:7])
    return None if month == 12 else (year, month)


def _month(text: str) -> tuple[int, int]:
    try:
        period = Period.parse(text)
    except PeriodError as exc:
        detail = Phrase.of(exc.code, **exc.params) if exc.code else exc.message
        raise EsgError.coded(
            "target.through", option="--through", text=text, detail=detail
        ) from None
    if period.granularity is not Granularity.MONTH:
        raise EsgError.coded("target.through_month", option="--through", text=text, period=period)
    return period.start.year, period.start.month
