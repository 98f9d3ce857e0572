"""Pathways: scenarios projected from the ledger's latest whole year to 2060.

Scenarios are the YAML files of the directory the ``scenarios`` setting names
(``ESGLEDGER_SCENARIOS``; no default: unset, the answer is 404 "no scenario folder
configured"), addressed by the ``name`` each declares;
an ad-hoc scenario is posted as JSON of the same fields. A run gives the group's figures
by year with the p5/p50/p95 band of Scope 1+2, the peak, the gaps to the targets of
``ESGLEDGER_TARGETS`` when one is configured (see the targets router) and the marginal
abatement cost curve (see docs/targets-and-pathways.md).

Runs are kept per (ledger, ledger version, method set, factor files, targets file,
scenario, samples, seed) in a bounded module-level cache, so that a UI asking again is
answered at once; a write to the ledger makes the next request compute afresh.

Access: as for targets, the figures are group totals, so reporters get 403; admins, group
managers and auditors read and run the stored scenarios; only admins and group managers
post ad-hoc scenarios (auditors only read).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi import Path as PathParam
from pydantic import BaseModel
from sqlalchemy.orm import Session

from esgledger.api.deps import SessionDep
from esgledger.api.pagination import Page, PageParams, page_params, paginate
from esgledger.api.routers._state import CatalogDep, SettingsDep
from esgledger.api.routers.targets import (
    GroupPlanner,
    GroupReader,
    MethodSetName,
    RunCache,
    current_targets,
    factor_key,
    file_key,
    ledger_key,
)
from esgledger.api.schemas import error_responses
from esgledger.catalog.registry import Catalog
from esgledger.engine.methodset import DEFAULT_METHOD_SET, get_method_sets
from esgledger.engine.results import Results
from esgledger.errors import EsgError, NotFoundError, ValidationFailed
from esgledger.pathways import (
    BandPoint,
    ComparisonRow,
    Goal,
    PathwayResult,
    Peak,
    Scenario,
    compare,
    load_scenario,
    pathway_baseline,
    run_pathway,
)
from esgledger.settings import scenarios_folder
from esgledger.targets.evaluate import evaluate_targets, goal_fields

MAX_SAMPLES = 5000
MAX_COMPARED = 8
NAME = r"^[a-z0-9][a-z0-9_-]*$"

router = APIRouter(tags=["pathways"], responses=error_responses(400, 404))

_RUNS: RunCache[PathwayResult] = RunCache(64)
_FILES: RunCache[tuple[Scenario | None, str | None]] = RunCache(128)

Samples = Annotated[
    int, Query(ge=0, le=MAX_SAMPLES, description="Monte Carlo samples (0: central case only)")
]
Seed = Annotated[int, Query(ge=0, le=2**32 - 1, description="Seed: the same seed, the same band")]
ScenarioName = Annotated[
    str, PathParam(min_length=1, max_length=80, pattern=NAME, description="The scenario's name")
]


class ScenarioInfo(BaseModel):
    """A scenario file of the directory; ``problem`` says why one cannot be run."""

    name: str
    title: str
    description: str
    file: str
    end_year: int | None
    problem: str | None = None


class ScenarioSummary(BaseModel):
    """One scenario of a comparison: its peak and the band of Scope 1+2, for a chart."""

    name: str
    title: str
    base_year: int
    peak: Peak
    band: list[BandPoint]


class ComparisonPublic(BaseModel):
    """Scenarios side by side: peak, Scope 1+2, energy and intensity in chosen years, gaps
    to targets and abatement; ``values`` of each row are in the order of ``scenarios``."""

    samples: int
    seed: int
    method_set: str
    scenarios: list[ScenarioSummary]
    rows: list[ComparisonRow]


def _read(path: Path) -> tuple[Scenario | None, str | None]:
    """The scenario of a file (read again only when it changed), or why it cannot be read."""

    def load() -> tuple[Scenario | None, str | None]:
        try:
            return load_scenario(path), None
        except EsgError as exc:
            return None, _describe(exc)

    return _FILES.get(file_key(path), load)


def _describe(exc: EsgError) -> str:
    """What is wrong with a file, by line and field (without the server's directories)."""
    if not isinstance(exc, ValidationFailed) or not exc.problems:
        return exc.message
    described = []
    for problem in exc.problems:
        where = problem.location
        place = [f"line {where.line}"] if where.line else []
        place += [f"field {where.column}"] if where.column else []
        what = f"{problem.reason}. {problem.fix}"
        described.append(f"{', '.join(place)}: {what}" if place else what)
    return "; ".join(described)


def _catalogue(settings: Any) -> list[tuple[Path, Scenario | None, str | None]]:
    folder = scenarios_folder(settings.scenarios)
    found = sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")]) if folder.is_dir() else []
    return [(path, *_read(path)) for path in found]


def _scenario(name: str, settings: Any) -> Scenario:
    """The scenario that declares ``name`` (the first such file, in file name order)."""
    listed = _catalogue(settings)
    for path, scenario, problem in listed:
        if scenario is not None and scenario.name == name:
            return scenario
        if scenario is None and path.stem == name:
            raise EsgError.coded("scenario.unreadable", file=path.name, problem=problem)
    names = ", ".join(s.name for _, s, _ in listed if s is not None) or "none"
    raise NotFoundError.coded("scenario.unknown", name=name, names=names)


def _goals(results: Results, catalog: Catalog, settings: Any) -> list[Goal]:
    """Targets a projection can speak to: a threshold, and a scope the ledger has (none
    when no targets file is configured: a projection needs no targets)."""
    if not settings.targets:
        return []
    targets, _ = current_targets(catalog, settings)
    known = set(results.membership.codes) | set(results.entities.grid.entities)
    fields = [goal_fields(report) for report in evaluate_targets(targets, results)]
    return [Goal(**f) for f in fields if f is not None and f["scope"] in known]


def _digest(scenario: Scenario) -> str:
    return hashlib.sha256(scenario.model_dump_json(by_alias=True).encode()).hexdigest()


def run_scenarios(
    request: Request,
    session: Session,
    catalog: Catalog,
    settings: Any,
    scenarios: list[Scenario],
    *,
    methods: str,
    samples: int,
    seed: int,
) -> list[PathwayResult]:
    """Each scenario's run, from the cache or projected from the ledger computed once.

    Raises:
        NotFoundError: ``methods`` is not a method set.
        EsgError: the ledger has no whole year to project from, or a scenario's base
            year is not computed.
        ValidationFailed: a scenario names segments or carriers the base year lacks.
    """
    get_method_sets(methods)  # an unknown name is a 404 before anything is computed
    targets_key = current_targets(catalog, settings)[1] if settings.targets else ("", "")
    head = (*ledger_key(request, session), methods, factor_key(settings), targets_key)
    context: dict[str, Any] = {}

    def project(scenario: Scenario) -> PathwayResult:
        if not context:
            results = request.app.state.results.run(session, methods).results[0]
            context.update(results=results, goals=_goals(results, catalog, settings))
        results, goals = context["results"], context["goals"]
        scopes = list(dict.fromkeys(goal.scope for goal in goals))
        base = pathway_baseline(results, year=scenario.base_year, scopes=scopes)
        ahead = [goal for goal in goals if goal.year > base.year]
        return run_pathway(scenario, base, catalog, goals=ahead, samples=samples, seed=seed)

    return [
        _RUNS.get((*head, _digest(scenario), samples, seed), lambda s=scenario: project(s))
        for scenario in scenarios
    ]


@router.get("/scenarios", response_model=Page[ScenarioInfo], summary="Stored scenarios")
def list_scenarios(
    principal: GroupReader,
    settings: SettingsDep,
    page: Annotated[PageParams, Depends(page_params)],
) -> Page[ScenarioInfo]:
    """The scenario files of the directory (``ESGLEDGER_SCENARIOS``): name, title, file.

    A file that cannot be read is listed with its ``problem`` (file and line).
    """
    items = [
        ScenarioInfo(
            name=scenario.name if scenario else path.stem,
            title=(scenario.title or scenario.name) if scenario else "",
            description=scenario.description if scenario else "",
            file=path.name,
            end_year=scenario.end_year if scenario else None,
            problem=problem,
        )
        for path, scenario, problem in _catalogue(settings)
    ]
    return paginate(items, page)


@router.get("/scenarios/compare", response_model=ComparisonPublic, summary="Compare scenarios")
def compare_scenarios(
    principal: GroupReader,
    request: Request,
    session: SessionDep,
    catalog: CatalogDep,
    settings: SettingsDep,
    names: Annotated[
        str | None,
        Query(
            max_length=400,
            pattern=r"^[a-z0-9][a-z0-9_-]*(,[a-z0-9][a-z0-9_-]*)*$",
            description="Scenario names, comma-separated (default: every readable scenario)",
        ),
    ] = None,
    samples: Samples = 200,
    seed: Seed = 2060,
    methods: MethodSetName = DEFAULT_METHOD_SET,
) -> ComparisonPublic:
    """Several scenarios side by side: peak year and value (with the samples' spread),
    Scope 1+2 with its p5-p95 band, energy and intensity in 2030, 2035, 2040, 2050 and
    2060, the gap to each target and the levers' abatement; plus each scenario's band.
    """
    if names is None:
        chosen = [s for _, s, _ in _catalogue(settings) if s is not None][:MAX_COMPARED]
    else:
        wanted = list(dict.fromkeys(names.split(",")))
        if len(wanted) > MAX_COMPARED:
            raise EsgError.coded("scenario.too_many", most=MAX_COMPARED)
        chosen = [_scenario(name, settings) for name in wanted]
    runs = run_scenarios(
        request, session, catalog, settings, chosen, methods=methods, samples=samples, seed=seed
    )
    return ComparisonPublic(
        samples=samples,
        seed=seed,
        method_set=methods,
        scenarios=[
            ScenarioSummary(
                name=r.scenario, title=r.title, base_year=r.base_year, peak=r.peak, band=r.band
            )
            for r in runs
        ],
        rows=compare(runs) if runs else [],
    )


@router.get("/scenarios/{name}", response_model=Scenario, summary="One stored scenario")
def get_scenario(principal: GroupReader, settings: SettingsDep, name: ScenarioName) -> Scenario:
    """The scenario's fields, as an ad-hoc run takes them (a starting point for a form)."""
    return _scenario(name, settings)


@router.get("/scenarios/{name}/run", response_model=PathwayResult, summary="Run a scenario")
def run_scenario(
    principal: GroupReader,
    request: Request,
    session: SessionDep,
    catalog: CatalogDep,
    settings: SettingsDep,
    name: ScenarioName,
    samples: Samples = 200,
    seed: Seed = 2060,
    methods: MethodSetName = DEFAULT_METHOD_SET,
) -> PathwayResult:
    """Project a stored scenario: ``rows`` by year (energy, Scope 1, Scope 2 location and
    market, Scope 1+2 with p5/p50/p95, intensity), ``band`` for a chart, ``peak`` (year,
    value, spread of the samples' peak years), ``gaps`` to the targets and ``mac`` (the
    marginal abatement cost curve, cheapest lever first, with cumulative abatement).
    """
    scenario = _scenario(name, settings)
    runs = run_scenarios(
        request, session, catalog, settings, [scenario], methods=methods, samples=samples, seed=seed
    )
    return runs[0]


@router.post("/pathways/run", response_model=PathwayResult, summary="Run an ad-hoc scenario")
def run_adhoc(
    principal: GroupPlanner,
    request: Request,
    session: SessionDep,
    catalog: CatalogDep,
    settings: SettingsDep,
    scenario: Scenario,
    samples: Samples = 200,
    seed: Seed = 2060,
    methods: MethodSetName = DEFAULT_METHOD_SET,
) -> PathwayResult:
    """Project a scenario sent as JSON (the fields of a scenario file; nothing is stored).

    Invalid fields are a 422 naming each field (``body.growth.metals.rate_pct``); so are
    segments or carriers the base year does not have, with the names it does have.
    """
    runs = run_scenarios(
        request, session, catalog, settings, [scenario], methods=methods, samples=samples, seed=seed
    )
    return runs[0]
