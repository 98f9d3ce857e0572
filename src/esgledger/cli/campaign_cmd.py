"""`esgledger campaign ...` and `esgledger notices ...`: data requests from the command line.

``campaign create`` opens a campaign (its notices are then mailed by a job, queued here);
``campaign owes`` lists (and with ``--add``/``--drop`` changes) what an entity owes;
``campaign remind --today`` writes the reminders and escalations due on a day, as the
worker's daily task does, and queues their delivery; ``status`` shows each entity's
progress. ``notices email`` sets a user's address, ``notices list`` shows an inbox.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

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

app = typer.Typer(help="Data requests: campaigns, due dates, reminders.", no_args_is_help=True)
notices_app = typer.Typer(help="Notices: inboxes and e-mail addresses.", no_args_is_help=True)
TodayOption = Annotated[
    str | None, typer.Option("--today", help="The day, 2025-03-31 (default: today)")
]


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="campaign")
    root.add_typer(notices_app, name="notices")


def _day(text: str | None) -> date:
    return date.fromisoformat(text) if text else date.today()


def _days(text: str) -> list[int]:
    return [int(part) for part in text.split(",") if part.strip()]


def _queue_delivery(db: str | None, author: str) -> None:
    """Queue the job that mails the new notices (a worker runs it)."""
    from esgledger.cli.common import ledger_database
    from esgledger.jobs import Jobs
    from esgledger.ledger.database import database_url
    from esgledger.settings import load_settings

    jobs, database = Jobs(load_settings(db=database_url(db))), ledger_database(db)
    try:
        job = jobs.submit("notice_delivery", {}, author, database)
    finally:
        database.dispose()
    console.print(Words()("cli.campaign.queued", id=job.id))


@app.command("create")
def create_command(
    name: Annotated[str, typer.Argument(help="Short name, e.g. 2024")],
    year: Annotated[int, typer.Option(help="The reporting year asked for")],
    due: Annotated[str, typer.Option(help="Due date, 2025-03-31")],
    entity: Annotated[
        list[str] | None, typer.Option(help="Entity code (repeatable; default: all)")
    ] = None,
    title: Annotated[str | None, typer.Option(help="Title shown on the pages")] = None,
    before: Annotated[str | None, typer.Option(help="Reminder days before due, e.g. 14,3")] = None,
    after: Annotated[
        str | None, typer.Option(help="Overdue notice days after due, e.g. 1,7")
    ] = None,
    escalate: Annotated[
        int | None, typer.Option(help="Days overdue before managers are told")
    ] = None,
    deliver: Annotated[bool, typer.Option(help="Queue the e-mail delivery job")] = True,
    author: AuthorOption = None,
    db: DbOption = None,
) -> None:
    """Open a campaign: a request per entity owing inputs, a notice to each owner."""
    from esgledger.catalog import load_catalog
    from esgledger.collection.campaigns import create_campaign, default_schedule, schedule_from

    schedule = None
    if before is not None or after is not None or escalate is not None:
        shipped = default_schedule()
        schedule = schedule_from(
            _days(before) if before is not None else shipped.before_days,
            _days(after) if after is not None else shipped.after_days,
            escalate if escalate is not None else shipped.escalate_after_days,
        )
    who = author_name(author)
    with ledger_session(db) as session:
        campaign = create_campaign(
            session, load_catalog(), who, name, year=year, due=date.fromisoformat(due),
            title=title, entities=entity, schedule=schedule,
        )  # fmt: skip
    console.print(
        Words()(
            "cli.campaign.opened",
            name=escape(campaign.name),
            entities=len(campaign.entities),
            year=campaign.year,
            due=campaign.due.isoformat(),
        )
    )
    if deliver:
        _queue_delivery(db, who)


@app.command("list")
def list_command(db: DbOption = None) -> None:
    """Every campaign: year, due date, entities."""
    from esgledger.collection.campaigns import list_campaigns

    with ledger_session(db) as session:
        campaigns = list_campaigns(session)
    words = Words()
    heads = ("campaign", "title", "year", "due", "entities")
    table = Table(*(words(f"cli.campaign.{head}") for head in heads))
    for c in campaigns:
        table.add_row(
            escape(c.name), escape(c.title), str(c.year), c.due.isoformat(), str(len(c.entities))
        )
    print_table(table)


@app.command("status")
def status_command(
    name: Annotated[str, typer.Argument(help="The campaign")],
    today: TodayOption = None,
    db: DbOption = None,
) -> None:
    """Each entity's progress: owed items, answered, missing, days overdue."""
    from esgledger.catalog import load_catalog
    from esgledger.collection.campaigns import get_campaign, progress

    with ledger_session(db) as session:
        campaign = get_campaign(session, name)
        frame = progress(session, load_catalog(), campaign, _day(today))
    words = Words()
    heads = ("entity", "owners", "owed", "answered", "missing", "share", "overdue_days")
    table = Table(*(words(f"cli.campaign.{head}") for head in heads))
    for row in frame.iter_rows(named=True):
        table.add_row(
            row["entity"], escape(row["owners"]), str(row["owed"]), str(row["answered"]),
            str(row["missing"]), f"{row['share']:.0%}", str(row["overdue_days"]),
        )  # fmt: skip
    print_table(table)
    complete = int(frame["complete"].sum())
    due = campaign.due.isoformat()
    console.print(words("cli.campaign.complete", complete=complete, total=frame.height, due=due))


@app.command("remind")
def remind_command(
    today: TodayOption = None,
    deliver: Annotated[bool, typer.Option(help="Queue the e-mail delivery job")] = True,
    author: AuthorOption = None,
    db: DbOption = None,
) -> None:
    """Write the reminders and escalations due on a day (each step once)."""
    from esgledger.catalog import load_catalog
    from esgledger.collection.reminders import run_reminders

    who = author_name(author)
    with ledger_session(db) as session:
        sent = run_reminders(session, load_catalog(), _day(today), actor=who)
    console.print(
        Words()(
            "cli.campaign.reminded",
            reminders=sent.reminders,
            overdue=sent.overdue,
            escalations=sent.escalations,
        )
    )
    if deliver and (sent.reminders or sent.overdue or sent.escalations):
        _queue_delivery(db, who)


@app.command("owes")
def owes_command(
    entity: Annotated[str, typer.Argument(help="The entity's code")],
    year: Annotated[int, typer.Option("--year", help="The reporting year")],
    add: Annotated[list[str] | None, typer.Option("--add", help="An input to owe besides")] = None,
    drop: Annotated[list[str] | None, typer.Option("--drop", help="An input not owed")] = None,
    reason: Annotated[str, typer.Option("--reason", help="Why (needed for a change)")] = "",
    author: AuthorOption = None,
    db: DbOption = None,
) -> None:
    """What an entity owes for a year; with --add/--drop, change it (kept with the reason)."""
    from esgledger.catalog import load_catalog
    from esgledger.collection.obligations import obligations_of, owe_exactly

    catalog = load_catalog()
    with ledger_session(db) as session:
        if add or drop:
            rows = obligations_of(session, catalog, entity, year)
            owed = ({r.indicator for r in rows if r.owed} | set(add or ())) - set(drop or ())
            owe_exactly(session, catalog, author_name(author), entity, year, owed, reason)
        rows = obligations_of(session, catalog, entity, year)
    words = Words()
    yes, no = words("cli.yes"), words("cli.no")
    table = Table(*(words(f"cli.campaign.{head}") for head in ("input", "by_rule", "owed")))
    for r in rows:
        table.add_row(r.indicator, yes if r.by_rule else no, yes if r.owed else no)
    print_table(table)
    owed = sum(1 for r in rows if r.owed)
    console.print(words("cli.campaign.owes", entity=entity, count=owed, year=year))


@notices_app.command("email")
def email_command(
    username: Annotated[str, typer.Argument(help="The user")],
    address: Annotated[str, typer.Argument(help="E-mail address; '' removes it")],
    author: AuthorOption = None,
    db: DbOption = None,
) -> None:
    """Set the address a user's notices are mailed to."""
    from esgledger.auth.service import get_user
    from esgledger.notices.contacts import set_email

    with ledger_session(db) as session:
        get_user(session, username)
        set_email(session, author_name(author), username, address)
    shown = escape(address) or Words()("cli.campaign.no_address")
    console.print(f"{escape(username)}: {shown}")


@notices_app.command("list")
def notices_list_command(
    username: Annotated[str, typer.Argument(help="The user")],
    db: DbOption = None,
) -> None:
    """A user's inbox, newest first (in the language chosen before the command)."""
    from esgledger.notices import inbox_for
    from esgledger.notices.texts import notice_text

    with ledger_session(db) as session:
        notices = inbox_for(session, username)
    words = Words()
    table = Table(*(words(f"cli.campaign.{head}") for head in ("received", "read", "message")))
    for n in notices:
        table.add_row(
            n.posted_at.strftime("%Y-%m-%d %H:%M"),
            words("cli.yes") if n.read else "",
            escape(notice_text(n.kind, n.params, words.lang)),
        )
    print_table(table)
