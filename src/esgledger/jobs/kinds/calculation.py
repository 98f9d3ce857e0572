"""The engine over many years as one job: one snapshot of the approved values, then each
year computed in turn, so progress is shown year by year and a cancel stops between years."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from esgledger.jobs.context import JobContext
from esgledger.jobs.kinds import JobKind


class CalculationParams(BaseModel):
    model_config = ConfigDict(extra="forbid")
    years: list[int] = Field(default_factory=list)  # empty: every year of the calendar
    method_sets: str = ""  # comma-separated; empty: the default method set


def run(context: JobContext, params: CalculationParams) -> dict[str, Any]:
    from esgledger.calc.service import compute, read_inputs
    from esgledger.catalog import load_catalog
    from esgledger.engine.method_names import DEFAULT_METHOD_SET
    from esgledger.engine.methodset import get_method_sets
    from esgledger.ledger.database import unit_of_work

    context.progress(0, 1, "reading the approved values")
    catalog = load_catalog()
    method_sets = get_method_sets(params.method_sets or DEFAULT_METHOD_SET)
    with unit_of_work(context.database()) as session:
        inputs = read_inputs(session, author=context.requested_by)
    years = params.years or list(inputs.calendar)
    factor_files = [Path(f) for f in context.settings.factor_files]
    per_year: dict[str, int] = {}
    for done, year in enumerate(years, start=1):
        context.progress(done, len(years) + 1, f"computing {year}")
        run_ = compute(inputs, catalog, method_sets, years=[year], factor_files=factor_files)
        per_year[str(year)] = sum(r.frame(level="boundary").height for r in run_.results)
    context.progress(len(years) + 1, len(years) + 1, "done")
    return {
        "snapshot_id": inputs.snapshot_id,
        "snapshot_hash": inputs.snapshot_hash,
        "group_figures_per_year": per_year,
    }


KIND = JobKind("calculation", CalculationParams, run, reviewers_only=True)
