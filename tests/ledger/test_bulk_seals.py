"""Register records written in bulk are sealed with a few statements and stay tamper-evident.

A batch larger than one sealing chunk (``sealing._KEYS_PER_QUERY``) is written with one
``append_records`` call; the seal its audit entry keeps must be exactly what sealing each
row on its own gives (a reference written here, one SELECT per row, as sealing was before),
and an edited, deleted or inserted record of the batch must still be named by
``verify_ledger`` on both backends.
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, select, text

from esgledger.errors import EsgError
from esgledger.ledger import sealing
from esgledger.ledger.database import unit_of_work
from esgledger.ledger.integrity import row_hash
from esgledger.ledger.records import RecordChange, append_records
from esgledger.ledger.schema import AuditEntry
from esgledger.ledger.verify import EDITED_ROW, INSERTED_ROW, MISSING_ROW, verify_ledger

REGISTER = "bench.things"
COUNT = sealing._KEYS_PER_QUERY + 500  # two chunks: the second must be sealed too


def write_batch(database, count=COUNT):
    changes = [
        RecordChange(f"K-{n:05d}", {"n": n, "name": f"thing {n}"}, entity=f"E{n % 7}")
        for n in range(count)
    ]
    with unit_of_work(database) as session:
        written = append_records(session, REGISTER, changes, actor="li", action="things.load")
    return written


def one_by_one(connection, keys):
    """The reference: each row looked up by itself, as ``seal_row`` used to do."""
    table = sealing.SEALED_TABLES["register_records"]
    seal = {}
    for key in keys:
        found = connection.execute(select(table).where(table.c.id == int(key))).mappings().first()
        seal[key] = row_hash(table.name, found) if found else None
    return seal


def last_seal(database):
    with unit_of_work(database) as session:
        entry = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        return json.loads(entry.seal)


def verdict(database):
    with unit_of_work(database) as session:
        return verify_ledger(session)


def test_a_bulk_batch_seals_every_row_exactly_as_row_by_row_sealing(database):
    written = write_batch(database)
    assert [w.version for w in written] == [1] * COUNT
    assert len({w.id for w in written}) == COUNT
    sealed = last_seal(database)["rows"]["register_records"]
    assert sorted(sealed, key=int) == [str(w.id) for w in written]
    with database.connect() as connection:
        assert sealed == one_by_one(connection, list(sealed))
    assert verdict(database).ok


def test_composite_keys_seal_as_row_by_row(database):
    """A table keyed by two columns (read with a tuple IN): the same seal as one by one."""
    probe = Table(
        "seal_probe",
        MetaData(),
        Column("site", String(10), primary_key=True),
        Column("year", Integer, primary_key=True, autoincrement=False),
        Column("note", String(20)),
    )
    with database.begin() as connection:
        probe.create(connection)
        connection.execute(
            probe.insert(),
            [{"site": f"S{n % 3}", "year": 2020 + n, "note": str(n)} for n in range(9)],
        )
        keys = [sealing.key_of(probe, r) for r in connection.execute(select(probe)).mappings()]
        keys.append("S9|2031")  # a row that does not exist seals as None
        bulk = sealing.seal_rows(connection, probe, keys)
        single = {}
        for key in keys:
            site, year = key.split("|")
            where = (probe.c.site == site, probe.c.year == int(year))
            row = connection.execute(select(probe).where(*where)).mappings().first()
            single[key] = row_hash(probe.name, row) if row else None
        probe.drop(connection)
    assert bulk == single and bulk["S9|2031"] is None and len(bulk) == 10


def test_an_edited_deleted_or_inserted_record_of_a_bulk_batch_is_named(database):
    written = write_batch(database)
    assert verdict(database).ok
    edited, deleted = written[-3].id, written[COUNT // 2].id  # one in each chunk
    with database.begin() as connection:
        connection.execute(
            text("UPDATE register_records SET payload = '{\"n\":-1}' WHERE id = :i"), {"i": edited}
        )
        connection.execute(text("DELETE FROM register_records WHERE id = :i"), {"i": deleted})
        connection.execute(
            text(
                "INSERT INTO register_records (register, record_key, version, entity, payload, "
                "retired, author, recorded_at, reason) SELECT register, record_key, 2, entity, "
                "payload, retired, author, recorded_at, reason FROM register_records WHERE id = :i"
            ),
            {"i": written[0].id},
        )
    found = {(b.kind, b.table, b.row) for b in verdict(database).breaks}
    inserted = max(w.id for w in written) + 1
    assert found == {
        (EDITED_ROW, "register_records", str(edited)),
        (MISSING_ROW, "register_records", str(deleted)),
        (INSERTED_ROW, "register_records", str(inserted)),
    }


def test_a_commit_without_the_audit_entry_is_refused_for_core_writes(database):
    """Rows noted as written by a Core statement must be sealed before the commit."""
    with (
        pytest.raises(EsgError, match="without an audit entry"),
        unit_of_work(database) as session,
    ):
        sealing.note_written(session, "register_records", ["999"])
