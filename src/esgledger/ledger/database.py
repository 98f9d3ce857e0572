"""Opening a ledger database and bringing its schema up to date.

SQLite by default (a file beside the user's work), PostgreSQL by URL. The schema is only
ever created by Alembic migrations, so that both engines and every installed version
share one history of the schema.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from importlib.resources import files
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, Select, create_engine, event, func, select
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.orm import Session

from esgledger.errors import EsgError
from esgledger.settings import load_settings


class DatabaseError(EsgError):
    """The ledger database cannot be opened or is not set up."""


# How each database says that another transaction holds the lock a write waits for.
_BUSY_SQLITE = ("database is locked", "database table is locked")
_BUSY_POSTGRES = {"55P03", "40001", "40P01"}  # lock_not_available, serialization, deadlock


def is_busy(exc: BaseException) -> bool:
    """True when ``exc`` says the ledger was busy with another write, not that it broke.

    SQLite gives up after its busy timeout while another writer (a long import, say) holds
    the database; PostgreSQL reports a lock timeout, a serialization failure or a deadlock.
    The same request succeeds once the other write has finished.
    """
    if not isinstance(exc, OperationalError):
        return False
    original = exc.orig
    if getattr(original, "sqlstate", None) in _BUSY_POSTGRES:
        return True
    return any(text in str(original) for text in _BUSY_SQLITE)


def database_url(explicit: str | None = None) -> str:
    """The URL to use: the one given, else the ``db`` setting (``sqlite:///esgledger.db``).

    The settings are read either way, so that a bad variable stops the command before it
    opens the ledger rather than somewhere in the middle of its work.
    """
    settings = load_settings()
    return explicit or settings.db


def open_database(url: str) -> Engine:
    """An engine for ``url``; SQLite gets foreign keys on, as PostgreSQL always has."""
    url = _normalise(url)
    try:
        database = create_engine(url, future=True)
    except (ArgumentError, ImportError) as exc:  # a malformed URL or a missing driver
        raise DatabaseError.coded("database.bad_url", url=url, detail=str(exc)) from None
    if database.dialect.name == "sqlite":
        event.listen(database, "connect", _sqlite_pragmas)
    return database


def _normalise(url: str) -> str:
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def _sqlite_pragmas(dbapi_connection: object, _record: object) -> None:
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def _alembic_config(database: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(files("esgledger.ledger") / "migrations"))
    config.attributes["database"] = database
    return config


def migrate(database: Engine, revision: str = "head") -> None:
    """Create or upgrade the schema to the newest migration (or to ``revision``)."""
    try:
        command.upgrade(_alembic_config(database), revision)
    except OperationalError as exc:
        raise DatabaseError.coded("database.unreachable", detail=str(exc.orig)) from None


def current_revision(connection: Connection) -> str | None:
    """The migration the database is at; None when it has no ledger schema."""
    return MigrationContext.configure(connection).get_current_revision()


def require_current_schema(database: Engine) -> None:
    """Refuse to work on a database that `esgledger init` has not set up or upgraded."""
    head = ScriptDirectory.from_config(_alembic_config(database)).get_current_head()
    try:
        with database.connect() as connection:
            current = MigrationContext.configure(connection).get_current_revision()
    except OperationalError as exc:
        raise DatabaseError.coded(
            "database.unreachable_at", url=repr(database.url), detail=str(exc.orig)
        ) from None
    if current is None:
        raise DatabaseError.coded(
            "database.no_ledger", url=database.url.render_as_string(hide_password=True)
        )
    if current != head:
        raise DatabaseError.coded("database.out_of_date")


@contextmanager
def unit_of_work(database: Engine) -> Iterator[Session]:
    """A session that commits everything at the end or nothing at all."""
    with Session(database, expire_on_commit=False) as session, session.begin():
        yield session


@contextmanager
def one_read(database: Engine) -> Iterator[Session]:
    """A session for reads that need no snapshot shared between their statements.

    No transaction is opened: each statement is answered on its own, as it is under
    PostgreSQL's default isolation anyway, and the BEGIN and ROLLBACK round trips around it
    are saved (two of the three on a page of an API list the body cache missed).
    """
    with Session(database.execution_options(isolation_level="AUTOCOMMIT")) as session:
        yield session


def utcnow() -> datetime:
    """Now in UTC without tzinfo: both SQLite and PostgreSQL store it the same way."""
    return datetime.now(UTC).replace(tzinfo=None)


def one_page(
    session: Session,
    query: Select[Any],
    offset: int,
    limit: int,
    *,
    counted: Select[Any] | None = None,
) -> tuple[list[Any], int]:
    """The rows of ``query`` from ``offset`` on (at most ``limit``), and how many it has in all.

    The database counts and slices, so a page of a large table reads its own rows only. The
    count drops the query's order (sorting rows only to count them is wasted work) and may
    run on ``counted`` instead: a query with the same rows that reads fewer tables. An
    offset past the end asks for no rows, which also keeps a huge offset away from the
    database's 64-bit integers. A query of one entity or column gives its objects or
    values, one of several columns gives rows.
    """
    total = count_rows(session, query if counted is None else counted)
    if offset >= total:
        return [], total
    return fetched(session, query.offset(offset).limit(limit)), total


def count_rows(session: Session, query: Select[Any]) -> int:
    """How many rows ``query`` has; its order is dropped (sorting only to count is waste)."""
    unordered = query.order_by(None)
    return session.scalar(select(func.count()).select_from(unordered.subquery())) or 0


def fetched(session: Session, query: Select[Any]) -> list[Any]:
    """The rows of ``query``: its objects or values when it selects one thing, else rows."""
    result = session.execute(query)
    return list(result.scalars() if len(query.column_descriptions) == 1 else result)
