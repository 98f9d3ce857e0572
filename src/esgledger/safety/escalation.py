"""Overdue hazards are escalated: the site is told first, then the group.

``escalate_overdue(session, today)`` is what the daily reminders job and
``esgledger safety escalate`` call. For each hazard past its deadline and not rectified,
the steps due by ``today`` (``overdue``: the site's reporters; ``escalated``: the group
managers) that were not sent yet are posted to their inboxes, and recorded in the register
``safety.hazard_notices`` (one record per hazard, its ``sent`` steps), so running it twice
on a day, or catching up after days without a worker, sends each step once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import yaml
from sqlalchemy.orm import Session

from esgledger.auth.people import group_managers, reporters_of
from esgledger.ledger.reads.records import RecordView, current_records
from esgledger.ledger.records import RecordChange, append_records
from esgledger.notices import Notice, post_notices
from esgledger.safety.hazards import overdue_hazards
from esgledger.safety.models import HAZARDS

HAZARD_NOTICES = "safety.hazard_notices"
OVERDUE, ESCALATED = "overdue", "escalated"


@dataclass(frozen=True)
class Escalated:
    """What one run sent: overdue notices to sites, escalations to the group."""

    overdue: int = 0
    escalated: int = 0


@cache
def policy() -> dict:
    """When notices go out (data/escalation.yaml)."""
    path = Path(__file__).parent / "data" / "escalation.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def steps_due(hazard: RecordView, today: date) -> list[str]:
    """The steps due by ``today`` for an overdue hazard."""
    late = (today - date.fromisoformat(str(hazard.payload["deadline"]))).days
    rules = policy()
    steps = [OVERDUE] if late >= rules["overdue_notice_after_days"] else []
    if late >= rules["escalate_after_days"][hazard.payload.get("severity", "general")]:
        steps.append(ESCALATED)
    return steps


def escalate_overdue(session: Session, today: date, *, actor: str = "system") -> Escalated:
    """Post the overdue notices and escalations due by ``today`` that were not sent yet."""
    overdue = overdue_hazards(current_records(session, HAZARDS), today)
    keys = [h.key for h in overdue]
    sent = {r.key: r for r in current_records(session, HAZARD_NOTICES, keys=keys)}
    managers = sorted(group_managers(session))
    notices: list[Notice] = []
    changes: list[RecordChange] = []
    counts = {OVERDUE: 0, ESCALATED: 0}
    for hazard in overdue:
        before = sent[hazard.key].payload["sent"] if hazard.key in sent else []
        new = [step for step in steps_due(hazard, today) if step not in before]
        if not new:
            continue
        for step in new:
            told = _recipients(session, hazard, step, managers)
            notices += [_notice(hazard, step, who, today) for who in told]
            counts[step] += len(told)
        changes.append(RecordChange(
            hazard.key, {"hazard": hazard.key, "sent": [*before, *new]}, entity=hazard.entity,
            expected_version=sent[hazard.key].version if hazard.key in sent else 0,
        ))  # fmt: skip
    if changes:
        append_records(session, HAZARD_NOTICES, changes, actor=actor,
                       action="safety.hazard_notices", reason=f"overdue on {today}")  # fmt: skip
        post_notices(session, notices, actor=actor)
    return Escalated(counts[OVERDUE], counts[ESCALATED])


def _recipients(session: Session, hazard: RecordView, step: str, managers: list[str]) -> list[str]:
    """The site's reporters for the overdue notice (the group managers when it has none);
    the group managers for the escalation."""
    if step == OVERDUE:
        return sorted(reporters_of(session, str(hazard.entity))) or managers
    return managers


def _notice(hazard: RecordView, step: str, recipient: str, today: date) -> Notice:
    deadline = str(hazard.payload["deadline"])
    params = {
        "hazard": hazard.key,
        "title": str(hazard.payload.get("title", "")),
        "entity": str(hazard.entity),
        "deadline": deadline,
        "days": str((today - date.fromisoformat(deadline)).days),
        "owner": str(hazard.payload.get("owner", "")),
    }
    return Notice(recipient, f"hazard_{step}", params, f"/safety/hazards/{hazard.key}",
                  str(hazard.entity))  # fmt: skip
