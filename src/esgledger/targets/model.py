"""Targets as declarations: what is promised, for which part of the group, by when.

A target is data, like an indicator: it names a catalog indicator, a consolidation scope
and a threshold, so that its status can be computed from the same results as the report,
never typed in by hand.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

# group | tag:X | segment:X | subtree:CODE | an entity code
SCOPE_PATTERN = r"^(group|tag:[\w-]+|segment:[a-z_]+|subtree:[A-Z0-9_-]+|[A-Z0-9][A-Z0-9_-]*)$"


class TargetType(StrEnum):
    """How the target value is read.

    absolute_cap and intensity_cap: the value must not exceed ``target_value``;
    floor: it must not fall below; change_vs_base: ``target_value`` is a percent change
    against the base year (-20 = 20 % lower); change_yoy: a percent change against the
    previous year, every year up to the target year.
    """

    ABSOLUTE_CAP = "absolute_cap"
    INTENSITY_CAP = "intensity_cap"
    FLOOR = "floor"
    CHANGE_VS_BASE = "change_vs_base"
    CHANGE_YOY = "change_yoy"


class Status(StrEnum):
    """met: the target is satisfied; on_track: not yet, but at or better than the path from
    the base year; at_risk: behind that path before the target year; missed: not satisfied
    in or after the target year; no_data: nothing reported for the period."""

    MET = "met"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    MISSED = "missed"
    NO_DATA = "no_data"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Names(_Frozen):
    en: str = Field(min_length=1)
    zh: str = Field(min_length=1)


class Target(_Frozen):
    """One commitment, e.g. key entities' carbon intensity <= 2.956 tCO2e/tREO in 2025."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$")
    name: Names
    indicator: str
    scope: str = Field(default="group", pattern=SCOPE_PATTERN)
    type: TargetType
    base_year: int | None = Field(default=None, ge=1990, le=2100)
    base_value: float | None = None
    target_year: int = Field(ge=1990, le=2100)
    target_value: float
    unit: str | None = None
    strict: bool = False
    science_based: bool = False
    regulatory: bool = False
    source: str = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> Target:
        if self.base_value is not None and self.base_year is None:
            raise ValueError("base_value needs base_year: say which year it is the value of")
        if self.base_year is not None and self.base_year >= self.target_year:
            raise ValueError(
                f"base_year {self.base_year} must come before target_year {self.target_year}"
            )
        if self.type is TargetType.CHANGE_VS_BASE and self.base_year is None:
            raise ValueError("a change_vs_base target needs base_year")
        if self.is_change and self.unit not in (None, "%"):
            raise ValueError(f"the target_value of a {self.type.value} target is a percent")
        return self

    @property
    def is_change(self) -> bool:
        return self.type in (TargetType.CHANGE_VS_BASE, TargetType.CHANGE_YOY)

    @property
    def lower_is_better(self) -> bool:
        """Caps and reductions want less; floors and growth targets want more."""
        if self.type is TargetType.FLOOR:
            return False
        if self.is_change:
            return self.target_value <= 0
        return True


class RecalculationPolicy(_Frozen):
    """When a change of the organisation restates a target's base year.

    Entities tagged ``<acquisition_tag_prefix><year>`` joined in that year (the demo tags
    ZXAT ``acquired-2024``); a change restates the base when it moves the base-year figure
    (the numerator of an intensity) by at least ``threshold_pct``.
    """

    threshold_pct: float = Field(default=5.0, gt=0, le=100)
    acquisition_tag_prefix: str = "acquired-"
    divestment_tag_prefix: str = "divested-"


class StructuralChange(_Frozen):
    """An acquisition or divestment declared in the targets file instead of by a tag."""

    entity: str = Field(pattern=r"^[A-Z0-9][A-Z0-9_-]*$")
    kind: Literal["acquisition", "divestment"]
    year: int = Field(ge=1990, le=2100)


class TargetFile(_Frozen):
    """A targets file: the recalculation policy, declared changes and the targets."""

    policy: RecalculationPolicy = RecalculationPolicy()
    structural_changes: tuple[StructuralChange, ...] = ()
    targets: tuple[Target, ...] = Field(min_length=1)

    def get(self, target_id: str) -> Target:
        return next(t for t in self.targets if t.id == target_id)
