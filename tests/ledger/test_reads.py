"""The ledger's read API (ledger/reads), on SQLite and PostgreSQL: what pages, routers,
commands and the report read instead of querying the tables themselves."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from tests.ledger.test_revisions import REO, step

from esgledger.catalog import load_catalog
from esgledger.errors import EsgError
from esgledger.ledger import calendar
from esgledger.ledger.database import unit_of_work, utcnow
from esgledger.ledger.entry import restate
from esgledger.ledger.imports.apply import import_file
from esgledger.ledger.reads.audit_export import audit_csv
from esgledger.ledger.reads.audit_log import AuditFilter, audit_page, newest_audit_id
from esgledger.ledger.reads.observations import restated_values, revisions_by_id
from esgledger.ledger.reads.snapshots import (
    newest_snapshot_id,
    snapshot_by_id,
    snapshot_id_with_hash,
)
from esgledger.ledger.revisions import APPROVED, Selection, latest_revisions
from esgledger.ledger.snapshots import take_snapshot


@pytest.fixture
def restated(ledger, write_csv):
    """SMELT's and METAL's 2024 output imported by two users, approved, locked, and SMELT's
    restated; then a snapshot."""
    for user, entity in (("reporter", "SMELT"), ("=metal", "METAL")):
        path = write_csv(f"{entity}.csv", [(entity, "2024", REO, 5000, "tREO", "")])
        with unit_of_work(ledger) as session:
            import_file(session, path, user, load_catalog(), submit=True)
    step(ledger, APPROVED)
    with unit_of_work(ledger) as session:
        calendar.lock_period(session, "manager", "2024")
        restate(
            session, "manager", load_catalog(), entity="SMELT", period="2024", indicator=REO,
            value=5100.0, unit="tREO", reason="meter recalibrated",
        )  # fmt: skip
        take_snapshot(session, "manager")
    return ledger


def _actions(session, **where) -> list[str]:
    entries, _ = audit_page(session, AuditFilter(**where), 0, 100)
    return [entry.action for entry in entries]


def test_revisions_are_read_by_id_and_unknown_ids_are_absent(restated):
    with unit_of_work(restated) as session:
        current = latest_revisions(session, Selection(["SMELT"]))[0]
        found = revisions_by_id(session, [current.id, 10**6])
        assert list(found) == [current.id]
        assert found[current.id].canonical_value == 5100.0
        assert revisions_by_id(session, []) == {}


def test_a_snapshot_lists_its_restated_values_with_the_reason(restated):
    with unit_of_work(restated) as session:
        shot = newest_snapshot_id(session)
        (value,) = restated_values(session, shot)
    assert (value.entity, value.period, value.indicator) == ("SMELT", "2024", REO)
    assert value.reason == "meter recalibrated"
    assert value.at.date() == utcnow().date()


def test_snapshots_are_found_by_id_and_by_content_hash(restated):
    with unit_of_work(restated) as session:
        newest = newest_snapshot_id(session)
        shot = snapshot_by_id(session, newest)
        assert shot is not None and snapshot_id_with_hash(session, shot.content_hash) == newest
        assert snapshot_id_with_hash(session, "0" * 64) is None
        assert snapshot_by_id(session, 0) is None and snapshot_by_id(session, newest + 1) is None


def test_no_snapshot_reads_as_id_zero(ledger):
    with unit_of_work(ledger) as session:
        assert newest_snapshot_id(session) == 0


def test_the_audit_log_is_read_newest_first_a_page_at_a_time(restated):
    with unit_of_work(restated) as session:
        everything, total = audit_page(session, AuditFilter(), 0, 1000)
        page, same_total = audit_page(session, AuditFilter(), 2, 3)
        assert newest_audit_id(session) == everything[0].id
    ids = [entry.id for entry in everything]
    assert ids == sorted(ids, reverse=True) and total == len(ids) == same_total
    assert [entry.id for entry in page] == ids[2:5]


def test_the_audit_log_filters_by_actor_and_action(restated):
    with unit_of_work(restated) as session:
        assert _actions(session, actor="=metal") == ["import"]
        assert set(_actions(session, action="import")) == {"import"}
        assert len(_actions(session, action="import")) == 2
        assert _actions(session, actor="manager", action="restate") == ["restate"]


def test_the_entity_filter_finds_its_changesets_restatements_and_org_changes(restated):
    with unit_of_work(restated) as session:
        smelt = _actions(session, entity="SMELT")
        metal = _actions(session, entity="METAL")
        # METAL's revisions were never restated, and the lock names no entity
    assert smelt == ["restate", "approved", "import"]
    assert metal == ["approved", "import"]


def test_the_day_range_includes_both_of_its_days(restated):
    today = utcnow().date()
    with unit_of_work(restated) as session:
        everything = _actions(session)
        assert _actions(session, first_day=today, last_day=today) == everything
        assert _actions(session, last_day=today - timedelta(days=1)) == []
        assert _actions(session, first_day=today + timedelta(days=1)) == []


def test_a_day_range_that_ends_before_it_starts_is_refused():
    with pytest.raises(EsgError, match=r"starts on 2024-05-02, after the day it ends"):
        AuditFilter(first_day=date(2024, 5, 2), last_day=date(2024, 5, 1))


def test_the_csv_export_holds_every_match_and_keeps_text_from_running(restated):
    with unit_of_work(restated) as session:
        exported = audit_csv(session, AuditFilter(action="import"))
    rows = list(csv.DictReader(io.StringIO(exported)))
    assert [row["action"] for row in rows] == ["import", "import"]
    assert rows[0]["actor"] == "'=metal"  # a spreadsheet shows it, does not run it
    assert rows[1]["actor"] == "reporter"


def test_the_ledger_version_moves_with_every_write(restated):
    with unit_of_work(restated) as session:
        before = newest_audit_id(session)
        calendar.open_years(session, "manager", [2025])
    with unit_of_work(restated) as session:
        assert newest_audit_id(session) > before
