"""What every command shares: the database option, the acting user, the console."""

from __future__ import annotations

import getpass
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from esgledger.errors import DEFAULT_LANGUAGE, EsgError

if TYPE_CHECKING:  # the database stack loads when a command opens the ledger, not for --help
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session

# Piped output (CI logs, files) gets a width that fits the summary tables; a terminal
# keeps its own width.
_PIPED_WIDTH = None if sys.stdout.isatty() else 120
console = Console(width=_PIPED_WIDTH)
err_console = Console(stderr=True, width=None if sys.stderr.isatty() else 120)

# The --lang given before the command (cli/main.py): the language of error messages and
# of everything a command prints for its reader (cli/words.py).
chosen_language: ContextVar[str | None] = ContextVar("chosen_language", default=None)


def message_language() -> str:
    """``--lang``, else the ``language`` setting, else English (also when settings are bad)."""
    from esgledger.settings import load_settings

    try:
        return chosen_language.get() or load_settings().language
    except EsgError:
        return DEFAULT_LANGUAGE


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


def print_table(table: Table) -> None:
    """Print a table whole: piped output gets the width the table needs.

    A terminal keeps its width. A file or CI log has no edge to fit, and squeezed into the
    fixed piped width a wide table (several years times several method sets) cut its
    numbers ("289,4…") and squeezed the labels away.
    """
    # isatty, not Console.is_terminal: FORCE_COLOR in a CI log would pass for a terminal
    isatty = getattr(console.file, "isatty", None)
    if isatty is not None and isatty():
        console.print(table)
        return
    needed = console.measure(table, options=console.options.update_width(10_000)).maximum
    if needed <= console.width:
        console.print(table)
    else:
        Console(width=needed).print(table)


def author_name(explicit: str | None) -> str:
    """Who a change is recorded as made by: ``--author``, the ``user`` setting, the login."""
    from esgledger.settings import load_settings  # pydantic loads only for commands that write

    if explicit:
        return explicit
    try:
        login = getpass.getuser()
    except OSError:  # no login name in some containers; the fallback still attributes the write
        login = "unknown"
    return load_settings().user or login


def ledger_database(db: str | None) -> Engine:
    """The engine of an initialised ledger; refuses a database `init` has not prepared."""
    from esgledger.ledger.database import database_url, open_database, require_current_schema

    url = database_url(db)
    require_sqlite_file(url)
    database = open_database(url)
    require_current_schema(database)
    return database


def require_sqlite_file(url: str) -> None:
    """Refuse a SQLite ledger whose file is missing, before SQLite creates it empty.

    Only `init` and `demo` create a ledger; every other command needs one, and a mistyped
    --db must not leave an empty database file behind.
    """
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    from esgledger.ledger.database import DatabaseError

    try:
        parsed = make_url(url)
    except ArgumentError:
        return  # open_engine explains a malformed URL
    name = parsed.database
    if parsed.get_backend_name() != "sqlite" or not name or name == ":memory:":
        return
    if name.startswith("file:") or parsed.query.get("uri"):
        return  # a SQLite URI names its file its own way; SQLite itself decides
    path = Path(name)
    if not path.exists():
        raise DatabaseError.coded("database.no_file", url=url, path=path.resolve())


@contextmanager
def ledger_session(db: str | None) -> Iterator[Session]:
    """One all-or-nothing unit of work on the ledger named by ``--db``."""
    from esgledger.ledger.database import unit_of_work

    database = ledger_database(db)
    try:
        with unit_of_work(database) as session:
            yield session
    finally:
        database.dispose()
