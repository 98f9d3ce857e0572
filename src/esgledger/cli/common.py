"""What every command shares: the database option, the acting user, the console."""

from __future__ import annotations

import getpass
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
from rich.console import Console
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from esgledger.ledger.database import (
    database_url,
    open_engine,
    require_current_schema,
    unit_of_work,
)

# Piped output (CI logs, files) gets a width that fits the summary tables; a terminal
# keeps its own width.
_PIPED_WIDTH = None if sys.stdout.isatty() else 120
console = Console(width=_PIPED_WIDTH)
err_console = Console(stderr=True, width=None if sys.stderr.isatty() else 120)

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="Database URL (sqlite:///file.db or postgresql://...). "
        "Default: $ESGLEDGER_DB, else sqlite:///esgledger.db",
    ),
]
AuthorOption = Annotated[
    str | None,
    typer.Option("--author", help="Who makes the change (default: $ESGLEDGER_USER or your login)"),
]


def author_name(explicit: str | None) -> str:
    if explicit:
        return explicit
    try:
        login = getpass.getuser()
    except OSError:  # no login name in some containers; the fallback still attributes the write
        login = "unknown"
    return os.environ.get("ESGLEDGER_USER") or login


def ledger_engine(db: str | None) -> Engine:
    """The engine of an initialised ledger; refuses a database `init` has not prepared."""
    engine = open_engine(database_url(db))
    require_current_schema(engine)
    return engine


@contextmanager
def ledger_session(db: str | None) -> Iterator[Session]:
    """One all-or-nothing unit of work on the ledger named by ``--db``."""
    engine = ledger_engine(db)
    try:
        with unit_of_work(engine) as session:
            yield session
    finally:
        engine.dispose()
