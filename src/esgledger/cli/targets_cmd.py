"""`esgledger targets status`, `esgledger pathway run` and `esgledger pathway compare`.

The commands compute the ledger's approved values (no snapshot is written), then hand them
to ``esgledger.targets`` and ``esgledger.pathways``; this module only chooses files and
prints. Without ``--file`` / ``--targets`` the targets file is ``ESGLEDGER_TARGETS``, and a
scenario may be named by the name of a file of the ``ESGLEDGER_SCENARIOS`` folder instead of
a path: the same resolver as the server's (:mod:`esgledger.settings`), with no default.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

if TYPE_CHECKING:  # loaded by the commands that run, not for --help
    from esgledger import pathways
    from esgledger.engine.results import Results
    from esgledger.targets import TargetReport

from esgledger.cli.common import DbOption, console, ledger_session
from esgledger.engine.method_names import DEFAULT_METHOD_SET
from esgledger.errors import EsgError

_COLOURS = {"met": "green", "on_track": "cyan", "at_risk": "yellow", "missed": "red"}
_BOUGHT_GREEN = ("contracts", "certificates")

targets_app = typer.Typer(help="Targets: status of every commitment by year.", no_args_is_help=True)
pathway_app = typer.Typer(help="Pathways: scenarios projected to 2060.", no_args_is_help=True)

FactorsOption = Annotated[
    list[Path] | None, typer.Option("--factors", help="Factor file (repeatable)")
]
MethodOption = Annotated[str, typer.Option("--methods", help="One method set, e.g. cn-default")]
SamplesOption = Annotated[int, typer.Option("--samples", min=0, help="Monte Carlo samples")]
SeedOption = Annotated[
    int, typer.Option("--seed", help="Seed of the samples (same seed, same band)")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print the result as JSON")]
TargetsOption = Annotated[
    Path | None,
    typer.Option("--targets", help="Targets YAML for the gaps (default: $ESGLEDGER_TARGETS)"),
]


def register(app: typer.Typer) -> None:
    """Add `targets` and `pathway` to the `esgledger` command."""
    app.add_typer(targets_app, name="targets")
    app.add_typer(pathway_app, name="pathway")


@targets_app.command("status")
def status_command(
    file: Annotated[
        Path | None, typer.Option("--file", help="Targets YAML (default: $ESGLEDGER_TARGETS)")
    ] = None,
    through: Annotated[
        str | None, typer.Option("--through", help="Judge a year on its run rate to this month")
    ] = None,
    methods: MethodOption = DEFAULT_METHOD_SET,
    factors: FactorsOption = None,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Show every target's value, trajectory and status by year, and early warnings."""
    from esgledger.catalog import load_catalog
    from esgledger.engine.methodset import get_method_sets
    from esgledger.settings import load_settings, targets_file
    from esgledger.targets import load_targets, targets_status

    catalog = load_catalog()
    with ledger_session(db) as session:  # a missing ledger is said first
        targets = load_targets(targets_file(file or load_settings().targets), catalog)
        result = targets_status(
            session,
            catalog,
            targets,
            method_set=get_method_sets(methods)[0],
            factor_files=factors or (),
            through=through,
        )
    if as_json:
        typer.echo(result.model_dump_json(indent=2))
        return
    cut = f", run rate to {result.through}" if result.through else ""
    console.print(_status_table(result.reports, f"Targets ({result.method_set}{cut})"))
    for report in result.reports:
        if report.restatement and report.restatement.changes:
            console.print(f"[bold]{report.target.id}[/]: {escape(_base(report))}", highlight=False)
    for report in result.reports:
        if report.warning:
            console.print(f"[yellow]warning[/] {escape(report.warning)}", highlight=False)
    console.print(
        "[dim]path: what the straight line from the base year asks for in the latest year; "
        "rate/yr: the yearly change still needed; ~: projected from the year-to-date run rate[/]"
    )


def _status_table(reports: list[TargetReport], title: str) -> Table:
    from esgledger.targets import Status
    from esgledger.targets.evaluate import describe_goal

    years = sorted({row.year for report in reports for row in report.years})
    table = Table(title=title)
    table.add_column("target / scope", overflow="fold", max_width=34)
    table.add_column("goal", overflow="fold", max_width=22)
    for head in [*(str(y) for y in years), "path", "rate/yr", "status"]:
        table.add_column(head, justify="right", no_wrap=True)
    for report in reports:
        by_year, latest = {row.year: row for row in report.years}, report.latest
        rate = report.required_rate_pct
        if rate is None or (latest is not None and latest.status is Status.MET):
            rate = None
        table.add_row(
            f"{report.target.id}\n[dim]{report.target.scope}[/]",
            describe_goal(report),
            *(_cell(by_year.get(year)) for year in years),
            _fmt(latest.trajectory) if latest else "/",
            "" if rate is None else f"{rate:+.1f}%",
            _verdict(latest),
        )
    return table


def _base(report: TargetReport) -> str:
    restated = report.restatement
    text = f"base {restated.base_year} = {_fmt(restated.original)} {report.unit}"
    if restated.applied:
        text += f", restated {_fmt(restated.restated)}"
    return f"{text}; {restated.note}"


def _cell(row: Any) -> str:
    if row is None or row.value is None:
        return "[dim]/[/]"
    colour = _COLOURS.get(row.status.value, "dim")
    return f"[{colour}]{'~' if row.projected else ''}{_fmt(row.value)}[/]"


def _verdict(row: Any) -> str:
    if row is None:
        return "[dim]no data[/]"
    label = row.status.value.replace("_", " ") + (" (run rate)" if row.projected else "")
    return f"[{_COLOURS.get(row.status.value, 'dim')}]{label}[/]"


@pathway_app.command("run")
def run_command(
    scenario: Annotated[str, typer.Argument(help="Scenario YAML, or a demo scenario's name")],
    samples: SamplesOption = 1000,
    seed: SeedOption = 2060,
    every: Annotated[int, typer.Option("--every", min=1, help="Years between rows after 2030")] = 5,
    targets: TargetsOption = None,
    methods: MethodOption = DEFAULT_METHOD_SET,
    factors: FactorsOption = None,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Project a scenario to 2060: table by year with band, peak, gaps to targets, MAC curve."""
    (result,) = _pathways([scenario], samples, seed, targets, methods, factors, db)
    if as_json:
        typer.echo(result.model_dump_json(indent=2))
        return
    console.print(_years_table(result, every))
    peak = result.peak
    when = "already peaked in the base year" if peak.in_base_year else f"peaks in {peak.year}"
    when = when if peak.before_end else f"has not peaked by {peak.year}"
    console.print(
        f"[bold]{escape(result.title)}[/] {when} at {_fmt(peak.value_t)} tCO2e (samples: "
        f"{peak.sample_year_p5}-{peak.sample_year_p95}, median {peak.sample_year_p50})"
    )
    console.print(_gaps_table(result))
    console.print(_mac_table(result))


def _table(title: str, heads: list[str], left: int = 1) -> Table:
    table = Table(title=title)
    for position, head in enumerate(heads):
        table.add_column(head, justify="left" if position < left else "right", overflow="fold")
    return table


def _years_table(result: pathways.PathwayResult, every: int) -> Table:
    title = f"{result.title}: group, {result.samples} samples, seed {result.seed}"
    heads = ["year", "energy tce", "Scope 1", "Scope 2 loc.", "Scope 2 mkt.", "Scope 1+2"]
    table = _table(title, [*heads, "p5-p95", "tCO2e/tREO"], left=0)
    for row in result.rows:
        if row.year > 2030 and (row.year - 2030) % every and row.year != result.end_year:
            continue
        values = (row.energy_tce, row.scope1_t, row.scope2_location_t, row.scope2_market_t)
        table.add_row(
            f"{row.year}{' actual' if row.actual else ''}",
            *(_fmt(v) for v in (*values, row.total_t)),
            f"{_fmt(row.total_p5_t)}-{_fmt(row.total_p95_t)}",
            _fmt(row.intensity_t_per_treo),
        )
    return table


def _gaps_table(result: pathways.PathwayResult) -> Table:
    title = "Gap to targets (central case; P = share of samples meeting it)"
    heads = ["target", "scope", "year", "target value", "projected", "p5-p95", "gap", "P"]
    table = _table(title, heads, left=2)
    for gap in result.gaps:
        head = (gap.goal_id, gap.scope, str(gap.year), _fmt(gap.threshold))
        if gap.central is None:
            table.add_row(*head, "/", "", "", escape(gap.note))
            continue
        colour = "green" if gap.met else "red"
        band = f"{_fmt(gap.p5)}-{_fmt(gap.p95)}"
        chance = f"{gap.probability_met:.0%}"
        table.add_row(*head, f"[{colour}]{_fmt(gap.central)}[/]", band, _fmt(gap.gap), chance)
    return table


def _mac_table(result: pathways.PathwayResult) -> Table:
    title = (
        f"Marginal abatement cost curve, {result.mac_year} ({result.scope2_basis}-based Scope 2)"
    )
    heads = ["lever", "kind", "abatement tCO2e", "cost CNY/yr", "CNY/tCO2e", "cumulative tCO2e"]
    table = _table(title, heads, left=2)
    for row in result.mac:
        cost = "/" if row.cost_per_t is None else f"{row.cost_per_t:,.0f}"
        figures = (row.abatement_t, row.annual_cost_cny)
        table.add_row(escape(row.name), row.kind, *map(_fmt, figures), cost, _fmt(row.cumulative_t))
    if not result.mac:
        table.add_row("(no costed levers in this scenario)", "", "", "", "", "")
    if result.scope2_basis == "location" and any(r.id in _BOUGHT_GREEN for r in result.mac):
        table.caption = "green-power contracts and certificates lower only the market-based Scope 2"
    return table


@pathway_app.command("compare")
def compare_command(
    scenarios: Annotated[list[str], typer.Argument(help="Scenario YAMLs or demo scenario names")],
    samples: SamplesOption = 1000,
    seed: SeedOption = 2060,
    targets: TargetsOption = None,
    methods: MethodOption = DEFAULT_METHOD_SET,
    factors: FactorsOption = None,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Project several scenarios and show them side by side (peak, emissions, gaps)."""
    from esgledger import pathways

    results = _pathways(scenarios, samples, seed, targets, methods, factors, db)
    rows = pathways.compare(results)
    if as_json:
        typer.echo(json.dumps([row.model_dump() for row in rows], indent=2, ensure_ascii=False))
        return
    title = f"Scenarios side by side ({samples} samples, seed {seed})"
    table = _table(title, ["", "unit", *(escape(r.title) for r in results)], left=2)
    for row in rows:
        table.add_row(row.label, row.unit, *(_fmt(v) for v in row.values))
    console.print(table)


def _pathways(
    names, samples, seed, given_targets, methods, factors, db
) -> list[pathways.PathwayResult]:
    """Load the scenarios, compute the ledger once, and project each scenario from it."""
    from esgledger import pathways
    from esgledger.catalog import load_catalog
    from esgledger.engine.methodset import get_method_sets
    from esgledger.settings import load_settings, targets_file
    from esgledger.targets import evaluate_targets, load_targets

    scenarios = [pathways.load_scenario(_scenario_path(name)) for name in names]
    catalog = load_catalog()
    configured = given_targets or load_settings().targets  # none: projections without gaps
    targets = load_targets(targets_file(configured), catalog) if configured else None
    method_set = get_method_sets(methods)[0]
    with ledger_session(db) as session:
        results = pathways.ledger_results(
            session, catalog, method_set=method_set, factor_files=factors or ()
        )
    goals = _goals(evaluate_targets(targets, results), results) if targets else []
    scopes, out = [goal.scope for goal in goals], []
    for scenario in scenarios:
        base = pathways.pathway_baseline(results, year=scenario.base_year, scopes=scopes)
        ahead = [goal for goal in goals if goal.year > base.year]
        run = pathways.run_pathway(scenario, base, catalog, goals=ahead, samples=samples, seed=seed)
        out.append(run)
    return out


def _goals(reports: list[TargetReport], results: Results) -> list[pathways.Goal]:
    """Targets a projection can speak to: a threshold, and a scope the ledger has."""
    from esgledger import pathways
    from esgledger.targets.evaluate import goal_fields

    known = set(results.membership.codes) | set(results.entities.grid.entities)
    fields = [goal_fields(report) for report in reports]
    return [pathways.Goal(**f) for f in fields if f is not None and f["scope"] in known]


def _scenario_path(name: str) -> Path:
    from esgledger.settings import load_settings, scenarios_folder

    if (path := Path(name)).exists():
        return path
    folder = scenarios_folder(load_settings().scenarios)
    named = folder / f"{name.removesuffix('.yaml')}.yaml"
    if named.exists():
        return named
    held = ", ".join(sorted(p.stem for p in folder.glob("*.yaml"))) or "none"
    raise EsgError.coded("scenario.no_file", name=name, folder=folder, held=held)


def _fmt(value: Any) -> str:
    if value is None or isinstance(value, str):
        return "/" if value is None else value
    if isinstance(value, int) and 1900 <= value <= 2100:
        return str(value)
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:,.3f}"
