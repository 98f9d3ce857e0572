"""`esgledger footprint compute | explain | report`: product carbon footprints of the
product systems (YAML) computed from the ledger's approved values; this module chooses
files and prints."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from esgledger.cli.common import (
    AuthorOption,
    DbOption,
    author_name,
    console,
    ledger_session,
    print_table,
)
from esgledger.cli.words import Words
from esgledger.engine.method_names import DEFAULT_METHOD_SET

if TYPE_CHECKING:
    from esgledger.products.compute import FootprintResult

app = typer.Typer(help="Product carbon footprints (LCA of product systems).", no_args_is_help=True)

SystemArg = Annotated[Path, typer.Argument(help="Product system YAML file")]
YearOption = Annotated[int, typer.Option("--year", help="Reporting year of the ledger data")]
ProductOption = Annotated[
    str | None, typer.Option("--product", help="Product to declare (default: the reference)")
]
AllocationOption = Annotated[
    str | None,
    typer.Option(
        "--allocation", help="mass, economic or substitution (default: the one the file declares)"
    ),
]
FactorsOption = Annotated[
    list[Path] | None, typer.Option("--factors", help="Factor file (repeatable)")
]
MethodOption = Annotated[str, typer.Option("--methods", help="One method set, e.g. cn-default")]
DrawsOption = Annotated[int, typer.Option("--draws", min=0, help="Monte Carlo draws (0: none)")]
SeedOption = Annotated[int, typer.Option("--seed", help="Seed of the draws")]


def register(main: typer.Typer) -> None:
    main.add_typer(app, name="footprint")


def _compute(system_file, year, product, allocation, factors, methods, draws, seed, db):
    from esgledger.catalog import load_catalog
    from esgledger.engine.methodset import get_method_sets
    from esgledger.products.loading import read_system
    from esgledger.products.model import Allocation
    from esgledger.products.service import ledger_footprint

    system = read_system(system_file)
    chosen = Allocation(allocation) if allocation else None
    with ledger_session(db) as session:
        return system, ledger_footprint(
            session,
            system,
            load_catalog(),
            get_method_sets(methods)[0],
            year,
            factor_files=factors or (),
            allocation=chosen,
            draws=draws,
            seed=seed,
            product=product,
        )


@app.command("compute")
def compute_command(
    system_file: SystemArg,
    year: YearOption,
    product: ProductOption = None,
    allocation: AllocationOption = None,
    factors: FactorsOption = None,
    methods: MethodOption = DEFAULT_METHOD_SET,
    draws: DrawsOption = 1000,
    seed: SeedOption = 20240101,
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON")] = False,
    db: DbOption = None,
) -> None:
    """The footprint per kg, its contributions by process and gas, spread and data quality."""
    from esgledger.products.explain import gas_shares, process_shares

    _, result = _compute(system_file, year, product, allocation, factors, methods, draws, seed, db)
    if as_json:
        console.print_json(json.dumps(_as_json(result)))
        return
    footprint, words = result.footprint, Words()
    name = footprint.name_zh if words.chinese and footprint.name_zh else footprint.name_en
    console.print(
        words(
            "cli.footprint.headline",
            product=escape(footprint.product_id),
            name=escape(name),
            year=year,
            value=footprint.fossil.magnitude,
            allocation=words.known(f"cli.allocation.{footprint.allocation}")
            or footprint.allocation,
            primary=footprint.primary_data_share,
        )
    )
    if result.spread is not None:
        s = result.spread
        console.print(
            words(
                "cli.footprint.spread",
                draws=s.draws,
                seed=s.seed,
                p50=s.p50,
                low=s.p2_5,
                high=s.p97_5,
            )
        )
    scores = ", ".join(
        f"{words.known(f'cli.data_quality.{k}') or k} {v:.1f}"
        for k, v in footprint.data_quality.items()
    )
    console.print(words("cli.footprint.quality", scores=scores))
    for code, rows in (("process", process_shares(result)), ("gas", gas_shares(result))):
        title = words(f"cli.footprint.{code}")
        table = Table(title=words("cli.footprint.shares_title", title=title))
        table.add_column(title)
        table.add_column(words("cli.footprint.per_kg"), justify="right")
        table.add_column(words("cli.footprint.share"), justify="right")
        for row in rows:
            table.add_row(escape(row.name), f"{row.kg_co2e:.4f}", f"{row.share:.1%}")
        print_table(table)


@app.command("explain")
def explain_command(
    system_file: SystemArg,
    year: YearOption,
    product: ProductOption = None,
    allocation: AllocationOption = None,
    factors: FactorsOption = None,
    methods: MethodOption = DEFAULT_METHOD_SET,
    db: DbOption = None,
) -> None:
    """Every flow of the footprint with its source, and the ledger rows behind it."""
    from esgledger.products.explain import flow_lines

    _, result = _compute(system_file, year, product, allocation, factors, methods, 0, 0, db)
    words = Words()
    product = result.footprint.product_id
    table = Table(title=words("cli.footprint.flows_title", product=product, year=year))
    for name in ("flow", "kind", "amount", "factor", "kg", "source"):
        table.add_column(words(f"cli.footprint.{name}"))
    for line in flow_lines(result):
        table.add_row(
            escape(line.key),
            line.kind,
            f"{line.amount:.6g}",
            f"{line.factor:.6g}",
            f"{line.kg_co2e:.4f}",
            escape(line.source),
        )
    print_table(table)
    digest = result.lineage.snapshot_hash[:12]
    rows = Table(title=words("cli.footprint.used_title", digest=digest))
    for name in ("entity", "period", "indicator", "revision", "value", "unit", "source"):
        rows.add_column(words(f"cli.footprint.{name}"))
    for o in result.lineage.observations:
        rows.add_row(
            o.entity,
            o.period,
            o.indicator,
            str(o.revision_id),
            f"{o.value:,.6g}",
            words.unit(o.unit, o.indicator),
            escape(o.source),
        )
    print_table(rows)


@app.command("report")
def report_command(
    system_file: SystemArg,
    year: YearOption,
    out: Annotated[Path, typer.Option("--out", help="PDF file to write")],
    lang: Annotated[str, typer.Option("--lang", help="zh or en")] = "zh",
    product: ProductOption = None,
    allocation: AllocationOption = None,
    factors: FactorsOption = None,
    methods: MethodOption = DEFAULT_METHOD_SET,
    draws: DrawsOption = 1000,
    seed: SeedOption = 20240101,
    db: DbOption = None,
) -> None:
    """An EPD-style product report (PDF) of the footprint, in Chinese or English."""
    from esgledger.cli.extras import require_extra
    from esgledger.report.product_report import product_report_pdf

    require_extra("report", "footprint report")
    system, result = _compute(
        system_file, year, product, allocation, factors, methods, draws, seed, db
    )
    out.write_bytes(product_report_pdf(system, result, lang))
    console.print(Words()("cli.footprint.wrote", out=escape(str(out))))


@app.command("suppliers-export")
def suppliers_export_command(
    out: Annotated[Path, typer.Option("--out", help="XLSX file to write")],
    db: DbOption = None,
) -> None:
    """Write the suppliers' footprints (products.supplier_footprints) to an XLSX sheet."""
    from esgledger.products.supplier_sheet import export_supplier_footprints

    with ledger_session(db) as session:
        count = export_supplier_footprints(session, out)
    console.print(Words()("cli.footprint.exported", count=count, out=escape(str(out))))


@app.command("suppliers-import")
def suppliers_import_command(
    file: Annotated[Path, typer.Argument(help="XLSX with a supplier_footprints sheet")],
    author: AuthorOption = None,
    db: DbOption = None,
) -> None:
    """Record suppliers' footprints from an XLSX sheet: every row, or none if one is bad."""
    from esgledger.products.supplier_sheet import import_supplier_footprints

    with ledger_session(db) as session:
        count = import_supplier_footprints(session, file, actor=author_name(author))
    console.print(Words()("cli.footprint.imported", count=count, file=escape(str(file))))


def _as_json(result: FootprintResult) -> dict:
    footprint = result.footprint
    return {
        "product": footprint.product_id,
        "entity": footprint.entity,
        "period": [str(footprint.period_start), str(footprint.period_end)],
        "kg_co2e_per_kg": footprint.fossil.magnitude,
        "allocation": footprint.allocation,
        "primary_data_share": footprint.primary_data_share,
        "data_quality": footprint.data_quality,
        "by_process": dict(result.by_process),
        "by_gas": dict(result.by_gas),
        "gas_mass_kg_per_kg": {
            g.gas: g.mass.magnitude for g in footprint.by_gas if g.mass is not None
        },
        "ipcc_characterization": list(footprint.ipcc_characterization),
        "spread": None if result.spread is None else vars(result.spread),
        "observations": [vars(o) for o in result.lineage.observations],
    }


@app.command("publish")
def publish_command(
    system_file: SystemArg,
    year: YearOption,
    company_name: Annotated[str, typer.Option(help="Legal name of the data owner")],
    domain: Annotated[str, typer.Option(help="Domain the company and product URNs use")],
    factors: FactorsOption = None,
    methods: MethodOption = DEFAULT_METHOD_SET,
    db: DbOption = None,
    author: AuthorOption = None,
) -> None:
    """Compute the system's published products from the ledger and publish them over PACT
    (a new calculation deprecates the footprint it replaces; unchanged ones add nothing)."""
    from esgledger.catalog import load_catalog
    from esgledger.cli.pact_cmd import publish_and_report
    from esgledger.engine.methodset import get_method_sets
    from esgledger.products.loading import read_system
    from esgledger.products.service import ledger_footprints

    system = read_system(system_file)
    with ledger_session(db) as session:
        results = ledger_footprints(
            session, [system], load_catalog(), get_method_sets(methods)[0], year,
            factor_files=factors or (),
        )  # fmt: skip
        footprints = [result.footprint for result in results]
        publish_and_report(session, footprints, company_name, domain, author)
