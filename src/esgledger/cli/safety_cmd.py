"""`esgledger safety ...`: the safety registers from the command line.

Import and export the registers as XLSX (an import writes every row or none), show the
year's rates and the overdue hazards, reconcile register counts with typed totals, and
draw a site's four-colour risk map as SVG.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
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

app = typer.Typer(
    help="Safety risk management: risk points, hazards, drills.", no_args_is_help=True
)
YearOption = Annotated[int, typer.Option("--year", help="Reporting year")]
AsOfOption = Annotated[
    str | None, typer.Option("--as-of", help="Day of the overdue count (default: today)")
]


def _principal(author: str | None):
    from esgledger.auth.roles import Role
    from esgledger.auth.service import Principal

    # the command line acts with the ledger owner's rights, as every other CLI write does
    return Principal(0, author_name(author), Role.ADMIN, None)


def _as_of(text: str | None) -> date:
    return date.fromisoformat(text) if text else date.today()


@app.command("import")
def import_command(file: Path, author: AuthorOption = None, db: DbOption = None) -> None:
    """Import an XLSX workbook (sheets risk_points, hazards, drills, incidents): all or nothing."""
    from esgledger.safety.workbook import import_workbook

    with ledger_session(db) as session:
        written = import_workbook(session, _principal(author), file)
    words = Words()
    for register, count in written.items():
        console.print(words("cli.safety.written", register=register, count=count))


@app.command("export")
def export_command(file: Path, author: AuthorOption = None, db: DbOption = None) -> None:
    """Export every safety register to an XLSX workbook (also a template for import)."""
    from esgledger.safety.workbook import export_workbook

    with ledger_session(db) as session:
        counts = export_workbook(session, _principal(author), file)
    words = Words()
    shown = ", ".join(words("cli.safety.count", register=k, count=v) for k, v in counts.items())
    console.print(words("cli.safety.exported", file=file, counts=shown))


@app.command("rates")
def rates_command(year: YearOption, as_of: AsOfOption = None, db: DbOption = None) -> None:
    """Hazards found, corrected, correction rate and overdue, drills and injuries, per site."""
    from esgledger.safety.summary import summary

    with ledger_session(db) as session:
        found = summary(session, _principal(None), year, _as_of(as_of))
    words = Words()
    table = Table(title=words("cli.safety.title", year=year))
    for name in found.by_site.columns:
        head = words.known(f"cli.safety.col.{name}") or name
        table.add_column(head, justify="left" if name == "entity" else "right")
    for row in found.by_site.iter_rows():
        table.add_row(*(str(value) for value in row))
    total = words("cli.safety.total")
    table.add_row(total, *(str(found.totals[n]) for n in found.by_site.columns[1:]))
    print_table(table)
    rate = "-" if found.correction_rate is None else f"{found.correction_rate:.1f}%"
    grades: object = found.grades  # printed as the mapping it is, in English
    if words.chinese:
        grades = "、".join(
            f"{words.known(f'cli.safety.grade.{grade}') or grade} {count}"
            for grade, count in found.grades.items()
        )
    console.print(words("cli.safety.rates", rate=rate, grades=grades))


@app.command("overdue")
def overdue_command(as_of: AsOfOption = None, db: DbOption = None) -> None:
    """Hazards past their rectification deadline, for the group manager."""
    from esgledger.safety.summary import summary

    day = _as_of(as_of)
    with ledger_session(db) as session:
        found = summary(session, _principal(None), day.year, day)
    words = Words()
    table = Table(title=words("cli.safety.overdue_title", day=day))
    for name in ("key", "site", "severity", "deadline", "owner", "title"):
        table.add_column(words(f"cli.safety.col.{name}"))
    for hazard in found.overdue:
        p = hazard.payload
        table.add_row(
            hazard.key, hazard.entity or "", p["severity"], p["deadline"], p["owner"], p["title"]
        )
    print_table(table)


@app.command("escalate")
def escalate_command(as_of: AsOfOption = None, db: DbOption = None) -> None:
    """Tell the sites about their overdue hazards and escalate the late ones to the group
    (what the daily reminders job does); each notice is sent once."""
    from esgledger.safety.escalation import escalate_overdue

    day = _as_of(as_of)
    with ledger_session(db) as session:
        sent = escalate_overdue(session, day)
    console.print(
        Words()("cli.safety.escalated", overdue=sent.overdue, escalated=sent.escalated, day=day)
    )


@app.command("reconcile")
def reconcile_command(
    year: Annotated[list[int], typer.Option("--year", help="Year (repeatable)")],
    as_of: AsOfOption = None,
    db: DbOption = None,
) -> None:
    """Register-derived counts beside the typed yearly totals; differences flagged."""
    from esgledger.catalog import load_catalog
    from esgledger.safety.reconcile import reconcile

    with ledger_session(db) as session:
        found = reconcile(session, _principal(None), load_catalog(), year, _as_of(as_of))
    words = Words()
    table = Table(title=words("cli.safety.reconcile_title"))
    for name in ("indicator", "entity", "year", "register", "typed", "difference", "agreement"):
        table.add_column(words(f"cli.safety.col.{name}"))
    for line in found.lines:
        agreement = words.known(f"cli.safety.agreement.{line.agreement}") or str(line.agreement)
        flag = f"[red]{agreement}[/red]" if line.agreement == "restatement_candidate" else agreement
        table.add_row(
            line.indicator,
            line.entity,
            str(line.year),
            _text(line.register),
            _text(line.typed),
            _text(line.difference),
            flag,
        )
    print_table(table)
    for row in found.ltifr:
        per_million, per_thousand = (
            _text(row["per_million_hours"]),
            _text(row["per_thousand_employees"]),
        )
        console.print(
            words(
                "cli.safety.ltifr",
                year=row["year"],
                per_million=per_million,
                per_thousand=per_thousand,
            )
        )


def _text(value: object) -> str:
    if value is None:
        return "-"
    return f"{value:,.4g}" if isinstance(value, float) else str(value)


@app.command("map")
def map_command(
    site: str,
    out: Annotated[Path, typer.Option("--out", help="SVG file to write")],
    lang: Annotated[str, typer.Option("--lang", help="zh or en")] = "zh",
    db: DbOption = None,
) -> None:
    """Draw a site's four-colour risk map as SVG (on a grid; the web page shows the plan)."""
    from esgledger.safety.riskmap import render_map
    from esgledger.safety.summary import map_points

    with ledger_session(db) as session:
        points = map_points(session, _principal(None), site)
    out.write_text(render_map(site, points, None, lang), encoding="utf-8")
    console.print(Words()("cli.safety.map", out=out, count=len(points)))


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="safety")
