"""`esgledger backup` and `esgledger restore`: the whole ledger to one archive and back."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from esgledger.cli.audit_cmd import AuditChainBroken, describe_breaks
from esgledger.cli.common import DbOption, console, ledger_database
from esgledger.cli.words import Words


def register(app: typer.Typer) -> None:
    app.command("backup")(backup)
    app.command("restore")(restore)


def backup(
    out: Annotated[Path, typer.Option("--out", help="The archive to write (a .zip file)")],
    db: DbOption = None,
) -> None:
    """Back up the ledger (every table, with a manifest of hashes) to one archive.

    A consistent copy while others keep writing, on SQLite and PostgreSQL alike; the
    archive restores into either.
    """
    from esgledger.ledger import backup as archives  # loaded by the command, not for --help

    database = ledger_database(db)
    try:
        manifest = archives.backup(database, out)
    finally:
        database.dispose()
    rows = sum(entry["rows"] for entry in manifest["tables"])
    tables, schema = len(manifest["tables"]), manifest["schema_revision"]
    console.print(Words()("cli.backup.written", out=out, tables=tables, rows=rows, schema=schema))


def restore(
    archive: Annotated[Path, typer.Argument(help="An archive written by `esgledger backup`")],
    db: DbOption = None,
    replace: Annotated[
        bool, typer.Option("--replace", help="Delete what the target database holds first")
    ] = False,
) -> None:
    """Restore a backup into an empty database, then verify its audit log and data.

    Refuses a database that already holds a ledger unless --replace is given.
    """
    from esgledger.ledger import backup as archives  # loaded by the command, not for --help
    from esgledger.ledger import checkpoint
    from esgledger.ledger.database import database_url, open_database, unit_of_work
    from esgledger.ledger.verify import verify_ledger

    database = open_database(database_url(db))
    try:
        manifest = archives.restore(archive, database, replace=replace)
        with unit_of_work(database) as session:
            result = verify_ledger(session, (), checkpoint.signing_key())
    finally:
        database.dispose()
    if not result.ok:
        raise AuditChainBroken.coded(
            "command.audit.restored_broken", breaks=describe_breaks(result)
        )
    rows = sum(entry["rows"] for entry in manifest["tables"])
    console.print(
        Words()(
            "cli.backup.restored",
            rows=rows,
            archive=archive,
            entries=result.entries,
            revisions=result.revisions,
            head=result.head_hash,
        )
    )
