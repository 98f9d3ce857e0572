"""`esgledger observations`: list current values, show one value's history, delete."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from esgledger.cli.common import AuthorOption, DbOption, author_name, console, ledger_session
from esgledger.cli.data_cmds import EntityOption, IndicatorOption, PeriodOption
from esgledger.cli.names import (
    check_entities,
    check_indicators,
    checked_periods,
    checked_selection,
)
from esgledger.cli.words import Words
from esgledger.errors import NotFoundError
from esgledger.reporting_time import configured_zone, shown_time

app = typer.Typer(
    help="Observations in the ledger: current values and their history.", no_args_is_help=True
)


@app.command("list")
def list_(
    entity: EntityOption = None,
    period: PeriodOption = None,
    indicator: IndicatorOption = None,
    status: Annotated[
        str | None, typer.Option(help="Only this status (draft, submitted, ...)")
    ] = None,
    limit: Annotated[int, typer.Option(help="Show at most this many rows")] = 200,
    db: DbOption = None,
) -> None:
    """List the current state of observations (deleted ones are left out)."""
    from esgledger.ledger import revisions

    if status and status not in revisions.STATUSES:
        raise typer.BadParameter(f"status must be one of {', '.join(revisions.STATUSES)}")
    with ledger_session(db) as session:
        selection = checked_selection(session, entity, period, indicator)
        rows = [
            r
            for r in revisions.latest_revisions(session, selection)
            if not r.is_tombstone and (status is None or r.status == status)
        ]
    words = Words()
    heads = ("entity", "period", "indicator", "value", "unit", "status", "revision")
    table = Table(*(words(f"cli.observations.{head}") for head in heads))
    for r in rows[:limit]:
        table.add_row(
            r.entity,
            r.period,
            r.indicator,
            f"{r.canonical_value:,.6g}",
            words.unit(r.canonical_unit, r.indicator),
            words.status(r.status),
            str(r.id),
        )
    console.print(table)
    shown = words("cli.observations.first_shown", limit=limit) if len(rows) > limit else ""
    console.print(words("cli.observations.count", count=len(rows)) + shown)


@app.command("history")
def history(
    entity: Annotated[str, typer.Argument()],
    period: Annotated[str, typer.Argument()],
    indicator: Annotated[str, typer.Argument()],
    db: DbOption = None,
) -> None:
    """Every revision of one observation: value, status, who, when, why and source row."""
    from esgledger.ledger import revisions

    with ledger_session(db) as session:
        check_entities(session, [entity], "entity")
        (period,) = checked_periods(session, [period], "period") or [period]
        check_indicators([indicator], "indicator")
        rows = revisions.history(session, entity, period, indicator)
    if not rows:
        raise NotFoundError.coded(
            "command.no_observation", entity=entity, period=period, indicator=indicator
        )
    words = Words()
    heads = ("revision", "value", "unit", "status", "author", "at", "source")
    table = Table(*(words(f"cli.observations.{head}") for head in heads))
    zone = configured_zone()  # once, not per row
    for revision, changeset in rows:
        deleted = words("cli.observations.deleted_value")
        value = deleted if revision.is_tombstone else f"{revision.value}"
        source = changeset.reason or ""
        if changeset.source_file:
            sheet = revision.source_sheet
            source = words(
                "cli.observations.source_row",
                file=changeset.source_file,
                sheet=words("cli.observations.sheet", sheet=sheet) if sheet else "",
                row=revision.source_row,
                digest=changeset.source_sha256[:12],
            )
        table.add_row(
            str(revision.id),
            value,
            words.unit(revision.unit or "", indicator),
            words.status(revision.status),
            changeset.author,
            shown_time(changeset.created_at, zone, seconds=True),
            source,
        )
    console.print(table)


@app.command("delete")
def delete(
    reason: Annotated[str, typer.Option(help="Why the values are deleted")],
    entity: EntityOption = None,
    period: PeriodOption = None,
    indicator: IndicatorOption = None,
    db: DbOption = None,
    author: AuthorOption = None,
) -> None:
    """Delete observations: a tombstone revision, to be submitted and approved like a value."""
    from esgledger.ledger import revisions

    if not (entity or period or indicator):
        raise typer.BadParameter("name what to delete with --entity, --period and/or --indicator")
    with ledger_session(db) as session:
        selection = checked_selection(session, entity, period, indicator)
        count = revisions.delete(session, author_name(author), selection, reason)
    console.print(Words()("cli.observations.deleted", count=count))
