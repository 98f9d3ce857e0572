"""`esgledger permits ...`: the environmental permits register from the command line.

Import and export the register as XLSX (results also as CSV; an import writes every row or
none and names each problem by file, sheet, row and column), list permits expiring soon,
the exceedances and their steps, the year's compliance rates, and the GB 26451 limits.
The command acts with full access as its author (``--author``, the ``user`` setting).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from esgledger.cli.common import DbOption, author_name, console, ledger_session, print_table
from esgledger.cli.words import Words

app = typer.Typer(help="Environmental permits, discharges and compliance.", no_args_is_help=True)
AuthorOption = Annotated[str | None, typer.Option("--author", help="Who makes the change")]


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="permits")


def _principal(author: str | None):
    from esgledger.auth.roles import Role
    from esgledger.auth.service import Principal

    return Principal(0, author_name(author), Role.ADMIN, None)


@app.command("import")
def import_command(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="XLSX or CSV file")],
    author: AuthorOption = None,
    reason: Annotated[
        str | None, typer.Option(help="Why permits or limits changed (a renewal, a new limit)")
    ] = None,
    db: DbOption = None,
) -> None:
    """Import permits, outlet limits and monitoring results (all rows or none)."""
    from esgledger.ledger.orgstore import load_org
    from esgledger.permits.workbook import import_file

    with ledger_session(db) as session:
        codes = [entity.code for entity in load_org(session)]
        counts = import_file(session, _principal(author), file, codes, reason=reason)
    console.print(Words()("cli.permits.imported", **counts))


@app.command("export")
def export_command(
    file: Annotated[Path, typer.Argument(dir_okay=False, help="XLSX file to write")],
    db: DbOption = None,
) -> None:
    """Write the register (permits, outlet limits, results) as an XLSX workbook."""
    from esgledger.permits.workbook import export_workbook

    with ledger_session(db) as session:
        data = export_workbook(session, _principal(None))
    file.write_bytes(data)
    console.print(Words()("cli.permits.wrote", file=file))


@app.command("expiring")
def expiring_command(
    days: Annotated[int | None, typer.Option(help="Window in days (default: data)")] = None,
    today: Annotated[str | None, typer.Option(help="The day to count from, 2025-01-31")] = None,
    db: DbOption = None,
) -> None:
    """Permits whose validity ends within the warning window (or has ended)."""
    from esgledger.permits import expiring_permits

    day = date.fromisoformat(today) if today else date.today()
    with ledger_session(db) as session:
        frame = expiring_permits(session, day, days=days)
    words = Words()
    heads = ("permit", "site", "authority", "valid_to", "days_left")
    table = Table(*(words(f"cli.permits.{head}") for head in heads))
    for row in frame.iter_rows(named=True):
        table.add_row(
            row["number"],
            row["entity"],
            escape(row["authority"]),
            str(row["valid_to"]),
            str(row["days_left"]),
        )
    print_table(table)


@app.command("exceedances")
def exceedances_command(db: DbOption = None) -> None:
    """Every exceedance with its status, cause and corrective action."""
    from esgledger.permits.results import list_exceedances

    with ledger_session(db) as session:
        found = list_exceedances(session, _principal(None))
    words = Words()
    heads = ("key", "site", "value", "limit", "status", "cause", "corrective_action")
    table = Table(*(words(f"cli.permits.{head}") for head in heads))
    for record in found:
        p = record.payload
        table.add_row(
            escape(record.key),
            str(record.entity),
            f"{p['value_std']:g} {words.unit(p['unit_std'])}",
            f"{p['limit_max']:g}",
            _status(p["status"], words),
            escape(p["cause"]),
            escape(p["corrective_action"]),
        )
    print_table(table)


@app.command("step")
def step_command(
    key: Annotated[str, typer.Argument(help="The exceedance's key (see `permits exceedances`)")],
    step: Annotated[str, typer.Argument(help="cause, correct or close")],
    text: Annotated[str, typer.Argument(help="The cause or the corrective action")] = "",
    author: AuthorOption = None,
    db: DbOption = None,
) -> None:
    """Move an exceedance one step on: record its cause, its correction, or close it."""
    from esgledger.permits.results import advance_exceedance

    with ledger_session(db) as session:
        record = advance_exceedance(session, _principal(author), key, step, text)
    words = Words()
    status = _status(record.payload["status"], words)
    console.print(words("cli.permits.step", key=escape(key), status=status))


def _status(status: str, words: Words) -> str:
    return words.known(f"cli.exceedance_status.{status}") or status


@app.command("compliance")
def compliance_command(
    year: Annotated[int, typer.Option(help="Reporting year")],
    db: DbOption = None,
) -> None:
    """The share of monitoring results within limits, per pollutant, per site and group."""
    from esgledger.permits import discharge_summary

    with ledger_session(db) as session:
        summary = discharge_summary(session, year)
    words = Words()
    heads = ("medium", "pollutant_site", "results", "within_limits", "rate")
    table = Table(*(words(f"cli.permits.{head}") for head in heads))
    rows = [(r["medium"], r["pollutant"], r) for r in summary.by_pollutant]
    rows += [("", r["entity"], r) for r in summary.by_site]
    rows += [("", words("cli.permits.group"), summary.group)] if summary.group else []
    for medium, name, row in rows:
        rate = "—" if row["rate"] is None else f"{row['rate']:.2%}"
        table.add_row(medium, name, str(row["results"]), str(row["within_limits"]), rate)
    print_table(table)


@app.command("standard")
def standard_command() -> None:
    """The GB 26451-2011 limits as shipped (each marked confirmed or not)."""
    from esgledger.permits.catalogue import gb26451

    header, rows = gb26451()
    words = Words()
    heads = ("table", "column", "plants", "pollutant", "limit", "unit", "clause", "confirmed")
    table = Table(*(words(f"cli.permits.{head}") for head in heads))
    for row in rows:
        value = "—" if row.value is None else f"{row.value:g}"
        limit = f"{row.minimum:g}-{value}" if row.minimum is not None else value
        table.add_row(
            str(row.table),
            row.column,
            row.plants,
            row.pollutant,
            limit,
            row.unit,
            row.clause,
            words("cli.yes") if row.confirmed else words("cli.no"),
        )
    console.print(words("cli.permits.standard", **header))
    print_table(table)
