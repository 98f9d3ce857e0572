"""A ledger written before seals existed is sealed by the upgrade, and then verifies."""

from __future__ import annotations

from datetime import datetime

from alembic import command
from sqlalchemy import text

from esgledger.ledger.audit import GENESIS_HASH, entry_hash
from esgledger.ledger.database import _alembic_config, migrate, unit_of_work
from esgledger.ledger.verify import EDITED_ROW, verify_ledger

AT = datetime(2025, 3, 1, 9, 30, 0, 123456)


def old_ledger(database):
    """Schema 0005 (before seals): one year, one entity, a changeset of two revisions, an entry."""
    command.downgrade(_alembic_config(database), "0005")
    detail = '{"changeset": 1}'
    with database.begin() as c:
        c.execute(text("INSERT INTO reporting_years (year) VALUES (2024)"))
        c.execute(
            text(
                "INSERT INTO entities (code, name_en, name_zh, kind, ownership_share, "
                "operational_control, financial_control, tags) "
                "VALUES ('A', 'A', 'A', 'group', 1.0, true, true, '')"
            )
        )
        c.execute(
            text(
                "INSERT INTO changesets (id, author, created_at, action) "
                "VALUES (1, 'old', :at, 'import')"
            ),
            {"at": AT},
        )
        for rid, value in ((1, 10.5), (2, 20.0)):
            c.execute(
                text(
                    "INSERT INTO revisions (id, changeset_id, entity, period, indicator, value, "
                    "unit, canonical_value, canonical_unit, status, is_tombstone, restatement) "
                    "VALUES (:id, 1, 'A', '2024', :ind, :v, 't', :cv, 't', 'draft', false, false)"
                ),
                {"id": rid, "ind": f"x.{rid}", "v": str(value), "cv": value},
            )
        old_hash = entry_hash(1, AT.isoformat(), "old", "import", detail, GENESIS_HASH, None)
        c.execute(
            text(
                "INSERT INTO audit_log (id, at, actor, action, detail, prev_hash, entry_hash) "
                "VALUES (1, :at, 'old', 'import', :d, :p, :h)"
            ),
            {"at": AT, "d": detail, "p": GENESIS_HASH, "h": old_hash},
        )


def test_the_upgrade_seals_existing_rows_and_the_ledger_verifies(database):
    old_ledger(database)
    migrate(database)
    with unit_of_work(database) as session:
        result = verify_ledger(session)
        baseline = session.execute(text("SELECT action FROM audit_log WHERE id = 2")).scalar()
    assert result.ok, result.breaks
    assert (result.entries, result.revisions, baseline) == (2, 2, "audit.baseline")


def test_rows_written_before_the_upgrade_are_covered_after_it(database):
    old_ledger(database)
    migrate(database)
    with database.begin() as connection:
        connection.execute(text("UPDATE revisions SET canonical_value = 11 WHERE id = 1"))
    with unit_of_work(database) as session:
        found = verify_ledger(session).breaks[0]
    assert (found.kind, found.table, found.row) == (EDITED_ROW, "revisions", "1")
