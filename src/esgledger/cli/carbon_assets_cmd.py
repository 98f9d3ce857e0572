"""`esgledger carbon-assets ...`: the carbon assets register from the command line.

Import movements and verified emissions from CSV (all rows or none, each problem named by
file, row and column), show holdings and the compliance gap per year, and write retired
certificates and green power to market-based Scope 2 as draft observations. The command
acts with full access as its author (``--author``, the ``user`` setting).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from esgledger.cli.common import DbOption, author_name, console, ledger_session, print_table
from esgledger.cli.words import Words

app = typer.Typer(help="Carbon assets: allowances, credits, certificates.", no_args_is_help=True)
AuthorOption = Annotated[str | None, typer.Option("--author", help="Who makes the change")]
FileArgument = Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="CSV file")]


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="carbon-assets")


def _principal(author: str | None):
    from esgledger.auth.roles import Role
    from esgledger.auth.service import Principal

    return Principal(0, author_name(author), Role.ADMIN, None)


@app.command("import")
def import_command(file: FileArgument, author: AuthorOption = None, db: DbOption = None) -> None:
    """Record the movements of a CSV file (ref, entity, instrument, kind, quantity, on, ...)."""
    from esgledger.carbon_assets.files import read_movements
    from esgledger.carbon_assets.register import save_movements
    from esgledger.ledger.orgstore import load_org

    movements = read_movements(file)
    with ledger_session(db) as session:
        codes = [entity.code for entity in load_org(session)]
        written = save_movements(session, _principal(author), movements, codes)
    console.print(Words()("cli.carbon_assets.movements", count=written))


@app.command("verified")
def verified_command(file: FileArgument, author: AuthorOption = None, db: DbOption = None) -> None:
    """Record verified emissions per compliance year (entity, year, verified_tco2, verifier)."""
    from esgledger.carbon_assets.files import read_verified
    from esgledger.carbon_assets.register import save_verified
    from esgledger.ledger.orgstore import load_org

    figures = read_verified(file)
    with ledger_session(db) as session:
        codes = [entity.code for entity in load_org(session)]
        written = save_verified(session, _principal(author), figures, codes)
    console.print(Words()("cli.carbon_assets.verified", count=written))


@app.command("show")
def show_command(db: DbOption = None) -> None:
    """Holdings per site and instrument, and the compliance gap per year."""
    from esgledger.carbon_assets.compliance import compliance_gap, holdings
    from esgledger.carbon_assets.register import list_movements, list_verified

    with ledger_session(db) as session:
        movements = list_movements(session, _principal("reader"))
        verified = list_verified(session, _principal("reader"))
    words = Words()
    heads = ("site", "instrument", "inflow", "outflow", "held")
    held = Table(
        *(words(f"cli.carbon_assets.{head}") for head in heads),
        title=words("cli.carbon_assets.holdings"),
    )
    for row in holdings(movements).iter_rows(named=True):
        held.add_row(row["entity"], row["instrument"],
                     *(f"{row[c]:,.2f}" for c in ("inflow", "outflow", "held")))  # fmt: skip
    print_table(held)
    columns = ("due", "cea_surrendered", "ccer_counted", "gap", "cea_held", "to_buy")
    gap = Table(
        *(words(f"cli.carbon_assets.{head}") for head in ("year", "site", *columns)),
        title=words("cli.carbon_assets.gap_title"),
    )
    for row in compliance_gap(movements, verified).iter_rows(named=True):
        gap.add_row(str(row["year"]), row["entity"], *(f"{row[c]:,.2f}" for c in columns))
    print_table(gap)


@app.command("feed-scope2")
def feed_command(
    year: Annotated[int | None, typer.Option(help="Only this year's retirements")] = None,
    author: AuthorOption = None,
    db: DbOption = None,
) -> None:
    """Write retired green electricity per site and month as draft observations."""
    from esgledger.carbon_assets.scope2_feed import feed_scope2
    from esgledger.catalog import load_catalog

    with ledger_session(db) as session:
        months = feed_scope2(session, load_catalog(), actor=author_name(author), year=year)
    words = Words()
    for month in months:
        console.print(words("cli.carbon_assets.month", entity=month.entity, period=month.period,
                            mwh=month.mwh, retirements=", ".join(month.retirements)))  # fmt: skip
    console.print(words("cli.carbon_assets.fed", count=len(months)))
