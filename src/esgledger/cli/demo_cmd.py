"""`esgledger demo`: build the demo group's ledger and print what it holds."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from esgledger.catalog import load_catalog
from esgledger.cli.common import console
from esgledger.demo.build import build_demo, compare_with_published, yearly_group_totals
from esgledger.errors import EsgError
from esgledger.ledger.database import open_engine


def register(app: typer.Typer) -> None:
    app.command(name="demo")(demo)


def demo(
    db: Annotated[
        str, typer.Option("--db", help="Where to build the demo ledger (recreated)")
    ] = "sqlite:///esgledger-demo.db",
    out: Annotated[Path, typer.Option(help="Folder for the demo's input files")] = Path("demo"),
) -> None:
    """Build a fresh demo ledger for a rare-earth group (2022-2024) and print a summary."""
    from esgledger.demo.generate import published_totals

    _remove_sqlite_file(db)
    out.mkdir(parents=True, exist_ok=True)
    engine = open_engine(db)
    catalog = load_catalog()
    result = build_demo(engine, out, catalog)
    for item in result.imports:
        console.print(f"imported {item.file}: {item.new_revisions} revision(s)")
    table = Table(
        "indicator",
        "year",
        "published",
        "ledger",
        "",
        title="Group totals against the reference report",
    )
    for indicator, year, figure, ledger, equal in compare_with_published(
        yearly_group_totals(engine), published_totals()
    ):
        unit = catalog.get(indicator).unit if indicator in catalog else ""
        table.add_row(
            indicator,
            str(year),
            f"{figure:,} {unit}",
            f"{ledger:,.2f}",
            "[green]equal[/]" if equal else "[red]differs[/]",
        )
    engine.dispose()
    console.print(table)
    console.print(
        f"{result.entities} entities, {result.observations} approved observations; "
        f"2022 and 2023 locked; snapshot {result.snapshot_id} sha256 {result.snapshot_hash}"
    )
    console.print(
        f"Explore: esgledger org show --db {db}  |  esgledger observations list --db {db}"
    )


def _remove_sqlite_file(url: str) -> None:
    """The demo always starts from an empty ledger; only a SQLite file is ever removed."""
    if not url.startswith("sqlite:///"):
        raise EsgError("the demo builds a fresh SQLite ledger; give --db sqlite:///some-file.db")
    path = Path(url.removeprefix("sqlite:///"))
    for candidate in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        candidate.unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
