"""The fields of each safety register, checked before anything is written.

The ledger stores a record's fields as JSON; these models say what the fields are. A
hazard's status moves only forward (open, rectified, verified, closed) through
:mod:`esgledger.safety.hazards`, which is where the rules of the loop live.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

RISK_POINTS = "safety.risk_points"
HAZARDS = "safety.hazards"
DRILLS = "safety.drills"
INCIDENTS = "safety.incidents"
SITE_PLANS = "safety.site_plans"
REGISTERS = (RISK_POINTS, HAZARDS, DRILLS, INCIDENTS)


class Fields(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class RiskPoint(Fields):
    """A place or task whose risk is graded by LEC and held under control measures."""

    name: str = Field(min_length=1, max_length=200)
    area: str = ""
    l: str  # noqa: E741 - the LEC method's own letters
    e: str
    c: str
    d: str = ""  # computed: L x E x C
    grade: str = ""  # computed from d by the grades of lec.yaml
    controls: str = ""
    owner: str = Field(min_length=1, max_length=100)
    x: float | None = Field(default=None, ge=0, le=1)  # place on the site plan, as fractions
    y: float | None = Field(default=None, ge=0, le=1)


class Severity(StrEnum):
    GENERAL = "general"
    MAJOR = "major"


class Status(StrEnum):
    OPEN = "open"
    RECTIFIED = "rectified"
    VERIFIED = "verified"
    CLOSED = "closed"


class Hazard(Fields):
    """A hidden hazard found by an inspection, and its rectification loop."""

    title: str = Field(min_length=1, max_length=300)
    severity: Severity
    found_on: date
    found_by: str = ""
    inspection: str = ""
    risk_point: str = ""
    owner: str = Field(min_length=1, max_length=100)
    deadline: date
    status: Status = Status.OPEN
    rectified_on: date | None = None
    rectified_by: str = ""
    rectification: str = ""
    photos: list[str] = []
    verified_on: date | None = None
    verified_by: str = ""
    closed_on: date | None = None


class DrillKind(StrEnum):
    FIRE = "fire"
    CONFINED_SPACE = "confined_space"
    ELECTRIC_SHOCK = "electric_shock"
    CRANE = "crane"
    CHEMICAL_LEAK = "chemical_leak"
    EVACUATION = "evacuation"
    OTHER = "other"


class Drill(Fields):
    """An emergency drill held at a site."""

    held_on: date
    kind: DrillKind
    scenario: str = ""
    participants: int = Field(ge=0)


class Incident(Fields):
    """A safety incident; injured persons who lost working days make lost-time injuries."""

    occurred_on: date
    kind: str = Field(min_length=1, max_length=100)
    description: str = ""
    significant: bool = False
    injured: int = Field(default=0, ge=0)
    lost_days: int = Field(default=0, ge=0)
    fatalities: int = Field(default=0, ge=0)


class SitePlan(Fields):
    """The plan image of a site (a stored evidence file), on which its risk points sit."""

    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    name: str
    width: int = Field(gt=0)
    height: int = Field(gt=0)


MODELS: dict[str, type[Fields]] = {
    RISK_POINTS: RiskPoint,
    HAZARDS: Hazard,
    DRILLS: Drill,
    INCIDENTS: Incident,
}
