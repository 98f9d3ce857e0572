"""What a movement and a verified emission must be before they are written.

Each check raises a coded :class:`EsgError` (texts in ``errors_text/carbon_assets``), so a
refusal reads in Chinese on a page and in English on the command line.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Literal

from pydantic import Field

from esgledger.carbon_assets.rules import rules
from esgledger.errors import EsgError, render
from esgledger.inputs import InputModel

Instrument = Literal["cea", "ccer", "gec", "green_power"]
Kind = Literal["allocation", "purchase", "sale", "surrender", "retirement"]
OUTFLOWS = ("sale", "surrender", "retirement")
MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
SERIALS = re.compile(r"^(\d{1,15})-(\d{1,15})$")


def refuse(code: str, **params: object) -> EsgError:
    """A user error with catalogue text ``code`` (English as the exception's message)."""
    return EsgError(render(code, "en", **params), code=code, params=params)


class MovementIn(InputModel):
    """One movement of one instrument for one entity (the key is its reference)."""

    ref: str = Field(min_length=1, max_length=120, pattern=r"^[^|/\s]+$")
    entity: str = Field(min_length=1, max_length=40)
    instrument: Instrument
    kind: Kind
    quantity: float = Field(gt=0)
    on: date
    compliance_year: int | None = Field(default=None, ge=2019, le=2100)
    period: str | None = None
    serials: str | None = None
    production_year: int | None = Field(default=None, ge=2017, le=2100)
    contract: str | None = Field(default=None, max_length=120)
    counterparty: str | None = Field(default=None, max_length=200)
    note: str | None = Field(default=None, max_length=500)

    def checked(self) -> MovementIn:
        """Refuse a movement the instrument does not have, or one missing what it needs."""
        allowed = rules().kinds[self.instrument]
        if self.kind not in allowed:
            raise refuse(
                "carbon_asset.kind_not_allowed", ref=self.ref, kind=self.kind,
                instrument=self.instrument, allowed=", ".join(allowed),
            )  # fmt: skip
        yearly = self.instrument in ("cea", "ccer") and self.kind in ("allocation", "surrender")
        if yearly and self.compliance_year is None:
            raise refuse("carbon_asset.year_needed", ref=self.ref, kind=self.kind)
        if self.kind == "retirement":
            self._checked_retirement()
        return self

    def _checked_retirement(self) -> None:
        if self.period is None or not MONTH.match(self.period):
            raise refuse("carbon_asset.period_needed", ref=self.ref, period=self.period or "")
        if self.instrument == "green_power":
            if not self.contract:
                raise refuse("carbon_asset.contract_needed", ref=self.ref)
            return
        first, last = serial_range(self)
        if last - first + 1 != self.quantity:
            raise refuse(
                "carbon_asset.serials_count",
                ref=self.ref, serials=self.serials, count=last - first + 1, quantity=self.quantity,
            )  # fmt: skip
        if self.production_year is None:
            raise refuse("carbon_asset.production_year_needed", ref=self.ref)
        used_in = int(self.period[:4])
        validity = rules().gec_validity_years
        if not self.production_year <= used_in <= self.production_year + validity:
            raise refuse(
                "carbon_asset.gec_expired",
                ref=self.ref, produced=self.production_year, period=self.period, years=validity,
            )  # fmt: skip


def serial_range(movement: MovementIn) -> tuple[int, int]:
    """The first and last certificate number a GEC retirement names (``first-last``)."""
    found = SERIALS.match(movement.serials or "")
    if not found or int(found.group(1)) > int(found.group(2)):
        raise refuse("carbon_asset.serials_needed", ref=movement.ref, serials=movement.serials)
    return int(found.group(1)), int(found.group(2))


class VerifiedIn(InputModel):
    """A covered entity's verified emissions of one compliance year (from the verifier)."""

    entity: str = Field(min_length=1, max_length=40)
    year: int = Field(ge=2019, le=2100)
    verified_tco2: float = Field(ge=0)
    verifier: str | None = Field(default=None, max_length=200)

    @property
    def key(self) -> str:
        return f"{self.entity}|{self.year}"
