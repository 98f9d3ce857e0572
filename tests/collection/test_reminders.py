"""Reminders before the due date, overdue notices after it, escalation to the managers:
dates are parameters, nothing sleeps."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from esgledger.collection.campaigns import Schedule, default_schedule
from esgledger.collection.reminders import RemindersSent, run_reminders, steps_due
from esgledger.ledger.database import unit_of_work
from esgledger.notices import inbox_for
from tests.collection.helpers import (
    CATALOG,
    DUE,
    YEARLY,
    not_applicable,
    open_campaign,
    set_up_group,
)

SCHEDULE = Schedule(before_days=(14, 3), after_days=(1, 7), escalate_after_days=10)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (DUE - timedelta(days=15), []),
        (DUE - timedelta(days=14), ["before:14"]),
        (DUE - timedelta(days=3), ["before:14", "before:3"]),
        (DUE, ["before:14", "before:3"]),
        (DUE + timedelta(days=1), ["after:1"]),
        (DUE + timedelta(days=7), ["after:1", "after:7"]),
        (DUE + timedelta(days=10), ["after:1", "after:7", "escalate"]),
    ],
)
def test_steps_due_on_each_day(today, expected):
    assert steps_due(SCHEDULE, DUE, today) == expected


def test_the_shipped_schedule_is_the_documented_one():
    assert default_schedule() == SCHEDULE


def remind(ledger, today):
    with unit_of_work(ledger) as session:
        return run_reminders(session, CATALOG, today)


def kinds(ledger, user):
    with unit_of_work(ledger) as session:
        return [n.kind for n in inbox_for(session, user)]


def test_a_campaign_reminds_then_escalates_and_sends_each_step_once(ledger):
    set_up_group(ledger)
    open_campaign(ledger)
    assert kinds(ledger, "smelter") == ["campaign_opened"]
    assert remind(ledger, date(2025, 3, 10)) == RemindersSent()
    assert remind(ledger, date(2025, 3, 17)) == RemindersSent(reminders=2)
    assert remind(ledger, date(2025, 3, 17)) == RemindersSent()  # the same day again
    # METAL answers (not applicable): it is complete and hears nothing more
    not_applicable(ledger, "METAL", "2024", YEARLY)
    assert remind(ledger, date(2025, 3, 28)) == RemindersSent(reminders=1)
    assert remind(ledger, date(2025, 4, 1)) == RemindersSent(overdue=1)
    # a worker down for days catches up with one notice per kind, not one per step
    assert remind(ledger, date(2025, 4, 12)) == RemindersSent(overdue=1, escalations=1)
    assert remind(ledger, date(2025, 4, 20)) == RemindersSent()
    assert kinds(ledger, "metal") == ["campaign_reminder", "campaign_opened"]
    smelter = kinds(ledger, "smelter")
    assert sorted(smelter) == sorted(
        [
            "campaign_opened",
            "campaign_reminder",
            "campaign_reminder",
            "campaign_overdue",
            "campaign_overdue",
        ]
    )
    with unit_of_work(ledger) as session:
        (escalation,) = inbox_for(session, "manager")
    assert escalation.kind == "campaign_escalated"
    assert escalation.params["entity"] == "SMELT" and escalation.params["days"] == "12"
    assert escalation.params["owners"] == "smelter" and escalation.params["missing"] == "13"


def test_an_overdue_notice_says_how_many_days_late(ledger):
    set_up_group(ledger)
    open_campaign(ledger)
    remind(ledger, date(2025, 4, 2))
    with unit_of_work(ledger) as session:
        overdue = [n for n in inbox_for(session, "smelter") if n.kind == "campaign_overdue"]
    assert [n.params["days"] for n in overdue] == ["2"]
    assert overdue[0].link == "/entry/SMELT/2024"
