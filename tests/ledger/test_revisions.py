"""The write path: append-only revisions, workflow statuses, tombstones, as-of queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from esgledger.catalog import load_catalog
from esgledger.ledger import calendar, revisions, snapshots
from esgledger.ledger.calendar import LockError
from esgledger.ledger.database import unit_of_work, utcnow
from esgledger.ledger.frames import approved_frame
from esgledger.ledger.imports.apply import import_file
from esgledger.ledger.revisions import APPROVED, REJECTED, SUBMITTED, Selection, WorkflowError
from esgledger.ledger.schema import Revision

REO = "production.reo_output"


def load(database, path, submit=True):
    with unit_of_work(database) as session:
        import_file(session, path, "reporter", load_catalog(), submit=submit)


def step(database, status, **options):
    with unit_of_work(database) as session:
        return revisions.change_status(session, "manager", status, Selection(), **options)


def approved(database, as_of=None):
    with unit_of_work(database) as session:
        return {
            (v.entity, v.period, v.indicator): v.value
            for v in snapshots.approved_as_of(session, as_of)
        }


def all_rows(database):
    with unit_of_work(database) as session:
        return [
            (r.id, r.canonical_value, r.status, r.is_tombstone)
            for r in session.scalars(select(Revision).order_by(Revision.id))
        ]


def test_status_changes_append_revisions_and_never_rewrite_old_ones(ledger, write_csv):
    load(ledger, write_csv("a.csv", [("SMELT", "2024", REO, 5000, "tREO", "")]))
    before = all_rows(ledger)
    assert step(ledger, APPROVED) == 1
    after = all_rows(ledger)
    assert after[: len(before)] == before
    assert [row[2] for row in after] == [SUBMITTED, APPROVED]


def test_approved_value_stays_until_a_correction_is_approved(ledger, write_csv):
    load(ledger, write_csv("a.csv", [("SMELT", "2024", REO, 5000, "tREO", "")]))
    step(ledger, APPROVED)
    load(ledger, write_csv("b.csv", [("SMELT", "2024", REO, 5200, "tREO", "")]))
    assert approved(ledger) == {("SMELT", "2024", REO): 5000.0}
    step(ledger, APPROVED)
    assert approved(ledger) == {("SMELT", "2024", REO): 5200.0}


def test_approved_value_as_of_an_earlier_time(ledger, write_csv):
    load(ledger, write_csv("a.csv", [("SMELT", "2024", REO, 5000, "tREO", "")]))
    step(ledger, APPROVED)
    between = utcnow()
    load(ledger, write_csv("b.csv", [("SMELT", "2024", REO, 5200, "tREO", "")]))
    step(ledger, APPROVED)
    assert approved(ledger, between) == {("SMELT", "2024", REO): 5000.0}
    assert approved(ledger, between - timedelta(days=1)) == {}


def test_deletion_is_a_tombstone_that_keeps_the_history(ledger, write_csv):
    load(ledger, write_csv("a.csv", [("SMELT", "2024", REO, 5000, "tREO", "")]))
    step(ledger, APPROVED)
    with unit_of_work(ledger) as session:
        assert revisions.delete(session, "reporter", Selection(["SMELT"]), "entered twice") == 1
    step(ledger, SUBMITTED)
    step(ledger, APPROVED)
    assert approved(ledger) == {}
    with unit_of_work(ledger) as session:
        trail = revisions.history(session, "SMELT", "2024", REO)
    assert [(r.status, r.is_tombstone) for r, _ in trail] == [
        ("submitted", False),
        ("approved", False),
        ("draft", True),
        ("submitted", True),
        ("approved", True),
    ]
    assert trail[2][1].reason == "entered twice"


def test_a_page_of_current_observations_leaves_deletions_out_and_counts_the_rest(ledger, write_csv):
    rows = [("SMELT", f"2024-{m:02d}", REO, 100 * m, "tREO", "") for m in range(1, 6)]
    load(ledger, write_csv("a.csv", rows))
    with unit_of_work(ledger) as session:
        revisions.delete(session, "reporter", Selection(["SMELT"], ["2024-02"]), "entered twice")
    with unit_of_work(ledger) as session:
        page, total = revisions.current_page(session, offset=1, limit=2)
        assert total == 4
        assert [(r.period, r.canonical_value) for r in page] == [("2024-03", 300), ("2024-04", 400)]
        submitted, total_submitted = revisions.current_page(session, status="submitted", limit=10)
        assert total_submitted == 4
        assert [r.period for r in submitted] == ["2024-01", "2024-03", "2024-04", "2024-05"]


def test_rejection_needs_a_reason_and_sends_the_value_back(ledger, write_csv):
    load(ledger, write_csv("a.csv", [("SMELT", "2024", REO, 5000, "tREO", "")]))
    with pytest.raises(WorkflowError, match="needs a reason"):
        step(ledger, REJECTED)
    assert step(ledger, REJECTED, reason="unit looks wrong") == 1
    assert step(ledger, APPROVED) == 0  # a rejected value must be resubmitted first
    assert step(ledger, SUBMITTED) == 1


def test_drafts_are_approved_only_when_asked(ledger, write_csv):
    load(ledger, write_csv("a.csv", [("SMELT", "2024", REO, 5000, "tREO", "")]), submit=False)
    assert step(ledger, APPROVED) == 0
    assert step(ledger, APPROVED, include_drafts=True) == 1


def test_a_period_locks_only_when_everything_in_it_is_approved(ledger, write_csv):
    load(
        ledger,
        write_csv("a.csv", [("SMELT", "2024-01", "energy.purchased_electricity", 10, "MWh", "")]),
    )
    with unit_of_work(ledger) as session, pytest.raises(LockError, match="1 submitted"):
        calendar.lock_period(session, "manager", "2024")
    step(ledger, APPROVED)
    with unit_of_work(ledger) as session:
        assert calendar.lock_period(session, "manager", "2024") == 1
    assert all_rows(ledger)[-1][2] == "locked"
    assert approved(ledger) == {("SMELT", "2024-01", "energy.purchased_electricity"): 10.0}
    with unit_of_work(ledger) as session, pytest.raises(LockError, match="already locked"):
        calendar.lock_period(session, "manager", "2024-01")


def test_the_engine_frame_comes_in_byte_order_and_says_so(ledger, write_csv):
    # in a locale's collation "independent_directors" sorts before "independent_director_special…"
    ids = ["gov.independent_directors", "gov.independent_director_special_meetings", REO]
    rows = [(e, "2024", i, 3, "", "") for e in ("SMELT", "METAL") for i in ids]
    load(ledger, write_csv("a.csv", rows))
    step(ledger, APPROVED)
    with unit_of_work(ledger) as session:
        frame = approved_frame(session, utcnow())
    keys = list(zip(frame["indicator"], frame["entity"], frame["period"], strict=True))
    assert keys == sorted(keys) and len(keys) == 6
    assert frame["indicator"].flags["SORTED_ASC"]
