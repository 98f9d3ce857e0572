"""Imports written straight through the driver: the ledger the ORM path wrote, chunk by chunk.

An import's revisions go to the database by COPY (PostgreSQL) or executemany (SQLite) a
chunk at a time (``ledger/bulk.py``). These tests hold the stored rows against what
``revisions.append`` computes for the same rows (columns and content hashes), with chunks
small enough that every file spans several, and show that a failure in a late chunk
leaves nothing behind.
"""

from __future__ import annotations

import csv

import pytest
from sqlalchemy import Engine, func, select, text

from esgledger.catalog import load_catalog
from esgledger.errors import Location
from esgledger.ledger import bulk
from esgledger.ledger.database import unit_of_work
from esgledger.ledger.imports import csvtable
from esgledger.ledger.imports.apply import import_file
from esgledger.ledger.imports.reader import read_table
from esgledger.ledger.imports.rows import long_header, long_record
from esgledger.ledger.integrity import REVISION_COLUMNS, with_content_hashes
from esgledger.ledger.schema import AuditEntry, Changeset, Revision
from esgledger.ledger.verify import verify_ledger
from esgledger.units import conversion_factor

ELECTRICITY, GAS, REO = (
    "energy.purchased_electricity",
    "energy.natural_gas",
    "production.reo_output",
)
# Comments a CSV writer and COPY must carry exactly: separators, quotes, line breaks, CJK.
COMMENTS = ["", 'a "quoted", comma', "two\nlines", "备注：估算", "  padded  "]


@pytest.fixture
def small_chunks(monkeypatch):
    """Chunks of a few rows, so that a small file is read and written in several."""
    monkeypatch.setattr(csvtable, "CHUNK_ROWS", 4)
    monkeypatch.setattr(bulk, "CHUNK_ROWS", 3)


def file_rows(scale: float = 1.0) -> list[tuple]:
    """Months of three figures for two entities, some in a unit that converts, with comments."""
    rows = []
    for month in range(1, 13):
        period = f"2024-{month:02d}"
        rows += [
            ("SMELT", period, ELECTRICITY, f"{1234.5678 * month * scale}", "MWh"),
            ("METAL", period, ELECTRICITY, f"{987654.321 * month * scale}", "kWh"),
            ("SMELT", period, GAS, f"{0.1 * month * scale}", "10^4 Nm3"),
        ]
    return [(*row, COMMENTS[n % len(COMMENTS)]) for n, row in enumerate(rows)]


def expected_revision(number: int, row: tuple, parent_id: int | None) -> dict:
    """The row dictionary the ORM write path (``revisions.append``) was given for a row."""
    entity, period, indicator, value, unit, comment = row
    canonical_unit = load_catalog().get(indicator).unit
    return {
        "parent_id": parent_id,
        "origin_id": None,
        "entity": entity,
        "period": period,
        "indicator": indicator,
        "value": value,
        "unit": unit,
        "canonical_value": float(value) * conversion_factor(unit, canonical_unit),
        "canonical_unit": canonical_unit,
        "status": "draft",
        "is_tombstone": False,
        "restatement": False,
        "quality": None,
        "comment": comment.strip() or None,
        "source_sheet": None,
        "source_row": number,
    }


def stored_changeset(database: Engine, changeset_id: int) -> tuple[Changeset, list[dict]]:
    with unit_of_work(database) as session:
        changeset = session.get(Changeset, changeset_id)
        columns = [Revision.id, *(getattr(Revision, c) for c in REVISION_COLUMNS)]
        query = select(*columns, Revision.content_hash).where(Revision.changeset_id == changeset_id)
        return changeset, [
            dict(row) for row in session.execute(query.order_by(Revision.id)).mappings()
        ]


def counts(database: Engine) -> tuple[int, int, int]:
    with unit_of_work(database) as session:
        return tuple(
            session.scalar(select(func.count()).select_from(table))
            for table in (Revision, Changeset, AuditEntry)
        )


def run_import(database: Engine, path):
    with unit_of_work(database) as session:
        return import_file(session, path, "reporter", load_catalog())


def assert_written_as_the_orm_path_would(database, result, expected: list[dict]) -> None:
    changeset, stored = stored_changeset(database, result.changeset_id)
    hashed = with_content_hashes(changeset, expected)  # what revisions.append inserted
    ids = [row.pop("id") for row in stored]
    assert stored == hashed
    assert ids == list(range(ids[0], ids[0] + len(ids)))  # in file order, one run


def test_a_file_of_several_chunks_is_stored_as_the_orm_path_stores_it(
    ledger, write_csv, small_chunks
):
    rows = file_rows()
    result = run_import(ledger, write_csv("months.csv", rows))
    assert (result.rows, result.new_revisions) == (36, 36)
    expected = [expected_revision(n, row, None) for n, row in enumerate(rows, start=2)]
    assert_written_as_the_orm_path_would(ledger, result, expected)
    with unit_of_work(ledger) as session:
        assert verify_ledger(session).ok


def test_a_changed_reimport_across_chunks_links_each_row_to_its_parent(
    ledger, write_csv, small_chunks
):
    first = run_import(ledger, write_csv("first.csv", file_rows()))
    _, parents = stored_changeset(ledger, first.changeset_id)
    changed = file_rows()
    changed[5:30] = file_rows(scale=2.0)[5:30]  # 25 rows changed, spread over chunks
    result = run_import(ledger, write_csv("second.csv", changed))
    assert (result.new_revisions, result.unchanged) == (25, 11)
    expected = [
        expected_revision(n, row, parents[n - 2]["id"])
        for n, row in enumerate(changed, start=2)
        if 5 <= n - 2 < 30
    ]
    assert_written_as_the_orm_path_would(ledger, result, expected)
    with unit_of_work(ledger) as session:
        assert verify_ledger(session).ok


def test_a_failure_in_a_late_chunk_leaves_nothing(ledger, write_csv, small_chunks):
    """The database refuses the last row (a trigger): every earlier chunk goes with it."""
    rows = file_rows()
    refuse_source_row(ledger, len(rows) + 1)
    before = counts(ledger)
    with pytest.raises(Exception, match="refused by the test trigger"):
        run_import(ledger, write_csv("months.csv", rows))
    assert counts(ledger) == before
    with unit_of_work(ledger) as session:
        assert verify_ledger(session).ok


def refuse_source_row(database: Engine, row: int) -> None:
    """A trigger that makes the database refuse the revision from one source row."""
    with database.begin() as connection:
        if database.dialect.name == "sqlite":
            connection.execute(
                text(
                    "CREATE TRIGGER refuse_row BEFORE INSERT ON revisions "
                    f"WHEN NEW.source_row = {row} "
                    "BEGIN SELECT RAISE(ABORT, 'refused by the test trigger'); END"
                )
            )
            return
        connection.execute(
            text(
                "CREATE FUNCTION refuse_row() RETURNS trigger AS $$ BEGIN "
                f"IF NEW.source_row = {row} THEN "
                "RAISE EXCEPTION 'refused by the test trigger'; END IF; "
                "RETURN NEW; END $$ LANGUAGE plpgsql"
            )
        )
        connection.execute(
            text(
                "CREATE TRIGGER refuse_row BEFORE INSERT ON revisions "
                "FOR EACH ROW EXECUTE FUNCTION refuse_row()"
            )
        )


def test_the_chunked_csv_reader_keeps_the_cells_a_row_by_row_reader_keeps(tmp_path, small_chunks):
    """Stripping, blank cells and rows, short and long records: as ``rows.long_record``."""
    records = [
        ["entity", "period", "indicator", "value", "unit", "comment", "extra"],
        [" SMELT ", "2024-01", ELECTRICITY, " 1 200 ", "MWh", "\u3000note\x1c", "x"],
        ["", "", "", "", "", "", ""],
        [" ", "\t", "", "", "", "", "\u3000"],  # blank after stripping: dropped
        ["METAL", "2024-02", GAS],  # short: the missing cells are empty
        ["", "", "", "", "", "", "only in an ignored column"],
        ["METAL", "2024-03", GAS, "5", "", "", "", "beyond the header"],
        ['a "q"', "2024-04", REO, "1,5", "t", "two\nlines"],
    ]
    path = tmp_path / "cells.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(records)
    table = read_table(path)
    columns = long_header(Location(file="cells.csv", row=1), records[0])
    expected = [
        long_record(None, number, columns, cells)
        for number, cells in enumerate(records[1:], start=2)
        if any(cell.strip() for cell in cells)
    ]
    assert table.frame.rows() == expected


def test_a_large_import_leaves_postgresql_statistics_for_its_rows(ledger, write_csv, monkeypatch):
    # Without fresh statistics the first page of current values is planned as a sequential
    # scan and sort (autovacuum samples the tables up to a minute later).
    if ledger.dialect.name != "postgresql":
        pytest.skip("planner statistics are PostgreSQL's")
    monkeypatch.setattr(bulk, "ANALYZE_BASE", 10)
    run_import(ledger, write_csv("months.csv", file_rows()))
    with ledger.connect() as connection:
        counted = connection.execute(
            text(
                "SELECT relname, reltuples FROM pg_class WHERE oid IN "
                "(to_regclass('revisions'), to_regclass('current_values'))"
            )
        ).all()
    assert dict(counted) == {"revisions": 36, "current_values": 36}
