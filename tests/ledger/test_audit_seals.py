"""The audit log covers the data: every kind of tampering done with raw SQL is named.

Each test writes a small ledger through esgledger, changes the database behind its back
with SQL, and checks that `verify_ledger` names the row and the kind of break. Cutting off
the tail and rewriting the chain cannot be seen from inside; a checkpoint taken before
catches them (and the tests show that without one they pass unnoticed).
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text

from esgledger.catalog import load_catalog
from esgledger.errors import ErrorKind, EsgError
from esgledger.ledger import audit, checkpoint, revisions, snapshots
from esgledger.ledger.audit import entry_hash
from esgledger.ledger.database import unit_of_work
from esgledger.ledger.imports.apply import import_file
from esgledger.ledger.integrity import CHANGESET_COLUMNS, changeset_hash, revision_hashes
from esgledger.ledger.schema import Changeset
from esgledger.ledger.verify import (
    EDITED_ENTRY,
    EDITED_ROW,
    FORGED,
    INSERTED_ROW,
    MISSING_ROW,
    REWRITTEN,
    TRUNCATED,
    verify_ledger,
)

REO = "production.reo_output"


@pytest.fixture
def filled(ledger, write_csv):
    """Two imports and an approval: changesets 1-3, revisions 1-6, audit entries 1-5."""
    catalog = load_catalog()
    rows = [("SMELT", "2024", REO, 5000, "tREO", ""), ("METAL", "2024", REO, 1200, "tREO", "")]
    with unit_of_work(ledger) as session:
        import_file(session, write_csv("a.csv", rows), "reporter", catalog, submit=True)
    with unit_of_work(ledger) as session:
        revisions.change_status(session, "manager", revisions.APPROVED, revisions.Selection())
    more = [("SMELT", "2023", REO, 4100.5, "tREO", "first year")]
    with unit_of_work(ledger) as session:
        import_file(session, write_csv("b.csv", more), "reporter", catalog)
    return ledger


def verdict(database, *given, key=None):
    with unit_of_work(database) as session:
        return verify_ledger(session, given, key)


def head(database, key=None):
    with unit_of_work(database) as session:
        return checkpoint.current(session, key)


def sql(database, statement, **params):
    with database.begin() as connection:
        return connection.execute(text(statement), params)


def first(result):
    assert not result.ok, "the tampering went unnoticed"
    return result.breaks[0]


def test_an_untouched_ledger_verifies_with_its_checkpoint(filled):
    result = verdict(filled, head(filled))
    assert result.ok, result.breaks
    assert (result.entries, result.revisions, result.checkpoints) == (5, 5, 1)


def test_editing_an_observation_value_names_the_revision(filled):
    sql(filled, "UPDATE revisions SET canonical_value = 4000 WHERE id = 4")
    found = first(verdict(filled))
    assert (found.kind, found.table, found.row) == (EDITED_ROW, "revisions", "4")
    assert "SMELT 2024 production.reo_output" in found.detail


def test_editing_a_changeset_author_names_the_changeset(filled):
    sql(filled, "UPDATE changesets SET author = 'mallory' WHERE id = 1")
    found = first(verdict(filled))
    assert (found.kind, found.table, found.row) == (EDITED_ROW, "changesets", "1")
    assert "author" in found.detail


def test_deleting_a_revision_names_it(filled):
    sql(filled, "DELETE FROM revisions WHERE id = 5")
    found = first(verdict(filled))
    assert (found.kind, found.table, found.row) == (MISSING_ROW, "revisions", "5")


def test_inserting_a_revision_with_a_correct_content_hash_is_still_caught(filled):
    """The forger computes the content hash; no audit entry sealed the row's id."""
    with unit_of_work(filled) as session:
        stored = session.get(Changeset, 2)
        header = {name: getattr(stored, name) for name in CHANGESET_COLUMNS}
    row = {
        **dict.fromkeys(("parent_id", "origin_id", "quality", "comment", "source_sheet")),
        **{"changeset_id": 2, "entity": "METAL", "period": "2023", "indicator": REO},
        **{"value": "9", "unit": "tREO", "canonical_value": 9.0, "canonical_unit": "tREO"},
        **{"status": "approved", "is_tombstone": False, "restatement": False, "source_row": 9},
    }
    row["content_hash"] = revision_hashes([row], changeset_hash(header))[0]
    columns = ", ".join(row)
    sql(filled, f"INSERT INTO revisions ({columns}) VALUES (:{', :'.join(row)})", **row)
    found = first(verdict(filled))
    assert (found.kind, found.table, found.row) == (INSERTED_ROW, "revisions", "6")


def test_editing_an_entry_detail_names_the_entry(filled):
    sql(filled, """UPDATE audit_log SET detail = '{"rows": 1}' WHERE id = 3""")
    found = first(verdict(filled))
    assert (found.kind, found.table, found.row) == (EDITED_ENTRY, "audit_log", "3")


def test_deleting_the_last_entry_is_caught_by_a_checkpoint(filled):
    with unit_of_work(filled) as session:
        audit.record(session, "manager", "login", {})  # the tail seals no data
    kept = head(filled)
    sql(filled, "DELETE FROM audit_log WHERE id = 6")
    assert verdict(filled).ok  # invisible from inside the database
    found = first(verdict(filled, kept))
    assert (found.kind, found.table, found.row) == (TRUNCATED, "audit_log", "6")
    assert "entries 6..6 were deleted" in found.detail


def test_deleting_the_last_entry_that_sealed_data_is_caught_without_a_checkpoint(filled):
    sql(filled, "DELETE FROM audit_log WHERE id = 5")
    found = first(verdict(filled))
    assert (found.kind, found.table, found.row) == (INSERTED_ROW, "changesets", "3")


def test_rewriting_an_entry_and_every_hash_after_it_is_caught_by_a_checkpoint(filled):
    kept = head(filled)
    sql(filled, """UPDATE audit_log SET actor = 'forger' WHERE id = 3""")
    rehash_from(filled, 3)
    assert verdict(filled).ok  # a consistent rewrite: invisible from inside
    found = first(verdict(filled, kept))
    assert (found.kind, found.table, found.row) == (REWRITTEN, "audit_log", "5")


def test_a_snapshot_carries_a_checkpoint_that_catches_a_rewrite(filled):
    with unit_of_work(filled) as session:
        snapshots.take_snapshot(session, "manager")
    sql(filled, """UPDATE audit_log SET actor = 'forger' WHERE id = 2""")
    rehash_from(filled, 2)
    found = first(verdict(filled))
    assert (found.kind, found.table, found.row) == (REWRITTEN, "audit_log", "5")


def test_a_signed_checkpoint_cannot_be_forged_without_the_key(filled):
    key = b"kept in the vault"
    genuine = head(filled, key)
    assert verdict(filled, genuine, key=key).ok
    forged = json.loads(genuine.to_json())
    forged["revisions"] = 99
    found = first(verdict(filled, checkpoint.parse(json.dumps(forged), "file"), key=key))
    assert found.kind == FORGED


def test_a_checkpoint_of_another_format_is_refused_in_chinese(tmp_path):
    kept = tmp_path / "head.json"
    kept.write_text('{"format": "esgledger-audit-checkpoint/0"}', encoding="utf-8")
    with pytest.raises(checkpoint.CheckpointError) as refused:
        checkpoint.read_file(kept)
    assert refused.value.code == "checkpoint.malformed"
    assert refused.value.render("zh").startswith(f"{kept} 不是 esgledger 审计检查点（")
    assert "esgledger audit checkpoint --out FILE" in refused.value.render("zh")


def test_a_missing_checkpoint_file_is_refused_in_chinese(tmp_path):
    with pytest.raises(checkpoint.CheckpointError) as refused:
        checkpoint.read_file(tmp_path / "gone.json")
    assert refused.value.code == "checkpoint.unreadable"
    assert refused.value.render("zh").startswith(f"无法读取检查点 {tmp_path / 'gone.json'}：")


def test_a_mangled_snapshot_checkpoint_names_the_snapshot(filled):
    with unit_of_work(filled) as session:
        snapshots.take_snapshot(session, "manager")
    sql(filled, "UPDATE snapshots SET audit_checkpoint = '{}'")
    found = first(verdict(filled))
    assert (found.table, found.row) == ("snapshots", "1")
    assert "snapshot 1 is not an esgledger audit checkpoint" in found.detail


def test_editing_an_entity_or_a_lock_names_the_row(filled):
    sql(filled, "UPDATE entities SET ownership_share = 1.0 WHERE code = 'SMELT'")
    found = first(verdict(filled))
    assert (found.kind, found.table, found.row) == (EDITED_ROW, "entities", "SMELT")


def rehash_from(database, first_id):
    """What a forger with write access does: recompute every hash from an entry on."""
    with database.begin() as connection:
        rows = (
            connection.execute(
                text("SELECT * FROM audit_log WHERE id >= :i ORDER BY id"), {"i": first_id - 1}
            )
            .mappings()
            .all()
        )
        prev = None
        for row in rows:
            if prev is None:
                prev = row["entry_hash"]
                continue
            at = row["at"] if isinstance(row["at"], str) else row["at"].isoformat()
            at = at.replace(" ", "T")
            digest = entry_hash(
                row["id"], at, row["actor"], row["action"], row["detail"], prev, row["seal"]
            )
            connection.execute(
                text("UPDATE audit_log SET prev_hash = :p, entry_hash = :h WHERE id = :i"),
                {"p": prev, "h": digest, "i": row["id"]},
            )
            prev = digest


def test_a_write_path_that_forgets_its_audit_entry_is_refused_as_a_bug(ledger):
    refused = pytest.raises(EsgError, match="without an audit entry")
    with refused as raised, unit_of_work(ledger) as session:
        revisions.open_changeset(session, "someone", "import")
    assert raised.value.kind is ErrorKind.BUG
    assert verdict(ledger).ok  # nothing of it was kept


def test_a_write_committed_while_verifying_is_not_taken_for_tampering(filled, monkeypatch):
    """Verify reads one moment: a write between reading the log and the rows is not seen."""
    from esgledger.ledger import verify

    walk = verify._walk_chain

    def walk_then_write(session):
        chain = walk(session)
        with unit_of_work(filled) as other:
            revisions.change_status(other, "manager", revisions.SUBMITTED, revisions.Selection())
        return chain

    monkeypatch.setattr(verify, "_walk_chain", walk_then_write)
    assert verdict(filled).ok
    monkeypatch.undo()
    assert verdict(filled).ok and verdict(filled).revisions == 6
