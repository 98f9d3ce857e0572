"""Completeness against what is owed: owed items minus values minus not-applicable answers."""

from __future__ import annotations

from datetime import date

from esgledger.collection.campaigns import get_campaign, progress
from esgledger.collection.completeness import completeness_frame
from esgledger.collection.obligations import owed_frame
from esgledger.ledger.database import unit_of_work
from tests.collection.helpers import (
    CATALOG,
    MONTHLY,
    YEARLY,
    enter,
    not_applicable,
    open_campaign,
    set_up_group,
)


def state(ledger, today=date(2025, 4, 3)):
    with unit_of_work(ledger) as session:
        frame = progress(session, CATALOG, get_campaign(session, "fy2024"), today)
    return {row["entity"]: row for row in frame.to_dicts()}


def test_owed_items_count_months_of_monthly_inputs(ledger):
    set_up_group(ledger)
    open_campaign(ledger)
    rows = state(ledger)
    # SMELT: 12 months of MONTHLY + 1 year of YEARLY; METAL: 1 year of YEARLY
    assert (rows["SMELT"]["owed"], rows["SMELT"]["missing"]) == (13, 13)
    assert (rows["METAL"]["owed"], rows["METAL"]["missing"]) == (1, 1)
    assert rows["SMELT"]["overdue_days"] == 3 and not rows["SMELT"]["complete"]


def test_a_finished_entity_shows_complete_and_a_gap_of_one_month_does_not(ledger):
    set_up_group(ledger)
    open_campaign(ledger)
    for month in range(1, 12):
        enter(ledger, "SMELT", f"2024-{month:02d}", MONTHLY)
    enter(ledger, "SMELT", "2024", YEARLY)
    rows = state(ledger)
    assert (rows["SMELT"]["answered"], rows["SMELT"]["missing"]) == (12, 1)
    enter(ledger, "SMELT", "2024-12", MONTHLY)
    rows = state(ledger)
    assert rows["SMELT"]["complete"] and rows["SMELT"]["share"] == 1.0
    assert rows["SMELT"]["overdue_days"] == 0


def test_a_value_of_another_year_answers_nothing(ledger):
    set_up_group(ledger)
    open_campaign(ledger)
    enter(ledger, "METAL", "2023", YEARLY)
    assert state(ledger)["METAL"]["missing"] == 1


def test_not_applicable_answers_count_until_withdrawn(ledger):
    set_up_group(ledger)
    open_campaign(ledger)
    not_applicable(ledger, "METAL", "2024", YEARLY)
    assert state(ledger)["METAL"]["complete"]
    # a yearly not-applicable answer covers each month of a monthly input
    not_applicable(ledger, "SMELT", "2024", MONTHLY)
    assert state(ledger)["SMELT"]["missing"] == 1
    not_applicable(ledger, "METAL", "2024", YEARLY, retire=True)
    assert state(ledger)["METAL"]["missing"] == 1


def test_completeness_of_the_whole_group_against_the_rules(ledger):
    set_up_group(ledger)
    with unit_of_work(ledger) as session:
        frame = completeness_frame(session, CATALOG, owed_frame(session, CATALOG, 2024), 2024)
    rows = {row["entity"]: row for row in frame.to_dicts()}
    assert rows["METAL"]["owed"] == 1 and rows["SMELT"]["owed"] == 13
    # GRP owes the group disclosures and workforce inputs: 209 inputs, monthly ones 12 times
    group_monthly = sum(
        1
        for ind in CATALOG.inputs()
        if ind.frequency == "monthly"
        and ind.topic in ("people", "training", "safety", "governance", "organisation")
    )
    assert rows["GRP"]["owed"] == 209 + 11 * group_monthly


def test_a_value_for_the_whole_year_answers_each_month_of_a_monthly_input(ledger):
    set_up_group(ledger)
    open_campaign(ledger)
    enter(ledger, "SMELT", "2024", MONTHLY)
    assert state(ledger)["SMELT"]["missing"] == 1  # only the yearly input is left


def test_what_is_due_for_a_reporter(ledger):
    from esgledger.collection.due import due_for_user

    set_up_group(ledger)
    open_campaign(ledger)
    for month in range(1, 13):
        enter(ledger, "SMELT", f"2024-{month:02d}", MONTHLY)
    with unit_of_work(ledger) as session:
        (item,) = due_for_user(session, CATALOG, "smelter", date(2025, 4, 2))
        assert due_for_user(session, CATALOG, "nobody", date(2025, 4, 2)) == []
    assert (item.entity, item.owed, item.missing) == ("SMELT", 13, 1)
    assert item.missing_indicators == (YEARLY,) and item.days_left == -2 and item.overdue
    enter(ledger, "SMELT", "2024", YEARLY)
    with unit_of_work(ledger) as session:
        assert due_for_user(session, CATALOG, "smelter", date(2025, 4, 2)) == []
