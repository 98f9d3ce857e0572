"""The meter registry: which meters an entity has, what they measure and what they feed.

Meters are records of the ledger register ``monitoring.meters`` (append-only, audited), so a
meter's history (a new indicator, a replacement) is kept like any other change. Each meter
names its carrier and unit, its main meter when it is a sub-meter, and the ledger indicator
its monthly total becomes. Only meters that name an indicator feed the ledger: sub-meters
normally do not, so a site's consumption is never counted twice.

Two kinds of reading: ``interval`` meters send the consumption of each interval; ``counter``
meters send their register, and consumption is the difference between reads, taking the
counter's rollover and the meter's replacements into account (``rollup.py``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlalchemy.orm import Session

from esgledger.ledger.reads.records import current_records
from esgledger.ledger.records import RecordChange, append_records
from esgledger.monitoring.yaml_list import read_yaml_list
from esgledger.units import is_known_unit

REGISTER = "monitoring.meters"
# What meters measure; each has its label in both languages (web/locales/monitoring).
Carrier = Literal[
    "electricity", "natural_gas", "steam", "heat", "water", "coal", "diesel", "compressed_air"
]


class Replacement(BaseModel):
    """A counter meter swapped at ``at``: the old one's last register and the new one's first."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    at: datetime
    final_reading: float = Field(ge=0)
    start_reading: float = Field(ge=0)


class Meter(BaseModel):
    """One meter of the registry, as validated before it is written."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str = Field(min_length=1, max_length=80, pattern=r"^[A-Za-z0-9_.\-]+$")
    entity: str = Field(min_length=1, max_length=40)
    name: str = ""
    carrier: Carrier
    unit: str
    reading: Literal["interval", "counter"] = "interval"
    interval_minutes: int = Field(default=15, gt=0, le=1440)
    parent: str | None = None
    indicator: str | None = None
    max_per_interval: float | None = Field(default=None, gt=0)
    rollover: float | None = Field(default=None, gt=0)
    replacements: tuple[Replacement, ...] = ()

    @field_validator("unit")
    @classmethod
    def _known_unit(cls, unit: str) -> str:
        if not is_known_unit(unit):
            raise ValueError(f"unknown unit {unit!r} (use one such as kWh, MWh, Nm3, t)")
        return unit

    @property
    def expected_per_day(self) -> int:
        return 24 * 60 // self.interval_minutes


def save_meters(
    session: Session, meters: Iterable[Meter], *, actor: str, reason: str | None = None
) -> int:
    """Write the meters that are new or changed (unchanged ones add no version)."""
    known = {m.code: m for m in load_meters(session).values()}
    changes = [
        RecordChange(m.code, m.model_dump(mode="json"), entity=m.entity)
        for m in meters
        if known.get(m.code) != m
    ]
    if changes:
        append_records(session, REGISTER, changes, actor=actor, action="meter.save", reason=reason)
    return len(changes)


def load_meters(session: Session, entities: Iterable[str] | None = None) -> dict[str, Meter]:
    """The current meters by code, of some entities or all."""
    wanted = list(entities) if entities is not None else None
    records = current_records(session, REGISTER, entities=wanted)
    return {r.key: Meter.model_validate(r.payload) for r in records}


def read_meter_file(path: Path) -> list[Meter]:
    """Meters from a YAML list; every problem is named with the meter's place in the file."""
    return read_yaml_list(path, Meter, "meter")
