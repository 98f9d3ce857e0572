"""What a permit, an outlet's limits and a monitoring result must be before they are written.

Each check raises a coded :class:`EsgError` (texts in ``errors_text/permits``), so the same
refusal reads in Chinese on a page and in English on the command line; nothing is written
until every check has passed.
"""

from __future__ import annotations

import difflib
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from esgledger.errors import EsgError, Phrase, render
from esgledger.inputs import InputModel
from esgledger.permits.catalogue import MEDIA, Pollutant, pollutants, register_settings
from esgledger.units import UnitError, conversion_factor, mismatch

METHODS = ("manual", "online")


def refuse(code: str, **params: object) -> EsgError:
    """A user error with catalogue text ``code`` (English as the exception's message)."""
    return EsgError(render(code, "en", **params), code=code, params=params)


class PermitIn(BaseModel):
    """A discharge permit (排污许可证) of one site."""

    number: str = Field(min_length=1, max_length=60)
    entity: str = Field(min_length=1, max_length=40)
    authority: str = Field(min_length=1, max_length=200)
    valid_from: date
    valid_to: date

    def checked(self) -> PermitIn:
        if self.valid_to < self.valid_from:
            raise refuse(
                "permit.validity_backwards",
                number=self.number,
                start=self.valid_from.isoformat(),
                end=self.valid_to.isoformat(),
            )
        return self


class LimitIn(InputModel):
    """One pollutant's limits at an outlet: a concentration (a band for pH) and a yearly mass."""

    pollutant: str
    max: float | None = None
    min: float | None = None
    unit: str = ""
    mass_limit: float | None = None
    mass_unit: str = ""


class OutletIn(BaseModel):
    """A discharge outlet (排放口) named in a permit, and the limits set for it."""

    permit: str = Field(min_length=1, max_length=60)
    code: str = Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_.-]+$")
    name: str = Field(default="", max_length=200)
    medium: Literal["water", "air"]
    limits: list[LimitIn] = Field(default_factory=list)

    @property
    def key(self) -> str:
        return outlet_key(self.permit, self.code)

    def checked(self) -> OutletIn:
        seen: set[str] = set()
        for limit in self.limits:
            check_limit(self, limit)
            if limit.pollutant in seen:
                raise refuse("permit.limit_twice", outlet=self.key, pollutant=limit.pollutant)
            seen.add(limit.pollutant)
        return self


class ResultIn(InputModel):
    """One monitoring result at an outlet (manual sampling or an online analyser)."""

    outlet: str = Field(min_length=3, max_length=101)
    pollutant: str
    sampled_at: datetime
    value: float
    unit: str
    method: Literal["manual", "online"] = "manual"

    @property
    def key(self) -> str:
        return f"{self.outlet}/{self.pollutant}/{self.sampled_at.isoformat(timespec='minutes')}"


def outlet_key(permit: str, code: str) -> str:
    return f"{permit}/{code}"


def known_pollutant(code: str, medium: str | None = None) -> Pollutant:
    """The pollutant ``code``, refused with a suggestion when it is unknown or of the other
    medium (a stack cannot discharge COD)."""
    table = pollutants()
    if code not in table:
        close = difflib.get_close_matches(code, list(table), n=1)
        raise refuse(
            "permit.unknown_pollutant",
            pollutant=code,
            known=tuple(sorted(table)),
            hint=Phrase.of("permit.did_you_mean", name=close[0]) if close else "",
        )
    found = table[code]
    if medium is not None and found.medium != medium:
        raise refuse(
            "permit.wrong_medium", pollutant=code, medium=Phrase.of(f"permit.medium.{medium}")
        )
    return found


def check_limit(outlet: OutletIn, limit: LimitIn) -> None:
    """A limit names a pollutant of the outlet's medium, in units that measure it."""
    pollutant = known_pollutant(limit.pollutant, outlet.medium)
    if limit.max is None and limit.mass_limit is None:
        raise refuse("permit.limit_empty", outlet=outlet.key, pollutant=pollutant.code)
    if limit.max is not None:
        concentration_factor(limit.unit or pollutant.unit, pollutant, where=outlet.key)
        if limit.min is not None and limit.min > limit.max:
            raise refuse(
                "permit.band_backwards", pollutant=pollutant.code, low=limit.min, high=limit.max
            )
    if limit.mass_limit is not None:
        mass_factor(limit.mass_unit or register_settings()["mass_limit_unit"], pollutant.code)
        if limit.mass_limit < 0:
            raise refuse("permit.negative", pollutant=pollutant.code, value=limit.mass_limit)


def concentration_factor(unit: str, pollutant: Pollutant, *, where: str) -> float:
    """Multiplier from ``unit`` to the pollutant's unit; a unit of another kind is refused."""
    try:
        return conversion_factor(unit, pollutant.unit)
    except UnitError as exc:
        raise refuse(
            "permit.concentration_unit",
            pollutant=pollutant.code,
            where=where,
            **_unit_params(unit, pollutant.unit),
        ) from exc


def mass_factor(unit: str, pollutant: str) -> float:
    """Multiplier from ``unit`` to the register's mass limit unit (t/a)."""
    target = register_settings()["mass_limit_unit"]
    try:
        return conversion_factor(unit, target)
    except UnitError as exc:
        raise refuse("permit.mass_unit", pollutant=pollutant, **_unit_params(unit, target)) from exc


def _unit_params(given: str, target: str) -> dict[str, object]:
    try:
        return mismatch(given, target)
    except UnitError:  # the unit is not even readable
        return {
            "given": given,
            "target": target,
            "given_kind": "?",
            "target_kind": "?",
            "examples": (target,),
        }


def check_media(medium: str) -> None:
    if medium not in MEDIA:
        raise refuse("permit.unknown_medium", medium=medium)
