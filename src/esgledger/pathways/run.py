"""One call per scenario: check, project, summarise; and several scenarios side by side."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel

from esgledger.catalog.registry import Catalog
from esgledger.engine.arrays.workers import one_blas_thread
from esgledger.pathways.baseline import Baseline
from esgledger.pathways.loader import check_scenario
from esgledger.pathways.mac import MacRow, mac_curve, mac_year
from esgledger.pathways.project import DEFAULT_SEED, project
from esgledger.pathways.scenario import Scenario
from esgledger.pathways.summary import (
    BandPoint,
    Gap,
    Goal,
    Peak,
    YearRow,
    band_series,
    find_peak,
    gaps,
    year_rows,
)


class PathwayResult(BaseModel):
    """A scenario's projection as plain data, for the CLI, the API and charts."""

    scenario: str
    title: str
    description: str
    base_year: int
    end_year: int
    samples: int
    seed: int
    method_set: str
    scope2_basis: str
    mac_year: int
    rows: list[YearRow]
    peak: Peak
    gaps: list[Gap]
    mac: list[MacRow]
    band: list[BandPoint]


class ComparisonRow(BaseModel):
    """One line of a side-by-side table: a measure of each scenario, in scenario order."""

    label: str
    unit: str
    values: list[int | float | str | None]


def run_pathway(
    scenario: Scenario,
    baseline: Baseline,
    catalog: Catalog,
    *,
    goals: Sequence[Goal] = (),
    samples: int = 1000,
    seed: int = DEFAULT_SEED,
    end_year: int | None = None,
) -> PathwayResult:
    """Check, project with ``samples`` draws under ``seed``, and summarise one scenario.

    The projection's batched matrix products run on one BLAS thread (see
    :func:`~esgledger.engine.arrays.workers.one_blas_thread`): a thread per core for each small
    product spins on cores that other requests and scenarios need, many times slower.

    Raises:
        ValidationFailed: the scenario names segments or carriers the baseline lacks.
    """
    check_scenario(scenario, baseline)
    with one_blas_thread():
        return _summarised(scenario, baseline, catalog, goals, samples, seed, end_year)


def _summarised(
    scenario: Scenario,
    baseline: Baseline,
    catalog: Catalog,
    goals: Sequence[Goal],
    samples: int,
    seed: int,
    end_year: int | None,
) -> PathwayResult:
    projection = project(scenario, baseline, samples=samples, seed=seed, end_year=end_year)
    return PathwayResult(
        scenario=scenario.name,
        title=scenario.title or scenario.name,
        description=scenario.description,
        base_year=baseline.year,
        end_year=int(projection.years[-1]),
        samples=samples,
        seed=seed,
        method_set=baseline.method_set,
        scope2_basis=baseline.scope2_basis,
        mac_year=mac_year(scenario, baseline, int(projection.years[-1])),
        rows=year_rows(projection, catalog),
        peak=find_peak(projection.years, projection.series("total"), samples),
        gaps=gaps(projection, catalog, goals),
        mac=mac_curve(scenario, baseline, end_year=int(projection.years[-1])),
        band=band_series(projection),
    )


def compare(
    results: Sequence[PathwayResult], years: Sequence[int] = (2030, 2035, 2040, 2050, 2060)
) -> list[ComparisonRow]:
    """Peak, emissions and energy in chosen years, and the gap to each goal, per scenario."""
    rows = [
        ComparisonRow(label="peak year", unit="", values=[r.peak.year for r in results]),
        ComparisonRow(label="peak", unit="tCO2e", values=[r.peak.value_t for r in results]),
        ComparisonRow(
            label="peak year, p5-p95 of samples",
            unit="",
            values=[f"{r.peak.sample_year_p5}-{r.peak.sample_year_p95}" for r in results],
        ),
    ]
    for year in years:
        rows.append(_at(results, year, "total_t", f"Scope 1+2 {year}", "tCO2e"))
        rows.append(_band(results, year))
        rows.append(_at(results, year, "energy_tce", f"energy {year}", "tce"))
        rows.append(_at(results, year, "intensity_t_per_treo", f"intensity {year}", "tCO2e/tREO"))
    for gap in results[0].gaps if results else []:
        label = f"gap {gap.goal_id} {gap.year}"
        found = [next((g for g in r.gaps if g.goal_id == gap.goal_id), None) for r in results]
        values = [_gap_value(g) if g else None for g in found]
        rows.append(ComparisonRow(label=label, unit="", values=values))
    abated = [sum(row.abatement_t for row in r.mac if row.abatement_t > 0) for r in results]
    rows.append(ComparisonRow(label="abatement of levers (MAC year)", unit="tCO2e", values=abated))
    return rows


def _row(result: PathwayResult, year: int) -> YearRow | None:
    return next((row for row in result.rows if row.year == year), None)


def _at(
    results: Sequence[PathwayResult], year: int, field: str, label: str, unit: str
) -> ComparisonRow:
    values = []
    for result in results:
        row = _row(result, year)
        values.append(None if row is None else getattr(row, field))
    return ComparisonRow(label=label, unit=unit, values=values)


def _band(results: Sequence[PathwayResult], year: int) -> ComparisonRow:
    values: list[int | float | str | None] = []
    for result in results:
        row = _row(result, year)
        values.append(None if row is None else f"{row.total_p5_t:,.0f}-{row.total_p95_t:,.0f}")
    return ComparisonRow(label=f"  p5-p95 {year}", unit="tCO2e", values=values)


def _gap_value(gap: Gap) -> str | None:
    if gap.central is None:
        return None
    verdict = "met" if gap.met else "short"
    chance = "" if gap.probability_met is None else f", P(met) {gap.probability_met:.0%}"
    return f"{_number(gap.central)} vs {_number(gap.threshold)} ({verdict}{chance})"


def _number(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.4g}"
