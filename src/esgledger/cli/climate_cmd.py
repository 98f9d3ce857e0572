"""`esgledger climate ...`: the climate risk and opportunity register and its scenario analysis.

``list`` / ``show`` read the register; ``export`` writes it as XLSX and ``import`` reads
such a workbook back, all rows or none (every problem named by file, sheet, row and
column); ``scenario run`` applies carbon-price scenarios to pathway scenarios on the
ledger and keeps the run; ``scenario show`` prints the kept run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from esgledger.cli.common import AuthorOption, DbOption, author_name, console, ledger_session
from esgledger.cli.words import Words
from esgledger.engine.method_names import DEFAULT_METHOD_SET

app = typer.Typer(help="Climate risks and opportunities (IFRS S2).", no_args_is_help=True)
scenario_app = typer.Typer(
    help="Scenario analysis: carbon prices on pathways.", no_args_is_help=True
)
app.add_typer(scenario_app, name="scenario")

TargetsOption = Annotated[
    Path | None,
    typer.Option("--targets", help="Targets YAML items may link (default: $ESGLEDGER_TARGETS)"),
]


def register(app_: typer.Typer) -> None:
    """Add `climate` to the `esgledger` command."""
    app_.add_typer(app, name="climate")


def _targets(given: Path | None) -> Path | None:
    from esgledger.settings import load_settings, targets_file

    configured = given or load_settings().targets
    return targets_file(configured) if configured else None


@app.command("list")
def list_command(db: DbOption = None) -> None:
    """Every current item: category, horizon, likelihood x impact, title."""
    from esgledger.climate_risks.register import read_items
    from esgledger.climate_risks.scales import load_scales

    scales, words = load_scales(), Words()
    table = Table(title=words("cli.climate.title"))
    for column in (
        "key", "category", "horizon", "likelihood", "impact", "score", "item_title", "entities"
    ):  # fmt: skip
        # Chinese has no spaces to wrap at: its long names are folded, not cut ("…")
        table.add_column(
            words(f"cli.climate.{column}"), overflow="fold" if words.chinese else "ellipsis"
        )
    with ledger_session(db) as session:
        for stored in read_items(session):
            item = stored.item
            category, horizon = item.category, item.horizon
            if words.chinese:  # the scales' and the item's own Chinese names
                category = scales.category(category).name(words.lang)
                named = scales.horizons.get(horizon)
                horizon = named.name(words.lang) if named else horizon
            table.add_row(
                item.key, category, horizon, str(item.likelihood), str(item.impact),
                f"{item.score} {scales.grade(item.score).name(words.lang)}",
                escape(item.title(words.lang) if words.chinese else item.title_en),
                ", ".join(item.entities),
            )  # fmt: skip
    console.print(table)


@app.command("export")
def export_command(
    file: Annotated[Path, typer.Argument(help="XLSX to write")], db: DbOption = None
) -> None:
    """Write the register as a workbook to edit and import again."""
    from esgledger.climate_risks.register import read_items
    from esgledger.climate_risks.workbook import write_workbook

    with ledger_session(db) as session:
        items = [stored.item for stored in read_items(session)]
    write_workbook(items, file)
    console.print(Words()("cli.climate.exported", count=len(items), file=file))


@app.command("import")
def import_command(
    file: Annotated[Path, typer.Argument(help="XLSX exported by `esgledger climate export`")],
    targets: TargetsOption = None,
    reason: Annotated[str | None, typer.Option("--reason", help="Why the register changes")] = None,
    db: DbOption = None,
    author: AuthorOption = None,
) -> None:
    """Import a workbook: every row is checked first; any problem and nothing is written."""
    from esgledger.catalog import load_catalog
    from esgledger.climate_risks.context import known_in_ledger
    from esgledger.climate_risks.register import save_items
    from esgledger.climate_risks.workbook import read_workbook

    with ledger_session(db) as session:
        known = known_in_ledger(session, load_catalog(), _targets(targets))
        items = read_workbook(file, known)
        written = save_items(session, items, actor=author_name(author), reason=reason)
    console.print(Words()("cli.climate.imported", file=file, count=len(items), written=written))


@scenario_app.command("run")
def scenario_run(
    pathways: Annotated[
        list[str], typer.Argument(help="Pathway scenario YAMLs or names in $ESGLEDGER_SCENARIOS")
    ],
    prices: Annotated[
        Path | None, typer.Option("--prices", help="Carbon-price scenarios YAML (default: shipped)")
    ] = None,
    factors: Annotated[list[Path] | None, typer.Option("--factors", help="Factor file")] = None,
    methods: Annotated[str, typer.Option("--methods", help="One method set")] = DEFAULT_METHOD_SET,
    db: DbOption = None,
    author: AuthorOption = None,
) -> None:
    """Apply every carbon-price scenario to every pathway and keep the run in the ledger."""
    from esgledger.catalog import load_catalog
    from esgledger.cli.targets_cmd import _scenario_path
    from esgledger.climate_risks.analysis import analyse, record_analysis
    from esgledger.climate_risks.carbon import load_prices
    from esgledger.engine.methodset import get_method_sets
    from esgledger.pathways import ledger_results, load_scenario, pathway_baseline

    scenarios = [load_scenario(_scenario_path(name)) for name in pathways]
    price_file = load_prices(prices)
    method_set = get_method_sets(methods)[0]
    with ledger_session(db) as session:
        results = ledger_results(
            session, load_catalog(), method_set=method_set, factor_files=factors or ()
        )
        analysis = analyse(scenarios, pathway_baseline(results), price_file)
        version = record_analysis(session, analysis, actor=author_name(author))
    console.print(_results_table(analysis))
    console.print(Words()("cli.climate.kept", version=version))


@scenario_app.command("show")
def scenario_show(
    every: Annotated[int, typer.Option("--every", min=1, help="Show every Nth year")] = 5,
    db: DbOption = None,
) -> None:
    """The newest run: carbon and lever cost per pathway, price scenario and year."""
    from esgledger.climate_risks.analysis import latest_analysis
    from esgledger.errors import EsgError

    with ledger_session(db) as session:
        analysis = latest_analysis(session)
    if analysis is None:
        raise EsgError("no scenario analysis has been run yet", code="climate_risks.no_results")
    console.print(_results_table(analysis, every))


def _results_table(analysis, every: int = 5) -> Table:
    words = Words()
    table = Table(title=words("cli.climate.results_title", year=analysis.base_year))
    for column in ("pathway", "price_scenario", "year", "paid", "price", "carbon_cost",
                   "lever_cost", "total"):  # fmt: skip
        justify = "left" if column.startswith("p") and column != "price" else "right"
        table.add_column(words(f"cli.climate.{column}"), justify=justify)
    for row in analysis.rows:
        if (row.year - analysis.base_year) % every:
            continue
        table.add_row(
            row.pathway, row.price_scenario, str(row.year), f"{row.paid_t:,.0f}",
            f"{row.price_cny_per_t:,.1f}", f"{row.carbon_cost_cny:,.0f}",
            f"{row.lever_cost_cny:,.0f}", f"{row.total_cost_cny:,.0f}",
        )  # fmt: skip
    return table
