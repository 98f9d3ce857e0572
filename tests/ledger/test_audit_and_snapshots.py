"""The audit log detects tampering; snapshots hash the approved content."""

from __future__ import annotations

import hashlib

from sqlalchemy import text

from esgledger.catalog import load_catalog
from esgledger.ledger import revisions, snapshots
from esgledger.ledger.audit import hash_of, verify_chain
from esgledger.ledger.database import unit_of_work
from esgledger.ledger.imports.apply import import_file
from esgledger.ledger.schema import AuditEntry

REO = "production.reo_output"


def populate(database, write_csv, value=5000):
    with unit_of_work(database) as session:
        import_file(
            session,
            write_csv(f"v{value}.csv", [("SMELT", "2024", REO, value, "tREO", "")]),
            "reporter",
            load_catalog(),
            submit=True,
        )
        revisions.change_status(session, "manager", revisions.APPROVED, revisions.Selection())


def check(database):
    with unit_of_work(database) as session:
        return verify_chain(session)


def test_every_write_is_in_an_intact_chain(ledger, write_csv):
    populate(ledger, write_csv)
    result = check(ledger)
    # calendar, org load, import, approve
    assert result.ok and result.entries == 4


def test_changing_a_past_entry_is_detected(ledger, write_csv):
    populate(ledger, write_csv)
    with ledger.begin() as connection:
        connection.execute(text("UPDATE audit_log SET actor = 'someone-else' WHERE id = 2"))
    result = check(ledger)
    assert (result.ok, result.broken_at) == (False, 2)
    assert "content no longer matches its hash" in result.problem


def test_deleting_a_past_entry_is_detected(ledger, write_csv):
    populate(ledger, write_csv)
    with ledger.begin() as connection:
        connection.execute(text("DELETE FROM audit_log WHERE id = 2"))
    result = check(ledger)
    assert (result.ok, result.broken_at) == (False, 3)
    assert "entry 2 is missing" in result.problem


def test_rewriting_an_entry_with_a_fresh_hash_breaks_the_next_link(ledger, write_csv):
    populate(ledger, write_csv)
    with unit_of_work(ledger) as session:
        entry = session.get(AuditEntry, 2)
        entry.actor = "forger"
        entry.entry_hash = hash_of(entry)
    result = check(ledger)
    assert (result.ok, result.broken_at) == (False, 3)
    assert "link to the previous entry does not match" in result.problem


def test_snapshot_hash_depends_on_content_only(ledger, write_csv):
    populate(ledger, write_csv)
    with unit_of_work(ledger) as session:
        first = snapshots.take_snapshot(session, "manager")
    with unit_of_work(ledger) as session:
        again = snapshots.take_snapshot(session, "manager")
        held = snapshots.snapshot_values(session, first.id)
    assert again.id == first.id
    assert [(v.entity, v.value) for v in held] == [("SMELT", 5000.0)]
    populate(ledger, write_csv, value=5100)
    with unit_of_work(ledger) as session:
        changed = snapshots.take_snapshot(session, "manager")
    assert changed.content_hash != first.content_hash and changed.id != first.id


def test_content_hash_is_the_documented_sha256():
    value = snapshots.ApprovedValue("A", "2024", "x.y", 1.5, "t", 7, None)
    assert snapshots.content_hash([value]) == hashlib.sha256(b"A|2024|x.y|1.5|t\n").hexdigest()
