"""`esgledger demo`: build the demo group's ledger and print what it holds."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from esgledger.calc.service import run_calculation
from esgledger.catalog import load_catalog
from esgledger.cli.calc_cmd import group_table
from esgledger.cli.common import console
from esgledger.demo.build import (
    DEMO_ROOT,
    MANAGER,
    build_demo,
    compare_with_published,
    yearly_group_totals,
)
from esgledger.demo.generate import factor_file, published_totals
from esgledger.engine.methodset import DEFAULT_METHOD_SET, get_method_sets
from esgledger.errors import EsgError
from esgledger.ledger.database import open_engine, unit_of_work

HEADLINE_TOPICS = ("energy", "water", "waste", "training", "safety", "rd", "people", "hr")


def register(app: typer.Typer) -> None:
    app.command(name="demo")(demo)


def demo(
    db: Annotated[
        str, typer.Option("--db", help="Where to build the demo ledger (recreated)")
    ] = "sqlite:///esgledger-demo.db",
    out: Annotated[Path, typer.Option(help="Folder for the demo's input files")] = Path("demo"),
) -> None:
    """Build a fresh demo ledger for a rare-earth group (2022-2024) and print a summary."""
    _remove_sqlite_file(db)
    out.mkdir(parents=True, exist_ok=True)
    engine = open_engine(db)
    catalog = load_catalog()
    result = build_demo(engine, out, catalog)
    for item in result.imports:
        console.print(f"imported {out / item.file}: {item.new_revisions} revision(s)")
    totals = yearly_group_totals(engine, catalog, DEMO_ROOT)
    engine.dispose()
    compared = compare_with_published(totals, published_totals())
    console.print(_headline_table(compared, catalog))
    differing = [row for row in compared if not row[4]]
    console.print(
        f"{len(compared) - len(differing)} of {len(compared)} figures the report publishes are "
        "reproduced exactly by the ledger's group totals"
        + (f"; differing: {', '.join(f'{r[0]} {r[1]}' for r in differing)}" if differing else "")
    )
    console.print(
        f"{result.entities} entities, {result.observations} approved observations; "
        f"2022 and 2023 locked; snapshot {result.snapshot_id} sha256 {result.snapshot_hash}"
    )
    _show_calculation(db, out / factor_file().name)
    _show_accounts(db, out / factor_file().name, result.accounts)


def _show_accounts(db: str, factors: Path, accounts: list[dict[str, Any]]) -> None:
    table = Table(title="Demo accounts for the web application")
    for column in ("user", "password", "role", "entities"):
        table.add_column(column)
    for account in accounts:
        table.add_row(
            account["username"],
            account["password"],
            account["role"],
            ", ".join(account.get("entities", [])) or "all",
        )
    console.print(table)
    console.print(
        f"Start the server: esgledger serve --db {db} --factors {factors}  → http://127.0.0.1:8000/"
    )


def _show_calculation(db: str, factors: Path) -> None:
    """The demo group's energy, Scope 1/2/3 and intensities, as `esgledger calc` prints them."""
    engine = open_engine(db)
    try:
        with unit_of_work(engine) as session:
            run = run_calculation(
                session,
                load_catalog(),
                get_method_sets(DEFAULT_METHOD_SET),
                author=MANAGER,
                factor_files=[factors],
            )
    finally:
        engine.dispose()
    console.print(group_table(run))
    console.print(
        f"Next: esgledger calc --db {db} --factors {factors}\n"
        f"      esgledger explain ghg.scope2_location --entity group --period 2024 --db {db} "
        f"--factors {factors}"
    )


def _headline_table(compared: list, catalog: Any) -> Table:
    table = Table(title="Demo group totals against the reference report (headline figures)")
    table.add_column("indicator", no_wrap=True, overflow="ellipsis", max_width=30)
    table.add_column("unit", no_wrap=True)
    for column in ("2022", "2023", "2024", "equal"):
        table.add_column(column, justify="right", no_wrap=True)
    by_indicator: dict[str, dict[int, tuple]] = {}
    for indicator, year, figure, ledger, equal in compared:
        if indicator.split(".")[0] in HEADLINE_TOPICS:
            by_indicator.setdefault(indicator, {})[year] = (figure, ledger, equal)
    for indicator, years in by_indicator.items():
        cells = [
            f"{years[y][1]:,.{_decimals(years[y][0])}f}" if y in years else "/"
            for y in (2022, 2023, 2024)
        ]
        ok = all(equal for _, _, equal in years.values())
        table.add_row(
            catalog.get(indicator).name("en"),
            catalog.get(indicator).unit,
            *cells,
            "[green]yes[/]" if ok else "[red]no[/]",
        )
    return table


def _decimals(figure: Decimal) -> int:
    return max(0, -figure.as_tuple().exponent)


def _remove_sqlite_file(url: str) -> None:
    """The demo always starts from an empty ledger; only a SQLite file is ever removed."""
    if not url.startswith("sqlite:///"):
        raise EsgError("the demo builds a fresh SQLite ledger; give --db sqlite:///some-file.db")
    path = Path(url.removeprefix("sqlite:///"))
    for candidate in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        candidate.unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
