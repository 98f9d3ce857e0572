"""Early-warning rules as data: per entity and carrier, which check with which limit.

A rule file is a YAML list; each rule names its ``entity``, its ``carrier`` and one
``kind``:

- ``quota``: consumption of the carrier's main meters over a ``period`` (day or month to
  date) above ``limit`` in ``unit``;
- ``run_rate``: the month-to-date daily rate projected over the year above the year's
  target ``limit`` in ``unit``;
- ``profile``: a day's consumption far from the seasonal baseline (same kind of day,
  recent weeks; robust z-score with median and MAD, limits in data/checks.yaml);
- ``gap``: a day with more readings missing than the allowed share;
- ``stuck``: a meter repeating the same reading for many intervals.

Rules are stored as records of ``monitoring.rules`` (validated here first), so a change of
a limit is audited and dated like any other figure.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlalchemy.orm import Session

from esgledger.ledger.reads.records import current_records
from esgledger.ledger.records import RecordChange, append_records
from esgledger.monitoring.yaml_list import read_yaml_list
from esgledger.units import is_known_unit

REGISTER = "monitoring.rules"


class Rule(BaseModel):
    """One early-warning rule, as validated before it is written."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1, max_length=80, pattern=r"^[A-Za-z0-9_.\-]+$")
    entity: str
    carrier: str
    kind: Literal["quota", "run_rate", "profile", "gap", "stuck"]
    period: Literal["day", "month"] = "day"
    limit: float | None = Field(default=None, gt=0)
    unit: str | None = None
    source: str = ""

    @model_validator(mode="after")
    def _limit_with_unit(self) -> Rule:
        if self.kind in ("quota", "run_rate") and (self.limit is None or self.unit is None):
            raise ValueError(f"a {self.kind} rule needs a limit and its unit")
        if self.unit is not None and not is_known_unit(self.unit):
            raise ValueError(f"unknown unit {self.unit!r}")
        return self


def read_rule_file(path: Path) -> list[Rule]:
    """Rules from a YAML list; the first problem is named with the rule's place."""
    return read_yaml_list(path, Rule, "rule")


def save_rules(session: Session, rules: list[Rule], *, actor: str) -> int:
    """Write new or changed rules; unchanged ones add no version."""
    known = load_rules(session)
    changes = [
        RecordChange(r.id, r.model_dump(mode="json"), entity=r.entity)
        for r in rules
        if known.get(r.id) != r
    ]
    if changes:
        append_records(session, REGISTER, changes, actor=actor, action="rule.save")
    return len(changes)


def load_rules(session: Session) -> dict[str, Rule]:
    return {r.key: Rule.model_validate(r.payload) for r in current_records(session, REGISTER)}
