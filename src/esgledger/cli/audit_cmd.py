"""`esgledger audit`: verify the log and the data it seals, export checkpoints, read the log."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from esgledger.cli.common import DbOption, console, ledger_session, print_table
from esgledger.cli.words import Words
from esgledger.errors import EsgError, Joined, Phrase
from esgledger.reporting_time import configured_zone, shown_time

if TYPE_CHECKING:  # loaded by the commands that run, not for --help
    from esgledger.ledger.verify import Verification

app = typer.Typer(help="The audit log of every write.", no_args_is_help=True)


class AuditChainBroken(EsgError):
    """The audit log does not verify: someone changed the database outside esgledger."""


CheckpointOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--checkpoint",
        help="A checkpoint file exported earlier; catches a cut-off tail or a rewritten "
        "chain (repeatable)",
    ),
]


@app.command("verify")
def verify(checkpoint: CheckpointOption = None, db: DbOption = None) -> None:
    """Recompute the chain and every row it seals; exits non-zero and names the first break.

    With $ESGLEDGER_AUDIT_KEY set, the signatures of the checkpoints are checked too.
    """
    from esgledger.ledger import checkpoint as checkpoints
    from esgledger.ledger.verify import verify_ledger

    given = [checkpoints.read_file(path) for path in checkpoint or []]
    with ledger_session(db) as session:
        result = verify_ledger(session, given, checkpoints.signing_key())
    if not result.ok:
        raise AuditChainBroken.coded("command.audit.broken", breaks=describe_breaks(result))
    words = Words()
    console.print(
        words(
            "cli.audit.intact",
            entries=result.entries,
            revisions=result.revisions,
            checkpoints=result.checkpoints,
            head_id=result.head_id,
            head_hash=result.head_hash,
        )
    )
    if not given:
        console.print(words("cli.audit.no_checkpoint"))


def describe_breaks(result: Verification) -> Phrase:
    """The first break, up to nine more, and what to do: one line each (the breaks' own
    texts are in English)."""
    first, *rest = result.breaks
    lines: list[Phrase] = [Phrase.of("command.audit.also", detail=str(b)) for b in rest[:9]]
    if len(rest) > 9:
        lines.append(Phrase.of("command.audit.more", count=len(rest) - 9))
    return Phrase.of(
        "command.audit.breaks",
        first=str(first),
        also=Joined(("", *lines), separator="command.audit.line"),
        count=len(result.breaks),
        entries=result.entries,
        revisions=result.revisions,
    )


@app.command("checkpoint")
def checkpoint(
    out: Annotated[Path, typer.Option("--out", help="The file to write the checkpoint to")],
    db: DbOption = None,
) -> None:
    """Export the audit log's head to a file kept outside the database.

    Signed with HMAC-SHA256 when $ESGLEDGER_AUDIT_KEY is set. Pass the file to
    `esgledger audit verify --checkpoint FILE` later.
    """
    from esgledger.ledger import checkpoint as checkpoints

    with ledger_session(db) as session:
        head = checkpoints.current(session, checkpoints.signing_key())
    if head is None:
        raise EsgError.coded("export.audit_empty")
    try:
        out.write_text(head.to_json(), encoding="utf-8")
    except OSError as exc:  # a folder that does not exist or is not writable
        raise EsgError.coded("export.write_checkpoint", out=out, detail=exc.strerror) from None
    console.print(Words()("cli.audit.checkpoint_written", out=out, head=head.describe()))


DAY = "%Y-%m-%d"


@app.command("log")
def log(
    limit: Annotated[int, typer.Option(min=1, help="Entries to show")] = 30,
    offset: Annotated[int, typer.Option(min=0, help="Newer entries to skip")] = 0,
    entity: Annotated[str | None, typer.Option(help="Entries about this entity")] = None,
    actor: Annotated[str | None, typer.Option(help="Entries by this user")] = None,
    action: Annotated[str | None, typer.Option(help="Entries of this action")] = None,
    first_day: Annotated[
        datetime | None, typer.Option("--from", formats=[DAY], help="First day (UTC)")
    ] = None,
    last_day: Annotated[
        datetime | None, typer.Option("--to", formats=[DAY], help="Last day (UTC), included")
    ] = None,
    csv: Annotated[Path | None, typer.Option(help="Write every matching entry here")] = None,
    db: DbOption = None,
) -> None:
    """Show the newest entries of the audit log, filtered; --csv exports all that match."""
    from esgledger.ledger.reads.audit_export import audit_csv
    from esgledger.ledger.reads.audit_log import AuditFilter, audit_page

    days = [day.date() if day else None for day in (first_day, last_day)]
    where = AuditFilter(entity, actor, action, *days)
    with ledger_session(db) as session:
        if csv is not None:
            _write(csv, audit_csv(session, where))
            return
        entries, total = audit_page(session, where, offset, limit)
    words = Words()
    action_of, detail_of = _entry_words(words.lang)
    table = Table(*(words(f"cli.audit.{head}") for head in ("id", "at", "actor", "action")))
    # a Chinese detail has no spaces to wrap at: folded, not cut ("…") at the edge
    table.add_column(words("cli.audit.detail"), overflow="fold" if words.chinese else "ellipsis")
    zone = configured_zone()  # once, not per row
    for entry in reversed(entries):
        table.add_row(
            str(entry.id),
            shown_time(entry.at, zone, seconds=True),
            entry.actor,
            action_of(entry.action),
            detail_of(entry.detail),
        )
    print_table(table)
    shown = words("cli.audit.shown", shown=len(entries), total=total, first=offset + 1)
    console.print(shown)


def _entry_words(lang: str) -> tuple[Callable[[str], str], Callable[[str], str]]:
    """How an entry's action and detail read: as stored (codes and JSON) in English; in
    Chinese named as the audit page names them, when the web pages are installed."""
    as_stored = (lambda text: text, lambda text: text)
    if lang == "en":
        return as_stored
    try:
        from esgledger.web.audit_text import action_label, detail_text
        from esgledger.web.i18n import translator
    except ModuleNotFoundError:  # without esgledger[web] the log prints as stored
        return as_stored
    t = translator(lang)
    return (lambda action: action_label(lang, action), lambda detail: detail_text(lang, t, detail))


def _write(path: Path, text: str) -> None:
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:  # a folder that does not exist or is not writable
        raise EsgError.coded("export.write_audit_log", path=path, detail=exc.strerror) from None
    console.print(Words()("cli.audit.written", path=path))
