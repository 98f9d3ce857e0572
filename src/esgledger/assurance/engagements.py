"""Engagements and their samples, written to the registers ``assurance.engagements`` and
``assurance.samples``.

Only an assurer (auth/roles.py: ASSURERS) writes here, and only to the assurance
registers (``may_write_register``); a sample keeps its seed, interval and random start so
that it can be drawn again from the same population and give the same items.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl
from sqlalchemy.orm import Session

from esgledger.assurance.model import ENGAGEMENTS, SAMPLES, refuse
from esgledger.assurance.sampling import Sample
from esgledger.auth.roles import ASSURERS, may_write_register
from esgledger.auth.service import Principal
from esgledger.ledger.reads.records import RecordView, current_record, current_records
from esgledger.ledger.records import RecordChange, append_record

ITEM_FIELDS = (
    "entity",
    "period",
    "indicator",
    "revision_id",
    "canonical_value",
    "canonical_unit",
    "magnitude",
    "reason",
    "hits",
    "risk_score",
)


def require_assurer(principal: Principal, register: str) -> None:
    """Refuse anyone but an assurer, and any register outside assurance for an auditor."""
    if principal.role not in ASSURERS or not may_write_register(principal.role, register):
        raise refuse("workpaper.not_assurer", role=principal.role.value)


def save_engagement(
    session: Session, principal: Principal, payload: Mapping[str, Any], expected: int | None = 0
) -> RecordView:
    """Create (expected 0) or change an engagement checked by ``model.checked_engagement``."""
    require_assurer(principal, ENGAGEMENTS)
    change = RecordChange(payload["code"], dict(payload), expected_version=expected)
    append_record(
        session, ENGAGEMENTS, change, actor=principal.username, action="assurance.engagement"
    )
    found = current_record(session, ENGAGEMENTS, payload["code"])
    assert found is not None
    return found


def list_engagements(session: Session) -> list[RecordView]:
    return current_records(session, ENGAGEMENTS)


def engagement(session: Session, code: str) -> RecordView:
    """One engagement, or a user's 'not found' naming it."""
    found = current_record(session, ENGAGEMENTS, code)
    if found is None or found.retired:
        raise refuse("workpaper.unknown_engagement", code=code)
    return found


def of_engagement(session: Session, register: str, code: str) -> list[RecordView]:
    """The current records of ``register`` that belong to engagement ``code``."""
    prefix = f"{code}|"
    return [r for r in current_records(session, register) if r.key.startswith(prefix)]


def next_key(session: Session, register: str, code: str, letter: str) -> str:
    """The next numbered key of an engagement (``E1|S001``, ``E1|Q002`` ...)."""
    taken = current_records(session, register, include_retired=True)
    count = sum(1 for r in taken if r.key.startswith(f"{code}|{letter}"))
    return f"{code}|{letter}{count + 1:03d}"


def save_sample(session: Session, principal: Principal, code: str, sample: Sample) -> RecordView:
    """Store a drawn sample with everything needed to draw it again."""
    require_assurer(principal, SAMPLES)
    key = next_key(session, SAMPLES, code, "S")
    payload = {
        "engagement": code,
        "method": sample.method,
        "seed": sample.seed,
        "population_size": sample.population_size,
        "population_total": sample.population_total,
        "interval": sample.interval,
        "random_start": sample.random_start,
        "notes": sample.notes,
        "items": sample_items(sample.items),
    }
    change = RecordChange(key, payload, expected_version=0)
    append_record(session, SAMPLES, change, actor=principal.username, action="assurance.sample")
    return engagement_record(session, SAMPLES, key)


def sample_items(items: pl.DataFrame) -> list[dict[str, Any]]:
    """The sampled rows as plain dicts of the fields a workpaper shows."""
    present = [name for name in ITEM_FIELDS if name in items.columns]
    return items.select(present).to_dicts()


def engagement_record(session: Session, register: str, key: str) -> RecordView:
    found = current_record(session, register, key)
    if found is None:
        raise refuse("workpaper.unknown_record", key=key)
    return found
