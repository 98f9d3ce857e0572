"""Writes into a locked period are refused by the ledger itself, whoever calls it."""

from __future__ import annotations

import pytest
from tests.ledger.test_revisions import REO, all_rows, step

from esgledger.catalog import load_catalog
from esgledger.errors import ErrorKind, EsgError, NotFoundError
from esgledger.ledger import calendar, revisions
from esgledger.ledger.calendar import LockError
from esgledger.ledger.database import unit_of_work
from esgledger.ledger.entry import restate
from esgledger.ledger.imports.apply import import_file
from esgledger.ledger.revisions import APPROVED, Selection
from esgledger.units import UnitError


@pytest.fixture
def locked_2024(ledger, write_csv):
    """SMELT's 2024 output, approved and locked."""
    path = write_csv("a.csv", [("SMELT", "2024", REO, 5000, "tREO", "")])
    with unit_of_work(ledger) as session:
        import_file(session, path, "reporter", load_catalog(), submit=True)
    step(ledger, APPROVED)
    with unit_of_work(ledger) as session:
        calendar.lock_period(session, "manager", "2024")
    return ledger


def test_deleting_a_locked_value_is_refused_and_writes_nothing(locked_2024):
    before = all_rows(locked_2024)
    with (
        pytest.raises(LockError, match=rf"cannot delete SMELT 2024 {REO}: the period is locked"),
        unit_of_work(locked_2024) as session,
    ):
        revisions.delete(session, "reporter", Selection(["SMELT"]), "entered twice")
    assert all_rows(locked_2024) == before


def test_a_deletion_touching_one_locked_value_deletes_none_of_the_open_ones(locked_2024, write_csv):
    path = write_csv("b.csv", [("SMELT", "2023", REO, 4000, "tREO", "")])
    with unit_of_work(locked_2024) as session:
        import_file(session, path, "reporter", load_catalog())
    before = all_rows(locked_2024)
    with (
        pytest.raises(LockError, match=r"restating") as caught,
        unit_of_work(locked_2024) as session,
    ):
        revisions.delete(session, "reporter", Selection(["SMELT"]), "entered twice")
    assert "2023" not in str(caught.value)
    assert caught.value.kind is ErrorKind.USER
    assert all_rows(locked_2024) == before


def restating(database, **change):
    values = {"entity": "SMELT", "indicator": REO, "unit": "tREO"} | change
    with unit_of_work(database) as session:
        return restate(
            session, "manager", load_catalog(), period="2024", value=5100.0,
            reason="audit adjustment", **values,
        )  # fmt: skip


def test_a_restatement_of_a_locked_value_is_written_locked_and_flagged(locked_2024):
    revision = restating(locked_2024)
    assert (revision.status, revision.restatement, revision.canonical_value) == (
        "locked",
        True,
        5100.0,
    )


@pytest.mark.parametrize(
    ("change", "error", "message"),
    [
        ({"entity": "SMELTT"}, NotFoundError, r"unknown entity 'SMELTT'.*did you mean 'SMELT'"),
        ({"indicator": "production.reo_outptu"}, NotFoundError, r"unknown indicator .*did you"),
        ({"indicator": "materials.intensity"}, EsgError, r"computed, not collected"),
        ({"unit": "MWh"}, UnitError, r"'MWh' cannot be converted to 'tREO'"),
        ({"unit": "tonnes of stuff"}, UnitError, r"unknown unit 'tonnes of stuff'"),
    ],
    ids=["unknown entity", "unknown indicator", "derived indicator", "wrong unit", "bad unit"],
)
def test_a_restatement_naming_what_does_not_exist_is_refused(locked_2024, change, error, message):
    before = all_rows(locked_2024)
    with pytest.raises(error, match=message) as caught:
        restating(locked_2024, **change)
    assert caught.value.kind is ErrorKind.USER
    assert all_rows(locked_2024) == before
