"""`esgledger audit`: check the hash chain of the audit log, or read the log."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from esgledger.cli.common import DbOption, console, ledger_session
from esgledger.errors import EsgError

app = typer.Typer(help="The audit log of every write.", no_args_is_help=True)


class AuditChainBroken(EsgError):
    """The audit log does not verify: someone changed the database outside esgledger."""


@app.command("verify")
def verify(db: DbOption = None) -> None:
    """Recompute the hash chain; exits non-zero and names the first broken entry."""
    from esgledger.ledger.audit import verify_chain

    with ledger_session(db) as session:
        check = verify_chain(session)
    if not check.ok:
        raise AuditChainBroken(
            f"audit log entry {check.broken_at} fails verification: {check.problem}. "
            f"{check.entries} entries before it verify."
        )
    console.print(f"audit log intact: {check.entries} entries, head sha256 {check.head_hash}")


@app.command("log")
def log(
    limit: Annotated[int, typer.Option(help="Newest entries to show")] = 30, db: DbOption = None
) -> None:
    """Show the newest entries of the audit log."""
    from sqlalchemy import select

    from esgledger.ledger.schema import AuditEntry

    with ledger_session(db) as session:
        entries = list(
            session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit))
        )
    table = Table("id", "at", "actor", "action", "detail")
    for entry in reversed(entries):
        table.add_row(
            str(entry.id), f"{entry.at:%Y-%m-%d %H:%M:%S}", entry.actor, entry.action, entry.detail
        )
    console.print(table)
