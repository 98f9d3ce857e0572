"""Each observation's history is one chain, whatever writes to the database.

The concurrency tests with real parallel clients are in tests/api/test_concurrency.py;
these check the guards themselves: the database indexes of migration 0004 (which must
refuse a fork written past the code), the compare-and-set in ``revisions.append``, and
the migration's refusal of a ledger that is already forked.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import insert, select, text
from sqlalchemy.exc import IntegrityError

from esgledger.ledger import audit, revisions
from esgledger.ledger.chain import ConflictError
from esgledger.ledger.database import (
    DatabaseError,
    _alembic_config,
    migrate,
    open_database,
    unit_of_work,
)
from esgledger.ledger.decisions import change_status_of
from esgledger.ledger.revisions import DRAFT, SUBMITTED, Selection
from esgledger.ledger.schema import Revision

REO = "production.reo_output"


def _row(parent_id: int | None, value: float, key: tuple = ("SMELT", "2024", REO)) -> dict:
    entity, period, indicator = key
    return {
        "entity": entity,
        "period": period,
        "indicator": indicator,
        "value": str(value),
        "unit": "tREO",
        "canonical_value": value,
        "canonical_unit": "tREO",
        "status": DRAFT,
        "is_tombstone": False,
        "restatement": False,
        "parent_id": parent_id,
    }


def _raw_insert(session, row: dict) -> None:
    """A write that bypasses the ledger's code, as another program or a bug would."""
    changeset = revisions.open_changeset(session, "someone", "import")
    session.execute(insert(Revision), [{**row, "changeset_id": changeset.id}])
    _audited(session)


def _audited(session) -> None:
    """The audit entry every write needs (a commit without one is refused as a bug)."""
    audit.record(session, "tester", "import", {})


def _first(database) -> int:
    with unit_of_work(database) as session:
        changeset = revisions.open_changeset(session, "tester", "import")
        revisions.append(session, changeset, [_row(None, 1.0)])
        _audited(session)
        return session.scalar(select(Revision.id))


def test_the_database_refuses_a_second_successor_of_a_revision(ledger):
    root = _first(ledger)
    with unit_of_work(ledger) as session:
        _raw_insert(session, _row(root, 2.0))
    with pytest.raises(IntegrityError), unit_of_work(ledger) as session:
        _raw_insert(session, _row(root, 3.0))
    with unit_of_work(ledger) as session:
        assert session.scalars(select(Revision.value).order_by(Revision.id)).all() == ["1.0", "2.0"]


def test_the_database_refuses_a_second_first_revision_of_an_observation(ledger):
    _first(ledger)
    with pytest.raises(IntegrityError), unit_of_work(ledger) as session:
        _raw_insert(session, _row(None, 9.0))
    with unit_of_work(ledger) as session:  # another observation may start, of course
        _raw_insert(session, _row(None, 9.0, ("METAL", "2024", REO)))


def test_appending_onto_a_superseded_revision_is_a_conflict_and_writes_nothing(ledger):
    root = _first(ledger)
    with unit_of_work(ledger) as session:
        revisions.append(session, revisions.open_changeset(session, "a", "import"), [_row(root, 2)])
        _audited(session)
    with pytest.raises(ConflictError) as refused, unit_of_work(ledger) as session:
        changeset = revisions.open_changeset(session, "b", "import")
        revisions.append(session, changeset, [_row(root, 3), _row(None, 4)])
    assert "changed meanwhile" in refused.value.message
    assert "SMELT 2024 production.reo_output" in refused.value.message
    assert "reload" in refused.value.message.lower()
    with unit_of_work(ledger) as session:
        assert session.scalar(text("SELECT COUNT(*) FROM revisions")) == 2
        assert session.scalar(text("SELECT COUNT(*) FROM changesets")) == 2


def test_a_fork_that_slips_past_the_check_is_the_same_conflict_not_a_crash(
    ledger, monkeypatch: pytest.MonkeyPatch
):
    """The index is the last guard: its violation reads as a lost race, not a traceback."""
    root = _first(ledger)
    with unit_of_work(ledger) as session:
        revisions.append(session, revisions.open_changeset(session, "a", "import"), [_row(root, 2)])
        _audited(session)
    monkeypatch.setattr(revisions, "refuse_stale", lambda session, rows: None)
    with pytest.raises(ConflictError, match="changed meanwhile"), unit_of_work(ledger) as session:
        revisions.append(session, revisions.open_changeset(session, "b", "import"), [_row(root, 3)])


def test_a_decision_names_its_revisions_and_refuses_a_superseded_one(ledger):
    root = _first(ledger)
    with unit_of_work(ledger) as session:
        revisions.change_status(session, "reporter", SUBMITTED, Selection())
    with unit_of_work(ledger) as session:
        (submitted,) = revisions.latest_revisions(session)
        moved = change_status_of(session, "manager", revisions.APPROVED, [submitted.id])
        assert [r.id for r in moved] == [submitted.id]
    with pytest.raises(ConflictError), unit_of_work(ledger) as session:
        change_status_of(session, "manager", revisions.REJECTED, [submitted.id], reason="late")
    with pytest.raises(revisions.WorkflowError, match="not submitted"), unit_of_work(ledger) as s:
        (approved,) = revisions.latest_revisions(s)
        change_status_of(s, "manager", revisions.APPROVED, [approved.id])
    with unit_of_work(ledger) as session:
        statuses = session.scalars(select(Revision.status).order_by(Revision.id)).all()
    assert statuses == [DRAFT, SUBMITTED, revisions.APPROVED]
    assert root


def test_upgrading_a_ledger_that_is_already_forked_is_refused_and_names_it(tmp_path: Path):
    database = open_database(f"sqlite:///{tmp_path / 'old.db'}")
    command.upgrade(_alembic_config(database), "0003")
    with database.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO changesets (id, author, created_at, action) "
                "VALUES (1, 'x', '2024-01-01 00:00:00', 'import')"
            )
        )
        for rid, parent, value in ((1, None, 1), (2, 1, 2), (3, 1, 3)):
            connection.execute(
                insert(Revision.__table__),
                [{**_row(parent, value), "id": rid, "changeset_id": 1}],
            )
    with pytest.raises(DatabaseError, match=r"SMELT 2024 production.reo_output .*revision 1") as no:
        migrate(database)
    assert no.value.code == "database.fork.refused"
    assert no.value.render("zh").startswith(
        "无法升级台账：1 个观测值的历史出现分叉（两次保存或审核同时写入）："
        "SMELT 2024 production.reo_output（修订 1 有两个后继）。未做任何改动。"
    )
    with database.connect() as connection:  # untouched, still at 0003
        assert connection.scalar(text("SELECT version_num FROM alembic_version")) == "0003"
        assert connection.scalar(text("SELECT COUNT(*) FROM revisions")) == 3
    database.dispose()
