"""Calculation results: long rows, the dashboard's figures, and the explanation of a value.

Everything is computed from the approved values as they stand (no snapshot is stored) and
kept until the ledger changes, so repeated reads are cheap. Access: every role reads; a
reporter sees entity-level rows of its own entities only (no group or segment totals),
and asking to explain another entity's value, or a consolidated one, is a 404.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from esgledger.api.deps import CurrentUser, SessionDep, require_entity
from esgledger.api.loopreads import loop_reads
from esgledger.api.pagination import Page, PageParams, page_params, paginate
from esgledger.api.routers._state import ResultsDep
from esgledger.api.schemas import READ_ERRORS, EntityOrBoundaryCode, IndicatorId, PeriodText, Year
from esgledger.auth.service import Principal
from esgledger.calc.cache import ResultsCache
from esgledger.calc.dashboard import dashboard_data
from esgledger.calc.service import CalculationRun
from esgledger.engine.arrays.state import State
from esgledger.engine.explain import computed_periods, explain
from esgledger.engine.results import Results
from esgledger.errors import NotFoundError
from esgledger.ledger.calendar import reporting_years
from esgledger.ledger.database import unit_of_work
from esgledger.periods import Granularity, Period

router = APIRouter(tags=["results"], responses=READ_ERRORS)

Methods = Annotated[
    str,
    Query(
        max_length=200,
        pattern=r"^[a-z0-9][a-z0-9_-]*(,[a-z0-9][a-z0-9_-]*)*$",
        description="Method sets, comma-separated (`esgledger calc --help` lists them)",
    ),
]


class ResultRow(BaseModel):
    """One computed (or input) value of an entity or a boundary."""

    method_set: str
    level: str
    code: str
    period: str
    indicator: str
    value: float
    unit: str
    estimated_share: float | None


class DashboardPublic(BaseModel):
    """The figures the dashboard charts (see ``calc/dashboard.py``)."""

    snapshot_sha256: str
    method_set: str
    years: list[str]
    months: list[str] = []  # the months computed (where anything was reported monthly)
    monthly: list[dict[str, Any]] = []  # code, period (a month), indicator, value, unit
    energy_mix: list[dict[str, Any]]
    emissions: list[dict[str, Any]]
    intensities: list[dict[str, Any]]


def _run(
    cache: ResultsCache, session: Session, methods: str, year: int | None = None
) -> CalculationRun:
    if year is not None and year not in (years := reporting_years(session)):
        listed = ", ".join(map(str, years)) or "none"
        raise NotFoundError.coded("target.year_closed", year=year, listed=listed)
    return cache.run(session, methods, [year] if year else None)


def _rows(
    results: Results,
    principal: Principal,
    code: str | None,
    indicator: str | None,
    periods: Sequence[str] | None = None,
) -> Iterator[ResultRow]:
    """The rows of every year, or of ``periods`` (years, or months computed)."""
    wanted = None if periods is None else set(periods)
    if periods:
        results = results.for_period(periods[0])
    levels: tuple[tuple[str, State], ...] = (("entity", results.entities),)
    if principal.entities is None:
        levels += (("boundary", results.boundaries),)
    for level, state in levels:
        codes = [c for c in state.grid.entities if principal.may_see(c) and code in (None, c)]
        for name in [indicator] if indicator else list(state.values):
            values = state.values.get(name)
            if values is None:
                continue
            shares = state.estimated.get(name)
            unit = state.catalog.get(name).unit
            for c in codes:
                row = state.grid.entity_index(c)
                for col, label in enumerate(state.grid.periods):
                    value = float(values[row, col])
                    if math.isnan(value) or (wanted is not None and label not in wanted):
                        continue
                    share = float(shares[row, col]) if shares is not None else 0.0
                    yield ResultRow(
                        method_set=results.method_set.name,
                        level=level,
                        code=c,
                        period=label,
                        indicator=name,
                        value=value,
                        unit=unit,
                        estimated_share=None if math.isnan(share) else share,
                    )


@router.get("/results", response_model=Page[ResultRow], summary="Computed values")
def get_results(
    principal: CurrentUser,
    session: SessionDep,
    cache: ResultsDep,
    page: Annotated[PageParams, Depends(page_params)],
    methods: Methods = "cn-default",
    year: Annotated[Year | None, Query(description="Default: every open year")] = None,
    code: Annotated[
        EntityOrBoundaryCode | None,
        Query(description="Entity or boundary (group, tag:..., segment:...)"),
    ] = None,
    indicator: Annotated[IndicatorId | None, Query()] = None,
    period: Annotated[
        PeriodText | None,
        Query(description="One year or month, e.g. 2024-03 (instead of year)"),
    ] = None,
    by: Annotated[
        Literal["year", "month"],
        Query(description="month: the rows of every month computed (of ``year``, if given)"),
    ] = "year",
) -> Page[ResultRow]:
    """Long rows (method set, level, code, period, indicator, value, unit, estimated share).

    Values not reported or not computable are left out. Boundaries are ``group``,
    ``tag:...`` and ``segment:...`` consolidations. A month's rows are computed from that
    month's activity; a month is there when anything was reported monthly in its year.
    """
    if code is not None and principal.entities is not None:
        require_entity(principal, code)
    if period is not None:
        year = _year_of(period, year)
    run = _run(cache, session, methods, year)
    periods = _periods_shown(run, period, by)
    rows = [
        row
        for results in run.results
        for row in _rows(results, principal, code, indicator, periods)
    ]
    return paginate(rows, page)


def _periods_shown(run: CalculationRun, period: str | None, by: str) -> list[str] | None:
    """The periods whose rows are listed (None: every year); 404 for any not computed."""
    if by == "month":
        if period is not None:
            raise NotFoundError.coded("results.period_or_month")
        if not run.months:
            raise NotFoundError.coded("results.no_month", computed=computed_periods(run.results[0]))
        return list(run.months)
    if period is not None and period not in (*run.years, *run.months):
        raise NotFoundError.coded(
            "results.period_not_computed", period=period, computed=computed_periods(run.results[0])
        )
    return None if period is None else [period]


def _year_of(period: str, year: int | None) -> int:
    """The year to compute for ``period`` (a year or a month), which ``year`` must match."""
    parsed = Period.parse(period)
    if parsed.granularity not in (Granularity.YEAR, Granularity.MONTH):
        raise NotFoundError.coded("results.year_or_month", period=period)
    if year is not None and year != parsed.year:
        raise NotFoundError.coded("results.period_not_in_year", period=period, year=year)
    return parsed.year


@router.get("/dashboard", response_model=DashboardPublic, summary="Dashboard figures")
async def get_dashboard(
    request: Request, principal: CurrentUser, cache: ResultsDep, methods: Methods = "cn-default"
) -> Response:
    """Energy mix, emissions by scope and entity, intensities, under the first method set.

    A reporter gets its own entities and no group intensities.
    """
    # The body is kept per ledger version and caller scope, so a repeated read is the
    # version query (on the event loop, see api/loopreads.py) and a dictionary look-up;
    # only a miss goes to the thread pool, to compute in a unit of work of its own.
    name = ("dashboard.json", principal.entities)
    body = cache.peek(loop_reads(request.app).ledger_version(), methods, name)
    if body is None:
        body = await run_in_threadpool(
            _computed_dashboard, request.app.state.database, cache, methods, name, principal
        )
    return Response(body, media_type="application/json")


def _computed_dashboard(
    database: Engine, cache: ResultsCache, methods: str, name: tuple, principal: Principal
) -> bytes:
    with unit_of_work(database) as session:
        return cache.derived(
            session, methods, name, lambda run: _dashboard_json(run, principal.entities)
        )


def _dashboard_json(run: CalculationRun, entities: frozenset[str] | None) -> bytes:
    """The response body, validated and serialised once per ledger version and scope:
    the payload is large enough that doing it per request dominated the endpoint's cost."""
    first = run.results[0]
    if entities is not None and not entities & set(first.entities.grid.entities):
        public = DashboardPublic(
            snapshot_sha256=run.snapshot_hash,
            method_set=first.method_set.name,
            years=list(run.years),
            energy_mix=[],
            emissions=[],
            intensities=[],
        )
    else:
        public = DashboardPublic(**dashboard_data(run, entities))
    return public.model_dump_json().encode()


@router.get("/explain", summary="How a value was computed")
def get_explanation(
    principal: CurrentUser,
    session: SessionDep,
    cache: ResultsDep,
    indicator: Annotated[IndicatorId, Query()],
    code: Annotated[
        EntityOrBoundaryCode, Query(description="Entity or boundary (group, tag:..., segment:...)")
    ],
    period: Annotated[
        PeriodText, Query(description="A computed year or month, e.g. 2024 or 2024-03")
    ],
    methods: Methods = "cn-default",
    depth: Annotated[int, Query(ge=0, le=12, description="Levels to expand")] = 8,
) -> dict[str, Any]:
    """Formula, parts, factors with citations and input observations down to file rows.

    Unknown codes and periods that were not computed are 404s.
    """
    if principal.entities is not None:
        require_entity(principal, code)
    results = _run(cache, session, methods).results[0]
    if code not in results.state_of(code).grid.entities:
        raise NotFoundError.coded("results.no_entity", code=code)
    if period not in results.entities.grid.periods and period not in results.month_periods:
        raise NotFoundError.coded(
            "results.period_not_computed", period=period, computed=computed_periods(results)
        )
    return explain(results, indicator, code, period, depth).to_dict()
