"""`esgledger calc` and `esgledger explain`: compute a snapshot, and explain one value."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table
from rich.tree import Tree

if TYPE_CHECKING:  # loaded by the commands that run, not for --help
    from esgledger.calc.service import CalculationRun
    from esgledger.calc.tables import Row
    from esgledger.catalog.registry import Catalog
    from esgledger.engine.explain import Explanation

from esgledger.calc import explain_words
from esgledger.cli.common import (
    AuthorOption,
    DbOption,
    author_name,
    console,
    err_console,
    ledger_session,
    print_table,
)
from esgledger.cli.words import Words
from esgledger.engine.method_names import DEFAULT_METHOD_SET
from esgledger.errors import EsgError
from esgledger.periods import Granularity, Period, parse_year_range

MethodsOption = Annotated[
    str,
    typer.Option(
        "--methods",
        help="Method sets, comma-separated (cn-default, ipcc-ar6, coal-consumption, "
        "equity-share, financial-control)",
    ),
]
FactorsOption = Annotated[
    list[Path] | None,
    typer.Option("--factors", help="User factor file overriding defaults (repeatable)"),
]
MethodFileOption = Annotated[
    Path | None, typer.Option("--method-file", help="YAML file with more method sets")
]
SnapshotOption = Annotated[
    int | None, typer.Option("--snapshot", help="Snapshot id (default: the approved values now)")
]
YearsOption = Annotated[
    str | None,
    typer.Option("--years", help="Years to compute, e.g. 2022-2024 (default: the calendar)"),
]


def register(app: typer.Typer) -> None:
    app.command(name="calc")(calc)
    app.command(name="explain")(explain_command)


def _run(db, author, methods, factors, method_file, snapshot, years) -> CalculationRun:
    from esgledger.calc.service import run_calculation
    from esgledger.catalog import load_catalog
    from esgledger.engine.methodset import get_method_sets

    chosen = get_method_sets(methods, method_file)
    if not chosen:
        raise EsgError.coded("command.calc.no_method_set", methods=methods)
    with ledger_session(db) as session:
        run = run_calculation(
            session,
            load_catalog(),
            chosen,
            author=author_name(author),
            snapshot_id=snapshot,
            years=parse_year_range(years) if years else None,
            factor_files=factors or (),
        )
    note = Words()("cli.note")
    for factor_note in run.factor_notes:  # on stderr: --json and exports keep stdout clean
        err_console.print(f"[yellow]{note}[/] {escape(str(factor_note))}", highlight=False)
    return run


def calc(
    methods: MethodsOption = DEFAULT_METHOD_SET,
    factors: FactorsOption = None,
    method_file: MethodFileOption = None,
    snapshot: SnapshotOption = None,
    years: YearsOption = None,
    fmt: Annotated[
        str | None, typer.Option("--format", help="Export every value: csv, json or xlsx")
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(help="Export file; its extension (.csv, .json, .xlsx) is the format"),
    ] = None,
    entity_indicator: Annotated[
        list[str] | None,
        typer.Option("--entity-indicator", help="Indicators of the per-entity table"),
    ] = None,
    notes: Annotated[
        bool,
        typer.Option(
            "--notes",
            help="List every note: values left empty and why, factors changing within a year",
        ),
    ] = False,
    by: Annotated[
        str,
        typer.Option(
            "--by",
            help="Columns of the group table: year, or month (the months computed; an "
            "export then holds the months too)",
        ),
    ] = "year",
    period: Annotated[
        str | None,
        typer.Option(
            "--period",
            "-p",
            help="Show one year or month, e.g. 2024 or 2024-03 (computes its year)",
        ),
    ] = None,
    db: DbOption = None,
    author: AuthorOption = None,
) -> None:
    """Compute every derived indicator of a snapshot and print the group and entity tables."""
    from esgledger.calc.export import write_run
    from esgledger.cli.calc_periods import check_period_choice, shown_periods
    from esgledger.cli.export_target import export_target

    target = export_target(fmt, out)  # a bad --out is refused before the snapshot is taken
    _check_entity_indicators(entity_indicator, exporting=target is not None)
    shown = check_period_choice(by, period, years)
    if shown is not None:
        years = str(shown.year)
    run = _run(db, author, methods, factors, method_file, snapshot, years)
    periods = shown_periods(run, by, shown)
    if target:
        path, chosen_format = target
        rows = write_run(run, path, chosen_format, months=by == "month")
        console.print(Words()("cli.calc.written", rows=rows, path=path))
        return
    print_table(group_table(run, periods))
    latest = periods[-1] if shown is not None else run.years[-1]
    chosen = entity_indicator or [
        "energy.total",
        "ghg.scope1",
        "ghg.scope2_location",
        "ghg.intensity_per_treo",
    ]
    print_table(_entity_table(run, chosen, latest))
    _print_diagnostics(run, notes)
    console.print(Words()("cli.calc.snapshot", id=run.snapshot_id, sha256=run.snapshot_hash))


def _check_entity_indicators(ids: list[str] | None, exporting: bool) -> None:
    """Unknown ids are refused before anything is computed; with an export they would be
    ignored (an export holds every indicator), so they are refused there too."""
    from esgledger.catalog import load_catalog

    if ids and exporting:
        raise EsgError.coded("command.calc.entity_indicator_export")
    catalog = load_catalog()
    for indicator in ids or ():
        catalog.get(indicator)  # raises with the closest ids


def group_table(run: CalculationRun, periods: list[str] | None = None) -> Table:
    """Headline rows of the group: one column per period (default: year) and method set."""
    from esgledger.calc.tables import group_rows

    words = Words()
    periods = periods or list(run.years)
    names = [r.method_set.name for r in run.results]
    table = Table(title=words("cli.calc.group_title", consolidations=_consolidations(run, words)))
    # wraps, but keeps 16 columns: squeezed to nothing on a narrow screen it hid the labels
    table.add_column(words("cli.calc.indicator"), overflow="fold", min_width=16, max_width=48)
    table.add_column(words("cli.calc.unit"), no_wrap=True)
    for period in periods:
        for name in names:
            table.add_column(
                period if len(names) == 1 else f"{period}\n{name}", justify="right", no_wrap=True
            )
    # the estimated share is the first method set's; with several sets the header says so
    whose = "" if len(names) == 1 else f"\n{names[0]}"
    estimated = words("cli.calc.estimated")
    table.add_column(f"{estimated}\n{periods[-1]}{whose}", justify="right", no_wrap=True)
    for row in group_rows(run, periods=periods, lang=words.lang):
        share = f"{row.estimated_share:.1%}" if row.estimated_share else ""
        unit = words.unit(row.unit, row.indicator)
        table.add_row(_row_label(row, words), unit, *(_fmt(cell) for cell in row.cells), share)
    return table


def _row_label(row: Row, words: Words) -> str:
    """A row's indicator name, and the boundary it is for when not its own (by name in
    Chinese: 重点单位, not tag:key-entity)."""
    if not words.chinese or not row.boundary:
        return row.label
    name = row.label.removesuffix(f" ({row.boundary})")
    return f"{name}（{words.boundary(row.boundary)}）"


def _consolidations(run: CalculationRun, words: Words) -> str:
    """Each consolidation approach, with the method sets that use it when they differ."""
    sets: dict[str, list[str]] = {}
    for results in run.results:
        approach = words(f"cli.consolidation.{results.method_set.consolidation.value}")
        sets.setdefault(approach, []).append(results.method_set.name)
    if len(sets) == 1:
        return next(iter(sets))
    return words("list.semicolon").join(
        words("cli.calc.consolidation_sets", approach=approach, names=", ".join(names))
        for approach, names in sets.items()
    )


def _entity_table(run: CalculationRun, indicators: list[str], year: str) -> Table:
    from esgledger.calc.tables import entity_rows

    words = Words()
    catalog = run.results[0].catalog
    method_set = run.results[0].method_set.name
    table = Table(title=words("cli.calc.entity_title", period=year, method_set=method_set))
    table.add_column(words("cli.calc.entity"), no_wrap=True)
    for indicator in indicators:
        unit = words.unit(catalog.get(indicator).unit, indicator)
        table.add_column(escape(f"{indicator}\n[{unit}]"), justify="right", no_wrap=True)
    for row in entity_rows(run, indicators, year):
        table.add_row(row.label, *(_fmt(cell) for cell in row.cells))
    return table


def _print_diagnostics(run: CalculationRun, show_all: bool) -> None:
    words = Words()
    items = [(r.method_set.name, d) for r in run.results for d in r.diagnostics]
    if show_all:
        note = words("cli.note")
        for name, item in items:
            line = escape(item.line(words.lang))
            console.print(f"[yellow]{note}[/] ({name}) {line}", highlight=False)
    elif items:
        indicators = sorted({item.indicator for _, item in items})
        console.print(
            words(
                "cli.calc.notes",
                count=len(items),
                indicators=", ".join(indicators[:6]),
                more=words("cli.calc.more") if len(indicators) > 6 else "",
            ),
            highlight=False,
        )


def _fmt(value: float | None) -> str:
    if value is None:
        return "/"
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:,.3f}"


def explain_command(
    indicator: Annotated[str, typer.Argument(help="Indicator id, e.g. ghg.scope2_location")],
    entity: Annotated[
        str,
        typer.Option(
            "--entity", "-e", help="Entity code or boundary (NRE, tag:key-entity, segment:metals)"
        ),
    ],
    period: Annotated[
        str, typer.Option("--period", "-p", help="Year or month, e.g. 2024 or 2024-03")
    ],
    methods: Annotated[
        str, typer.Option("--methods", help="One method set (explain shows one derivation)")
    ] = DEFAULT_METHOD_SET,
    as_json: Annotated[bool, typer.Option("--json", help="Print the whole tree as JSON")] = False,
    depth: Annotated[int, typer.Option(min=1, help="Levels to expand")] = 4,
    factors: FactorsOption = None,
    method_file: MethodFileOption = None,
    snapshot: SnapshotOption = None,
    db: DbOption = None,
    author: AuthorOption = None,
) -> None:
    """Show how one value was computed: formula, parts, factors and citations, source rows."""
    from esgledger.engine.explain import explain

    _require_one_method_set(methods)
    parsed = Period.parse(period)
    if parsed.granularity not in (Granularity.YEAR, Granularity.MONTH):
        raise EsgError.coded("command.calc.explain_period", period=period)
    run = _run(db, author, methods, factors, method_file, snapshot, str(parsed.year))
    period = str(parsed)
    tree = explain(run.results[0], indicator, entity, period, depth=depth if not as_json else 50)
    if as_json:
        typer.echo(json.dumps(tree.to_dict(), ensure_ascii=False, indent=2))
        return
    words, catalog = Words(), run.results[0].catalog
    root = Tree(_label(tree, words, catalog))
    _grow(root, tree, words, catalog)
    console.print(root)


def _require_one_method_set(methods: str) -> None:
    names = [name.strip() for name in methods.split(",") if name.strip()]
    if len(names) > 1:
        raise EsgError.coded(
            "command.calc.explain_one_set",
            count=len(names),
            methods=methods,
            first=names[0],
            second=names[1],
        )


def _label(item: Explanation, words: Words, catalog: Catalog) -> str:
    # a missing value reads as words: "= / t" was easy to take for a division
    if item.value is None:
        value = words("cli.explain.not_reported")
    else:
        value = f"{item.value:,.6g} {escape(words.unit(item.unit, item.indicator))}"
    weight = ""
    if item.weight not in (None, 1.0):
        weight = words("cli.explain.weight", weight=item.weight)
    estimated = ""
    if item.estimated_share > 0:
        shown = words("cli.explain.estimated", share=item.estimated_share)
        estimated = f" [yellow]{escape(shown)}[/]"
    how = _how(item, words, catalog)
    return (
        f"[bold]{escape(item.indicator)}[/] {escape(item.code)} {item.period} = [cyan]{value}[/]"
        f"{weight}{estimated}  [dim]{escape(how)}[/]"
    )


def _how(item: Explanation, words: Words, catalog: Catalog) -> str:
    """How the value was made, worded as the web pages word it (calc/explain_words.py)."""
    spec = catalog.get(item.indicator) if item.indicator in catalog else None
    return explain_words.how_text(item.how, item.recipe, spec, words.lang)


def _grow(node: Tree, item: Explanation, words: Words, catalog: Catalog) -> None:
    note_word = words("cli.note")
    for note in item.note_texts(words.lang):
        node.add(f"[yellow]{note_word}[/] {escape(note)}")
    part = words("cli.explain.part")
    for each in item.parts:
        label = explain_words.part_label(each["label"], words.lang)
        node.add(f"[green]{part}[/] {escape(label)} = {_fmt(each['value'])}")
    factor_word = words("cli.explain.factor")
    for factor in item.factors:
        note = f" — {explain_words.factor_note(factor.note, words.lang)}" if factor.note else ""
        line = words(
            "cli.explain.factor_line",
            key=factor.key,
            value=factor.value,
            unit=escape(factor.unit),
            dataset=factor.dataset,
            version=factor.version,
            confidence=words.known(f"cli.confidence.{factor.confidence}") or factor.confidence,
        )
        node.add(
            f"[magenta]{factor_word}[/] {line}{escape(note)}\n"
            f"[dim]{escape(factor.cited(words.lang) or '')}[/]"
        )
    observation = words("cli.explain.observation")
    for row in item.observations:
        quality = row["quality"]
        line = words(
            "cli.explain.observation_line",
            id=row["revision_id"],
            period=row["period"],
            value=row["value"],
            quality=(words.known(f"cli.quality.{quality}") or quality)
            if quality
            else words("cli.explain.quality_not_given"),
            source=escape(_source(row["source"] or "", words)),
        )
        node.add(f"[blue]{observation}[/] {line}")
    for child in item.children:
        _grow(node.add(_label(child, words, catalog)), child, words, catalog)
    if item.truncated:
        node.add(f"[dim]{escape(words('cli.explain.more'))}[/]")


# Where a value was entered from, as the ledger words it, read back to be worded again.
SOURCE_ROW = re.compile(r"^(?P<file>.+?)(?:, sheet (?P<sheet>.+))?, row (?P<row>\d+)$")
ENTERED_BY = re.compile(r"^entered by (?P<author>.+)$")


def _source(source: str, words: Words) -> str:
    """Where a value was entered from (file and row, or who typed it) in the reader's language."""
    if not words.chinese:
        return source
    if found := SOURCE_ROW.match(source):
        if found["sheet"]:
            return words("cli.explain.source_sheet_row", **found.groupdict())
        return words("cli.explain.source_row", file=found["file"], row=found["row"])
    if found := ENTERED_BY.match(source):
        return words("cli.explain.entered_by", author=found["author"])
    return source
