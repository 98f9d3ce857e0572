"""The demo's safety register reconciles with the demo's typed yearly totals."""

from __future__ import annotations

from datetime import date

import pytest

from esgledger.catalog import load_catalog
from esgledger.ledger.database import open_database, unit_of_work
from esgledger.safety.reconcile import Agreement, reconcile
from tests.safety.helpers import MANAGER


@pytest.fixture(scope="module")
def demo_reconciliation(demo_ledger):
    database = open_database(demo_ledger.url)
    with unit_of_work(database) as session:
        found = reconcile(session, MANAGER, load_catalog(), [2022, 2023, 2024], date(2025, 1, 31))
    database.dispose()
    return found


def test_the_register_counts_equal_the_report_and_the_typed_totals(demo_reconciliation):
    group = {
        (line.indicator, line.year): (line.register, line.typed, line.agreement)
        for line in demo_reconciliation.lines
        if line.entity == "group"
    }
    assert group["safety.hazards_identified", 2024] == (4562, 4562.0, Agreement.MATCH)
    assert group["safety.hazards_corrected", 2024] == (4562, 4562.0, Agreement.MATCH)
    assert group["safety.emergency_drills", 2024] == (472, 472.0, Agreement.MATCH)
    assert group["safety.major_hazards_identified", 2024] == (22, 22.0, Agreement.MATCH)
    assert group["safety.hazards_identified", 2022] == (3870, 3870.0, Agreement.MATCH)


def test_no_entity_or_year_is_a_restatement_candidate(demo_reconciliation):
    flagged = [
        line
        for line in demo_reconciliation.lines
        if line.agreement is Agreement.RESTATEMENT_CANDIDATE
    ]
    assert flagged == []


def test_ltifr_comes_from_the_register_over_typed_hours(demo_reconciliation):
    by_year = {row["year"]: row for row in demo_reconciliation.ltifr}
    assert by_year[2024]["lost_time_injured"] == 3
    assert by_year[2024]["per_million_hours"] == pytest.approx(3 / 20_677_000 * 1e6)
    assert by_year[2024]["per_thousand_employees"] < 0.6  # the report's target, met


def test_a_year_before_the_calendar_has_register_counts_and_no_typed_totals(demo_ledger):
    database = open_database(demo_ledger.url)
    with unit_of_work(database) as session:
        found = reconcile(session, MANAGER, load_catalog(), [2021, 2022, 2023], date(2025, 1, 31))
    database.dispose()
    years = {line.year: line for line in found.lines if line.entity == "group"}
    assert years[2022].typed is not None
    assert all(line.typed is None for line in found.lines if line.year == 2021)
