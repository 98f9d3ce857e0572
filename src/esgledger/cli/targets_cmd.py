"""`esgledger targets status`, `esgledger pathway run` and `esgledger pathway compare`.

The commands compute the ledger's approved values (no snapshot is written), then hand them
to ``esgledger.targets`` and ``esgledger.pathways``; this module only chooses files and
prints. Without ``--file`` / ``--targets`` the targets file is ``ESGLEDGER_TARGETS``, and a
scenario may be named by the name of a file of the ``ESGLEDGER_SCENARIOS`` folder instead of
a path: the same resolver as the server's (:mod:`esgledger.settings`), with no default.
"""

from __future__ import annotations

import json
import re
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
from esgledger.cli.words import Words
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
    words = Words()
    cut = words("cli.targets.cut", through=result.through) if result.through else ""
    title = words("cli.targets.title", method_set=result.method_set, cut=cut)
    console.print(_status_table(result.reports, title, words))
    for report in result.reports:
        if report.restatement and report.restatement.changes:
            base = escape(_base(report, words))
            console.print(f"[bold]{report.target.id}[/]: {base}", highlight=False)
    warning = words("cli.targets.warning")
    for report in result.reports:
        if report.warning:
            text = escape(_warning(report, result.through, words))
            console.print(f"[yellow]{warning}[/] {text}", highlight=False)
    console.print(f"[dim]{escape(words('cli.targets.legend'))}[/]")


def _status_table(reports: list[TargetReport], title: str, words: Words) -> Table:
    from esgledger.targets import Status

    years = sorted({row.year for report in reports for row in report.years})
    table = Table(title=title)
    table.add_column(words("cli.targets.target_scope"), overflow="fold", max_width=34)
    table.add_column(words("cli.targets.goal"), overflow="fold", max_width=22)
    heads = [words("cli.targets.path"), words("cli.targets.rate"), words("cli.targets.status")]
    for head in [*(str(y) for y in years), *heads]:
        table.add_column(head, justify="right", no_wrap=True)
    for report in reports:
        by_year, latest = {row.year: row for row in report.years}, report.latest
        rate = report.required_rate_pct
        if rate is None or (latest is not None and latest.status is Status.MET):
            rate = None
        table.add_row(
            f"{report.target.id}\n[dim]{escape(words.boundary(report.target.scope))}[/]",
            _goal(report, words),
            *(_cell(by_year.get(year)) for year in years),
            _fmt(latest.trajectory) if latest else "/",
            "" if rate is None else f"{rate:+.1f}%",
            _verdict(latest, words),
        )
    return table


def _goal(report: TargetReport, words: Words) -> str:
    """The target in a few words: ``<= 2.956 tCO2e/tREO in 2025``, ``-6% a year to 2030``."""
    from esgledger.targets import TargetType

    target = report.target
    if target.type is TargetType.CHANGE_YOY:
        return words("cli.targets.goal_yoy", value=target.target_value, year=target.target_year)
    if target.type is TargetType.CHANGE_VS_BASE:
        return words(
            "cli.targets.goal_vs_base",
            value=target.target_value,
            base=target.base_year,
            year=target.target_year,
        )
    if target.lower_is_better:
        sign = "cli.targets.sign.lt" if target.strict else "cli.targets.sign.le"
    else:
        sign = "cli.targets.sign.gt" if target.strict else "cli.targets.sign.ge"
    return words(
        "cli.targets.goal_level",
        sign=words(sign),
        value=target.target_value,
        unit=words.unit(report.unit),
        year=target.target_year,
    )


def _warning(report: TargetReport, through: str | None, words: Words) -> str:
    """The run-rate warning: as the targets have it in English, worded again in Chinese."""
    from esgledger.targets import Status, TargetType

    row = report.latest
    if not words.chinese or row is None or through is None:
        return report.warning or ""
    month = int(through.split("-")[1])
    span = (
        words("cli.targets.span_months", year=row.year, month=month)
        if month > 1
        else words("cli.targets.span_january", year=row.year)
    )
    on_path = row.status is Status.AT_RISK and row.trajectory is not None
    against = row.trajectory if on_path else row.threshold
    unit = "%" if report.target.type is TargetType.CHANGE_YOY else words.unit(report.unit)
    return words(
        "cli.targets.warning_line",
        id=report.target.id,
        span=span,
        value=f"{row.value:,.4g}",
        unit=unit,
        year=row.year,
        side=words("cli.targets.above" if report.target.lower_is_better else "cli.targets.below"),
        what=words("cli.targets.trajectory" if on_path else "cli.targets.threshold"),
        against=f"{against:,.4g}",
        status=words(f"cli.targets.{row.status.value}"),
    )


def _base(report: TargetReport, words: Words) -> str:
    restated = report.restatement
    unit = words.unit(report.unit)
    text = words(
        "cli.targets.base", year=restated.base_year, value=_fmt(restated.original), unit=unit
    )
    if restated.applied:
        text += words("cli.targets.restated", value=_fmt(restated.restated))
    return f"{text}{words('list.semicolon')}{restated.note}"


def _cell(row: Any) -> str:
    if row is None or row.value is None:
        return "[dim]/[/]"
    colour = _COLOURS.get(row.status.value, "dim")
    return f"[{colour}]{'~' if row.projected else ''}{_fmt(row.value)}[/]"


def _verdict(row: Any, words: Words) -> str:
    if row is None:
        return f"[dim]{words('cli.targets.no_data')}[/]"
    status = words.known(f"cli.targets.{row.status.value}") or row.status.value.replace("_", " ")
    label = status + (words("cli.targets.run_rate") if row.projected else "")
    return f"[{_COLOURS.get(row.status.value, 'dim')}]{escape(label)}[/]"


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
    words = Words()
    result = _in_language(result, scenario, words)
    console.print(_years_table(result, every, words))
    peak = result.peak
    if peak.in_base_year:
        when = words("cli.pathway.peaked_base")
    else:
        when = words("cli.pathway.peaks_in", year=peak.year)
    when = when if peak.before_end else words("cli.pathway.not_peaked", year=peak.year)
    console.print(
        words(
            "cli.pathway.peak",
            title=escape(result.title),
            when=when,
            value=_fmt(peak.value_t),
            p5=peak.sample_year_p5,
            p95=peak.sample_year_p95,
            p50=peak.sample_year_p50,
        )
    )
    console.print(_gaps_table(result, words))
    console.print(_mac_table(result, words))


def _in_language(result: pathways.PathwayResult, name: str, words: Words) -> pathways.PathwayResult:
    """The result with the scenario's title in the reader's language (title_zh in Chinese)."""
    from esgledger import pathways

    if not words.chinese:
        return result
    title = pathways.load_scenario(_scenario_path(name)).title_zh
    return result.model_copy(update={"title": title}) if title else result


def _table(title: str, heads: list[str], left: int = 1) -> Table:
    table = Table(title=title)
    for position, head in enumerate(heads):
        table.add_column(head, justify="left" if position < left else "right", overflow="fold")
    return table


def _years_table(result: pathways.PathwayResult, every: int, words: Words) -> Table:
    title = words("cli.pathway.title", title=result.title, samples=result.samples, seed=result.seed)
    heads = ["year", "energy", "scope1", "scope2_location", "scope2_market", "total", "band"]
    shown = [words(f"cli.pathway.{head}") for head in heads]
    table = _table(title, [*shown, words.unit("tCO2e/tREO")], left=0)
    actual = words("cli.pathway.actual")
    for row in result.rows:
        if row.year > 2030 and (row.year - 2030) % every and row.year != result.end_year:
            continue
        values = (row.energy_tce, row.scope1_t, row.scope2_location_t, row.scope2_market_t)
        table.add_row(
            f"{row.year}{actual if row.actual else ''}",
            *(_fmt(v) for v in (*values, row.total_t)),
            f"{_fmt(row.total_p5_t)}-{_fmt(row.total_p95_t)}",
            _fmt(row.intensity_t_per_treo),
        )
    return table


def _gaps_table(result: pathways.PathwayResult, words: Words) -> Table:
    title = words("cli.pathway.gaps_title")
    heads = ["target", "scope", "year", "target_value", "projected", "band", "gap", "chance"]
    table = _table(title, [words(f"cli.pathway.{head}") for head in heads], left=2)
    for gap in result.gaps:
        scope = escape(words.boundary(gap.scope))
        head = (gap.goal_id, scope, str(gap.year), _fmt(gap.threshold))
        if gap.central is None:
            table.add_row(*head, "/", "", "", escape(_gap_note(gap, result, words)))
            continue
        colour = "green" if gap.met else "red"
        band = f"{_fmt(gap.p5)}-{_fmt(gap.p95)}"
        chance = f"{gap.probability_met:.0%}"
        table.add_row(*head, f"[{colour}]{_fmt(gap.central)}[/]", band, _fmt(gap.gap), chance)
    return table


def _mac_table(result: pathways.PathwayResult, words: Words) -> Table:
    basis = words.known(f"cli.pathway.basis.{result.scope2_basis}") or result.scope2_basis
    title = words("cli.pathway.mac_title", year=result.mac_year, basis=basis)
    heads = ["lever", "kind", "abatement", "cost", "cost_per_t", "cumulative"]
    table = _table(title, [words(f"cli.pathway.{head}") for head in heads], left=2)
    for row in result.mac:
        cost = "/" if row.cost_per_t is None else f"{row.cost_per_t:,.0f}"
        figures = (row.abatement_t, row.annual_cost_cny)
        kind = words.known(f"cli.lever_kind.{row.kind}") or row.kind
        table.add_row(escape(row.name), kind, *map(_fmt, figures), cost, _fmt(row.cumulative_t))
    if not result.mac:
        table.add_row(words("cli.pathway.no_levers"), "", "", "", "", "")
    if result.scope2_basis == "location" and any(r.id in _BOUGHT_GREEN for r in result.mac):
        table.caption = words("cli.pathway.green_caption")
    return table


NOT_PROJECTED_YEAR = re.compile(
    r"^(?P<year>\d{4}) is not a projected year \((?P<first>\d{4})-(?P<last>\d{4})\)$"
)
NOT_PROJECTED = re.compile(
    r"^(?P<indicator>\S+) for (?P<scope>\S+) is not projected by the pathway model$"
)


def _gap_note(gap: pathways.Gap, result: pathways.PathwayResult, words: Words) -> str:
    """Why a target has no projected value, in the reader's language."""
    note = gap.note or ""
    if not words.chinese:
        return note
    if found := NOT_PROJECTED_YEAR.match(note):
        return words("cli.pathway.not_projected_year", **found.groupdict())
    if found := NOT_PROJECTED.match(note):
        scope = words.boundary(found["scope"])
        return words("cli.pathway.not_projected", indicator=found["indicator"], scope=scope)
    return note


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
    words = Words()
    results = [_in_language(r, name, words) for r, name in zip(results, scenarios, strict=True)]
    title = words("cli.pathway.compare_title", samples=samples, seed=seed)
    heads = ["", words("cli.pathway.unit"), *(escape(r.title) for r in results)]
    table = _table(title, heads, left=2)
    for row in rows:
        label, unit = _comparison_label(row.label, words), words.unit(row.unit)
        table.add_row(label, unit, *(_fmt(v) for v in row.values))
    console.print(table)


# The rows pathways.compare labels in English, read back to be worded in Chinese.
COMPARISON_LABELS = (
    (re.compile(r"^peak year$"), "cli.pathway.peak_year"),
    (re.compile(r"^peak$"), "cli.pathway.peak_value"),
    (re.compile(r"^peak year, p5-p95 of samples$"), "cli.pathway.peak_spread"),
    (re.compile(r"^Scope 1\+2 (?P<year>\d{4})$"), "cli.pathway.total_in"),
    (re.compile(r"^  p5-p95 (?P<year>\d{4})$"), "cli.pathway.band_in"),
    (re.compile(r"^energy (?P<year>\d{4})$"), "cli.pathway.energy_in"),
    (re.compile(r"^intensity (?P<year>\d{4})$"), "cli.pathway.intensity_in"),
    (re.compile(r"^gap (?P<id>\S+) (?P<year>\d{4})$"), "cli.pathway.gap_in"),
    (re.compile(r"^abatement of levers \(MAC year\)$"), "cli.pathway.abated"),
)


def _comparison_label(label: str, words: Words) -> str:
    if not words.chinese:
        return label
    for pattern, code in COMPARISON_LABELS:
        if found := pattern.match(label):
            return words(code, **found.groupdict())
    return label


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
