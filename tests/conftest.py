"""Shared fixtures: a fresh ledger on SQLite and, when a server answers, on PostgreSQL.

Every test gets its own empty database (a temporary SQLite file, or a PostgreSQL schema
created for it and dropped after), so no test sees another's data. The demo ledger is the
exception: built once per run and shared read-only (tests/shared.py), copied by a test
that writes to it.
"""

from __future__ import annotations

import csv
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import OperationalError

from esgledger.catalog import load_catalog
from esgledger.demo.build import build_demo
from esgledger.demo.generate import factor_file
from esgledger.ledger import calendar
from esgledger.ledger.database import migrate, open_database, unit_of_work
from esgledger.ledger.orgstore import save_entities
from esgledger.org import Entity
from tests.shared import assert_unchanged, build_once, copy_sqlite, shared_root

PG_URL = os.environ.get(
    "ESGLEDGER_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def _postgres_available() -> str | None:
    """None when the test server answers, else the reason the PostgreSQL tests skip."""
    try:
        probe = create_engine(PG_URL, connect_args={"connect_timeout": 3})
        with probe.connect():
            pass
        probe.dispose()
    except (OperationalError, ImportError) as exc:
        return f"no PostgreSQL at {PG_URL} ({type(exc).__name__}); set ESGLEDGER_TEST_PG_URL"
    return None


_PG_SKIP = _postgres_available()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An empty, migrated ledger on each backend."""
    if request.param == "sqlite":
        database = open_database(f"sqlite:///{tmp_path / 'ledger.db'}")
        migrate(database)
        yield database
        database.dispose()
        return
    if _PG_SKIP:
        if os.environ.get("ESGLEDGER_REQUIRE_POSTGRES"):
            pytest.fail(f"CI requires PostgreSQL: {_PG_SKIP}")
        pytest.skip(_PG_SKIP)
    yield from _postgres_schema_database()


def _postgres_schema_database() -> Iterator[Engine]:
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    database = create_engine(PG_URL, connect_args={"options": f"-csearch_path={schema}"})
    try:
        migrate(database)
        yield database
    finally:
        database.dispose()
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


SMALL_GROUP = [
    # grid_region "national": the national average grid factor, chosen explicitly
    Entity(
        code="GRP", name_en="Test Group", name_zh="测试集团", kind="group", grid_region="national"
    ),
    Entity(
        code="SMELT",
        name_en="Smelter",
        name_zh="冶炼厂",
        kind="subsidiary",
        parent="GRP",
        ownership_share=0.6,
        segment="smelting_separation",
        tags=("key-entity",),
        grid_region="national",
    ),
    Entity(
        code="METAL",
        name_en="Metal plant",
        name_zh="金属厂",
        kind="subsidiary",
        parent="GRP",
        segment="metals",
        grid_region="national",
    ),
]


@pytest.fixture
def ledger(database: Engine) -> Engine:
    """A migrated ledger with a three-entity group and the years 2023-2024 open."""
    with unit_of_work(database) as session:
        calendar.open_years(session, "tester", [2023, 2024])
        save_entities(session, "tester", SMALL_GROUP)
    return database


@pytest.fixture
def file_ledger(tmp_path: Path) -> str:
    """The URL of a migrated SQLite file ledger with the small group, for commands run by
    ``main([...])`` (which open the ledger themselves)."""
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    database = open_database(url)
    migrate(database)
    with unit_of_work(database) as session:
        calendar.open_years(session, "tester", [2023, 2024])
        save_entities(session, "tester", SMALL_GROUP)
    database.dispose()
    return url


@pytest.fixture
def write_csv(tmp_path: Path):
    """Write a long-layout CSV from rows of (entity, period, indicator, value, unit)."""

    def write(
        name: str, rows: list[tuple], header: str = "entity,period,indicator,value,unit,comment"
    ) -> Path:
        path = tmp_path / name
        with path.open("w", encoding="utf-8", newline="") as handle:
            out = csv.writer(handle)
            out.writerow(header.split(","))
            out.writerows(rows)
        return path

    return write


@dataclass(frozen=True)
class SharedDemo:
    """The demo ledger as `esgledger demo` builds it, with the input files it imported."""

    folder: Path
    snapshot_id: int

    @property
    def db(self) -> Path:
        return self.folder / "demo.db"

    @property
    def url(self) -> str:
        """The shared ledger's URL: for reading only."""
        return f"sqlite:///{self.db}"

    @property
    def factors(self) -> Path:
        """The demo's factor file, as the demo wrote it next to its data files."""
        return self.folder / "inputs" / factor_file().name

    def copy_to(self, folder: Path) -> str:
        """A copy of the ledger in ``folder`` that a test may write to; its URL."""
        return copy_sqlite(self.db, folder / "demo.db")


def _build_demo_ledger(folder: Path) -> dict[str, int]:
    database = open_database(f"sqlite:///{folder / 'demo.db'}")
    # the demo's pictures where the settings look for a ledger's files: beside demo.db
    ledger = build_demo(database, folder / "inputs", load_catalog(), folder / "demo-files")
    database.dispose()  # the last connection checkpoints the WAL into the file
    return {"snapshot_id": ledger.snapshot_id}


@pytest.fixture(scope="session")
def demo_ledger(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SharedDemo]:
    """The demo ledger, built once for all workers; at the end, checked to be unchanged."""
    root = shared_root(tmp_path_factory.getbasetemp())
    summary = build_once(root, "demo-ledger", _build_demo_ledger)
    demo = SharedDemo(root / "demo-ledger", summary["snapshot_id"])
    yield demo
    assert_unchanged(demo.folder)
