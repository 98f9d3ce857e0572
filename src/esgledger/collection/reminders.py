"""Reminders and escalation: which notices a campaign owes its owners and managers on a day.

``run_reminders(session, catalog, today)`` is what the daily job and ``esgledger campaign
remind --today`` call; it never runs in a request. For each request of an entity that is
not complete, the steps of the schedule due by ``today`` and not sent yet are sent, and
written into the request's ``sent`` list, so running it twice on a day (or catching up
after days without a worker) sends each step at most once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.orm import Session

from esgledger.catalog.registry import Catalog
from esgledger.collection.campaigns import (
    REQUESTS,
    Campaign,
    Request,
    Schedule,
    list_campaigns,
    requested_frame,
    requests_of,
)
from esgledger.collection.completeness import completeness_frame
from esgledger.ledger.records import RecordChange, append_records
from esgledger.notices import Notice, post_notices

ESCALATE = "escalate"


@dataclass(frozen=True)
class RemindersSent:
    """What one run sent: reminders before the due date, overdue notices, escalations."""

    reminders: int = 0
    overdue: int = 0
    escalations: int = 0

    def __add__(self, other: RemindersSent) -> RemindersSent:
        return RemindersSent(
            self.reminders + other.reminders,
            self.overdue + other.overdue,
            self.escalations + other.escalations,
        )


def steps_due(schedule: Schedule, due: date, today: date) -> list[str]:
    """The schedule's steps due by ``today``: ``before:N`` from N days before the due date
    until the due date, ``after:N`` from N days after it, ``escalate`` from the escalation
    day on."""
    steps = [
        f"before:{days}"
        for days in schedule.before_days
        if due - timedelta(days=days) <= today <= due
    ]
    steps += [
        f"after:{days}" for days in schedule.after_days if today >= due + timedelta(days=days)
    ]
    if today >= due + timedelta(days=schedule.escalate_after_days) and today > due:
        steps.append(ESCALATE)
    return steps


def _notices(
    campaign: Campaign, request: Request, new: list[str], today: date, missing: int
) -> tuple[list[Notice], RemindersSent]:
    params = {
        "campaign": campaign.name,
        "entity": request.entity,
        "due": campaign.due.isoformat(),
        "missing": str(missing),
    }
    link = f"/entry/{request.entity}/{campaign.year}"  # the form the owner answers in
    notices: list[Notice] = []
    sent = RemindersSent()
    if any(step.startswith("before:") for step in new):
        left = str((campaign.due - today).days)
        notices += [
            Notice(o, "campaign_reminder", {**params, "days": left}, link, request.entity)
            for o in request.owners
        ]
        sent += RemindersSent(reminders=len(request.owners))
    late = str((today - campaign.due).days)
    if any(step.startswith("after:") for step in new):
        notices += [
            Notice(o, "campaign_overdue", {**params, "days": late}, link, request.entity)
            for o in request.owners
        ]
        sent += RemindersSent(overdue=len(request.owners))
    if ESCALATE in new:
        owners = {"owners": ", ".join(request.owners), "days": late}
        where = f"/campaigns/{campaign.name}"
        notices += [
            Notice(m, "campaign_escalated", {**params, **owners}, where, request.entity)
            for m in campaign.managers
        ]
        sent += RemindersSent(escalations=len(campaign.managers))
    return notices, sent


def remind_campaign(
    session: Session, catalog: Catalog, campaign: Campaign, today: date, *, actor: str
) -> RemindersSent:
    """Send the steps of one campaign due by ``today`` to its unfinished entities."""
    steps = steps_due(campaign.schedule, campaign.due, today)
    if not steps:
        return RemindersSent()
    requests = [r for r in requests_of(session, campaign.name) if set(steps) - set(r.sent)]
    if not requests:
        return RemindersSent()
    frame = completeness_frame(session, catalog, requested_frame(requests), campaign.year)
    missing = dict(zip(frame["entity"].to_list(), frame["missing"].to_list(), strict=True))
    notices: list[Notice] = []
    changes: list[RecordChange] = []
    total = RemindersSent()
    for request in requests:
        if missing.get(request.entity, 0) == 0:
            continue
        new = [step for step in steps if step not in request.sent]
        found, sent = _notices(campaign, request, new, today, missing[request.entity])
        notices += found
        total += sent
        payload = _payload(request, [*request.sent, *new])
        changes.append(
            RecordChange(
                request.key, payload, entity=request.entity, expected_version=request.version
            )
        )
    if changes:
        append_records(
            session,
            REQUESTS,
            changes,
            actor=actor,
            action="collection.reminders",
            reason=f"reminders of {today.isoformat()}",
        )
        post_notices(session, notices, actor=actor)
    return total


def _payload(request: Request, sent: Sequence[str]) -> dict:
    return {
        "campaign": request.campaign,
        "entity": request.entity,
        "owners": list(request.owners),
        "owed": list(request.owed),
        "sent": list(sent),
    }


def run_reminders(
    session: Session, catalog: Catalog, today: date, *, actor: str = "system"
) -> RemindersSent:
    """Send every campaign's reminders and escalations due by ``today``."""
    total = RemindersSent()
    for campaign in list_campaigns(session):
        total += remind_campaign(session, catalog, campaign, today, actor=actor)
    return total
