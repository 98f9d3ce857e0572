"""Base-year recalculation when the organisation changes.

Policy (GHG Protocol Corporate Standard ch.5, applied to every base-year target):

* A structural change is an acquisition or divestment after the base year (an entity
  tagged ``acquired-<year>`` / ``divested-<year>``, or one declared in the targets file).
* Its size is its figure for the base year: the reported value when the entity reported
  in the base year, else *pro forma* its first reported year on or after the change (the
  demo's ZXAT joined in 2024 and has no 2022 figures). For an intensity the size is
  taken on the numerator (emissions, energy); the denominator moves with it.
* The base is restated when the changes of the scope together move its base-year figure
  by at least the policy's threshold (5 % by default); below it the original stands and
  the share is shown so that the decision can be checked. Restated:
  total + acquired − divested, or (numerator ± change) / (denominator ± change) × scale.
* Rates that are not ratios (first-pass yield, satisfaction) and year-on-year targets
  are not restated.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from pydantic import BaseModel


class ChangeEffect(BaseModel):
    """One change's base-year figures, signed: + for an acquisition, − for a divestment."""

    label: str
    kind: str
    year: int
    basis: str
    numerator: float
    denominator: float | None = None


class Restatement(BaseModel):
    """The original base value beside the restated one, and why it was (not) restated."""

    base_year: int
    original: float | None
    restated: float | None
    applied: bool
    share_pct: float | None
    threshold_pct: float
    changes: list[ChangeEffect]
    note: str

    @property
    def effective(self) -> float | None:
        """The base the trajectory starts from: restated when the policy applies."""
        return self.restated if self.applied else self.original


def restate(
    base_year: int,
    scope_numerator: float,
    scope_denominator: float | None,
    scale: float,
    changes: Sequence[ChangeEffect],
    threshold_pct: float,
) -> Restatement:
    """Apply the policy to one target's base year.

    Args:
        scope_numerator: the scope's base-year total (the numerator of an intensity).
        scope_denominator: the intensity's denominator; None for a total.
        scale: what turns numerator / denominator into the indicator's unit (1 for a total).
        changes: the changes inside the target's scope after the base year.

    >>> acquired = ChangeEffect(label="ZX", kind="acquisition", year=2024,
    ...                         basis="pro forma", numerator=60.0, denominator=10.0)
    >>> r = restate(2022, 1000.0, 400.0, 1.0, [acquired], 5.0)
    >>> (r.original, round(r.restated, 4), r.share_pct, r.applied)  # 1060 / 410
    (2.5, 2.5854, 6.0, True)
    """
    original = _value(scope_numerator, scope_denominator, scale)
    moved = sum(c.numerator for c in changes)
    share = abs(moved) / abs(scope_numerator) * 100 if scope_numerator else None
    extra = sum(c.denominator or 0.0 for c in changes)
    bottom = None if scope_denominator is None else scope_denominator + extra
    restated = _value(scope_numerator + moved, bottom, scale)
    applied = bool(changes) and share is not None and share >= threshold_pct
    return Restatement(
        base_year=base_year,
        original=original,
        restated=restated if changes else original,
        applied=applied,
        share_pct=share if changes else 0.0,
        threshold_pct=threshold_pct,
        changes=list(changes),
        note=_note(changes, share, threshold_pct, applied),
    )


def not_restated(
    base_year: int, original: float | None, reason: str, threshold: float
) -> Restatement:
    """A base the policy does not touch (a rate, a year-on-year target, no base value)."""
    return Restatement(
        base_year=base_year,
        original=original,
        restated=original,
        applied=False,
        share_pct=None,
        threshold_pct=threshold,
        changes=[],
        note=reason,
    )


def _value(numerator: float, denominator: float | None, scale: float) -> float | None:
    if denominator is None:
        return numerator
    if not denominator or math.isnan(denominator):
        return None
    return numerator / denominator * scale


def _note(
    changes: Sequence[ChangeEffect], share: float | None, threshold: float, applied: bool
) -> str:
    if not changes:
        return "no acquisition or divestment in scope after the base year"
    names = ", ".join(f"{c.kind} of {c.label} in {c.year} ({c.basis})" for c in changes)
    if share is None:
        return f"{names}: the base-year figure is zero, so its share cannot be judged"
    verdict = "restated" if applied else "not restated"
    sign = ">=" if applied else "<"
    return f"{names}: {share:.1f} % of the base-year figure {sign} {threshold:g} %, {verdict}"
