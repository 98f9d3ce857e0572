"""Commands that set up the ledger and move data through it: init, import, template,
submit, approve, reject, lock, snapshot."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from esgledger.cli.common import (
    AuthorOption,
    DbOption,
    author_name,
    console,
    ledger_session,
    message_language,
)
from esgledger.cli.names import check_entities, checked_periods, checked_selection
from esgledger.cli.words import Words
from esgledger.errors import EsgError
from esgledger.reporting_time import configured_zone, shown_time

EntityOption = Annotated[
    list[str] | None, typer.Option("--entity", "-e", help="Entity code (repeatable)")
]
PeriodOption = Annotated[
    list[str] | None,
    typer.Option("--period", "-p", help="Period, e.g. 2024 or 2024-03 (repeatable)"),
]
IndicatorOption = Annotated[
    list[str] | None, typer.Option("--indicator", "-i", help="Indicator id (repeatable)")
]
LARGE_FILE_BYTES = 200_000


def register(app: typer.Typer) -> None:
    for command in (init, import_, template, submit, approve, reject, lock, snapshot):
        name = "import" if command is import_ else command.__name__
        app.command(name=name)(command)


def init(
    db: DbOption = None,
    years: Annotated[
        str, typer.Option(help="Reporting years to open, e.g. 2022-2024")
    ] = "2022-2024",
    author: AuthorOption = None,
) -> None:
    """Create (or upgrade) the ledger database and open reporting years."""
    from esgledger.ledger import calendar
    from esgledger.ledger.database import database_url, migrate, open_database, unit_of_work
    from esgledger.periods import parse_year_range

    database = open_database(database_url(db))
    migrate(database)
    with unit_of_work(database) as session:
        opened = calendar.open_years(session, author_name(author), parse_year_range(years))
        all_years = calendar.reporting_years(session)
    database.dispose()
    words = Words()
    console.print(
        words(
            "cli.data.ready",
            url=database.url.render_as_string(hide_password=True),
            years=", ".join(map(str, all_years)),
            opened=words("cli.data.newly_opened", count=len(opened)) if opened else "",
        )
    )


def import_(
    file: Annotated[
        Path, typer.Argument(help="CSV or XLSX file, long layout or esgledger template")
    ],
    db: DbOption = None,
    author: AuthorOption = None,
    submit: Annotated[
        bool, typer.Option(help="Mark the imported values as submitted for review")
    ] = False,
) -> None:
    """Import a file atomically: every row is checked and any problem imports nothing."""
    from esgledger.catalog import load_catalog
    from esgledger.errors import render
    from esgledger.ledger.imports.apply import import_file
    from esgledger.monitoring.monthly import warnings_for_changeset

    with ledger_session(db) as session:
        if file.is_file() and file.stat().st_size > LARGE_FILE_BYTES:
            with _progress_bar(file) as advance:
                result = import_file(
                    session,
                    file,
                    author_name(author),
                    load_catalog(),
                    submit=submit,
                    progress=advance,
                )
        else:
            result = import_file(session, file, author_name(author), load_catalog(), submit=submit)
        unusual = warnings_for_changeset(session, result.changeset_id)
    lang = message_language()
    console.print(
        Words(lang)(
            "cli.data.imported",
            file=result.file,
            rows=result.rows,
            new=result.new_revisions,
            unchanged=result.unchanged,
        )
    )
    for w in unusual:
        console.print(render("monitor.unusual_month", lang, entity=w.entity, period=w.period,
                             indicator=w.indicator, value=f"{w.value:,.6g}",
                             median=f"{w.median:,.6g}", ratio=f"{w.ratio:.1f}"))  # fmt: skip


@contextmanager
def _progress_bar(file: Path) -> Iterator[Callable[[int], None]]:
    """A bar counting rows read, shown for files large enough to make a user wait."""
    bar = Progress(
        TextColumn(Words()("cli.data.reading", file=file.name)),
        BarColumn(),
        MofNCompleteColumn(),
        console=console,
        transient=True,
    )
    with bar:
        task = bar.add_task("rows", total=None)
        yield lambda rows: bar.advance(task, rows)


def template(
    out: Annotated[Path, typer.Argument(help="Where to write the XLSX template")],
    year: Annotated[int, typer.Option(help="Reporting year")],
    entity: EntityOption = None,
    layout: Annotated[
        str, typer.Option(help="'entity' (a sheet per entity) or 'year' (a sheet per year)")
    ] = "entity",
    lang: Annotated[
        str, typer.Option(help="Headers and instructions in 'zh' or 'en' (entity layout)")
    ] = "zh",
    db: DbOption = None,
) -> None:
    """Write the XLSX collection template for some entities.

    The entity layout lists what each entity owes for the year, last year's value beside
    each row, with Excel validation on units and numbers; the year layout lists every input
    indicator, with names in English and Chinese.
    """
    from esgledger.catalog import load_catalog
    from esgledger.ledger.imports.template import write_template
    from esgledger.ledger.orgstore import load_org

    if layout not in ("entity", "year"):
        raise EsgError.coded("export.layout", layout=layout)
    if lang not in ("zh", "en"):
        raise EsgError.coded("export.lang", lang=lang)
    catalog = load_catalog()
    with ledger_session(db) as session:
        check_entities(session, entity)
        org = load_org(session)
        chosen = (
            [org.get(code) for code in entity]
            if entity
            else [e for e in org if e.kind.value != "group"]
        )
        if layout == "entity":
            _owed_template(session, catalog, chosen, year, lang, out)
    if layout == "year":
        write_template(out, catalog, chosen, year, layout)
    console.print(Words()("cli.data.template", sheets=len(chosen), year=year, out=out))


def _owed_template(session, catalog, chosen, year: int, lang: str, out: Path) -> None:
    """The entity layout: each entity's owed rows and last year's values (as the web's)."""
    from esgledger.api.routers.templates import owed_for
    from esgledger.workbooks.last_year import last_year_values
    from esgledger.workbooks.template import TemplateRequest, build_template, owed_indicators

    sheets = []
    for found in chosen:
        owed = owed_for(session, catalog, found.code, year)
        indicators = owed_indicators(catalog, owed)
        last = last_year_values(session, found.code, year - 1, indicators)
        sheets.append((TemplateRequest(found, year, owed, lang), last))
    out.parent.mkdir(parents=True, exist_ok=True)
    build_template(catalog, sheets).save(out)


def _status_change(
    to_status: str,
    db: str | None,
    author: str | None,
    entity,
    period,
    indicator,
    reason: str | None = None,
    include_drafts: bool = False,
) -> None:
    from esgledger.ledger import revisions

    with ledger_session(db) as session:
        selection = checked_selection(session, entity, period, indicator)
        count = revisions.change_status(
            session,
            author_name(author),
            to_status,
            selection,
            reason=reason,
            include_drafts=include_drafts,
        )
    words = Words()
    console.print(words("cli.data.changed", count=count, status=words.status(to_status)))


def submit(
    entity: EntityOption = None,
    period: PeriodOption = None,
    indicator: IndicatorOption = None,
    db: DbOption = None,
    author: AuthorOption = None,
) -> None:
    """Submit draft (or rejected) observations for review."""
    from esgledger.ledger import revisions

    _status_change(revisions.SUBMITTED, db, author, entity, period, indicator)


def approve(
    entity: EntityOption = None,
    period: PeriodOption = None,
    indicator: IndicatorOption = None,
    include_drafts: Annotated[
        bool, typer.Option(help="Also approve drafts never submitted")
    ] = False,
    db: DbOption = None,
    author: AuthorOption = None,
) -> None:
    """Approve submitted observations.

    Acts on the current values of the selection when it runs (the web review page and the
    API instead name the revisions the reviewer saw). Another write at the same moment
    makes it stop with "changed meanwhile" and approve nothing; run it again.
    """
    from esgledger.ledger import revisions

    _status_change(
        revisions.APPROVED, db, author, entity, period, indicator, include_drafts=include_drafts
    )


def reject(
    reason: Annotated[str, typer.Option(help="Why, for the reporter")],
    entity: EntityOption = None,
    period: PeriodOption = None,
    indicator: IndicatorOption = None,
    db: DbOption = None,
    author: AuthorOption = None,
) -> None:
    """Reject submitted observations with a reason."""
    from esgledger.ledger import revisions

    _status_change(revisions.REJECTED, db, author, entity, period, indicator, reason=reason)


def lock(
    period: Annotated[str, typer.Argument(help="Year (2024) or month (2024-03)")],
    db: DbOption = None,
    author: AuthorOption = None,
) -> None:
    """Lock a fully approved period; later changes need a restatement."""
    from esgledger.ledger import calendar

    with ledger_session(db) as session:
        (period,) = checked_periods(session, [period], "period") or [period]
        count = calendar.lock_period(session, author_name(author), period)
    console.print(Words()("cli.data.locked", period=period, count=count))


def snapshot(
    db: DbOption = None,
    author: AuthorOption = None,
    list_: Annotated[bool, typer.Option("--list", help="List stored snapshots")] = False,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="Approved values as they stood then (UTC, 2024-03-31T18:00)"),
    ] = None,
) -> None:
    """Take a content-hashed snapshot of all approved values (or list snapshots)."""
    from esgledger.ledger import snapshots

    moment = _parse_moment(as_of) if as_of else None
    words = Words()
    with ledger_session(db) as session:
        if list_:
            zone = configured_zone()  # once, not per row
            for shot in snapshots.list_snapshots(session):
                line = words(
                    "cli.data.snapshot_line",
                    id=shot.id,
                    sha256=shot.content_hash,
                    at=shown_time(shot.as_of, zone, seconds=True),
                    count=shot.observation_count,
                    author=shot.created_by,
                )
                console.print(line)
            return
        shot = snapshots.take_snapshot(session, author_name(author), moment)
    console.print(
        words(
            "cli.data.snapshot", id=shot.id, count=shot.observation_count, sha256=shot.content_hash
        )
    )


def _parse_moment(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise EsgError.coded("export.as_of", text=text) from None
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment
