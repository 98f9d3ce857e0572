"""A pathway scenario as data: how the group grows and what it does about its emissions.

Every lever is a plain declaration with a start year, an optional ramp and its cost, so
that the projection, the abatement cost curve and a UI form all read the same fields.
Shares are percent; costs are CNY; energy savings are tce or percent.
"""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field, model_validator

from esgledger.inputs import InputModel


class _Frozen(InputModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class Growth(_Frozen):
    """Yearly output growth of a segment, with the range sampled for the uncertainty band;
    output stays flat after ``until_year`` when one is given."""

    rate_pct: float = Field(default=0.0, ge=-50, le=100)
    low_pct: float | None = Field(default=None, ge=-50, le=100)
    high_pct: float | None = Field(default=None, ge=-50, le=100)
    until_year: int | None = Field(default=None, ge=2000, le=2100)

    @model_validator(mode="after")
    def _ordered(self) -> Growth:
        if not self.low <= self.rate_pct <= self.high:
            raise ValueError(
                f"low_pct <= rate_pct <= high_pct must hold; got {self.low}, "
                f"{self.rate_pct}, {self.high}"
            )
        return self

    @property
    def low(self) -> float:
        return self.rate_pct if self.low_pct is None else self.low_pct

    @property
    def high(self) -> float:
        return self.rate_pct if self.high_pct is None else self.high_pct


class CapacityChange(_Frozen):
    """Output added (positive) or closed (negative) from ``year`` on, in one segment."""

    name: str = ""
    segment: str
    year: int = Field(ge=2000, le=2100)
    change_pct: float | None = Field(default=None, ge=-100)
    output: float | None = None
    unit: Literal["tREO", "t"] = "tREO"

    @model_validator(mode="after")
    def _one_size(self) -> CapacityChange:
        if (self.change_pct is None) == (self.output is None):
            raise ValueError("give either change_pct (of the base year's output) or output")
        return self


class Costs(_Frozen):
    """What a measure costs: capital annualised over its life, and net yearly running cost
    (negative when it saves money)."""

    capex_cny: float = Field(default=0.0, ge=0)
    opex_cny_per_year: float = 0.0
    lifetime_years: int = Field(default=15, ge=1, le=60)


class Measure(Costs):
    """A lever with an id, where it applies and when: full effect ``ramp_years`` after
    ``start_year`` (0: from the start year)."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    name: str = ""
    segment: str = "all"
    start_year: int = Field(ge=2000, le=2100)
    ramp_years: int = Field(default=0, ge=0, le=40)


class Efficiency(Measure):
    """Energy saved on some carriers: a share, or tce a year at the base year's output."""

    carrier: str = "all"
    savings_pct: float | None = Field(default=None, gt=0, le=100)
    savings_tce: float | None = Field(default=None, gt=0)

    @model_validator(mode="after")
    def _one_saving(self) -> Efficiency:
        if (self.savings_pct is None) == (self.savings_tce is None):
            raise ValueError("give either savings_pct or savings_tce")
        return self


class FuelSwitch(Measure):
    """A share of one fuel replaced by another fuel or by electricity (``to: electricity``).

    ``efficiency_ratio`` is the tce of the new carrier per tce of the old one (an electric
    kiln needing less final energy than a gas one has a ratio below 1).
    """

    from_carrier: str = Field(alias="from")
    to: str
    share_pct: float = Field(gt=0, le=100)
    efficiency_ratio: float = Field(default=1.0, gt=0, le=5)
    to_emission_factor: float | None = Field(default=None, ge=0)


class ProcessChange(Measure):
    """Lower process emissions at the source, e.g. anode consumption -10 %."""

    source: Literal["anode", "pfc", "carbonates", "process"] = "process"
    reduction_pct: float = Field(gt=0, le=100)


class CarbonCapture(Measure):
    """A share of Scope 1 (process, combustion or all of it) captured and stored."""

    applies_to: Literal["process", "combustion", "all"] = "process"
    capture_pct: float = Field(gt=0, le=100)


class GreenChannel(_Frozen):
    """A source of green electricity: its share of electricity use by year (interpolated,
    held after the last year) and its cost premium per MWh."""

    shares_pct: dict[int, float] = Field(min_length=1)
    cost_cny_per_mwh: float = 0.0

    @model_validator(mode="after")
    def _percent(self) -> GreenChannel:
        bad = {year: share for year, share in self.shares_pct.items() if not 0 <= share <= 100}
        if bad:
            raise ValueError(f"shares are percent of electricity use (0-100); got {bad}")
        return self


class GreenElectricity(_Frozen):
    """Own solar lowers the electricity bought; contracts and certificates lower only the
    market-based Scope 2 (GHG Protocol Scope 2 Guidance)."""

    own_solar: GreenChannel | None = None
    contracts: GreenChannel | None = None
    certificates: GreenChannel | None = None


class GridFactor(_Frozen):
    """The group's average grid factor by year (tCO2e/MWh; each segment moves by the same
    ratio from its own base-year factor), and how sure that decline is."""

    points: dict[int, float] = Field(min_length=1)
    uncertainty_pct: float = Field(default=0.0, ge=0, le=100)


class Scenario(_Frozen):
    """Everything a projection needs besides the ledger's base year."""

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    title: str = ""
    title_zh: str = ""  # the title in Chinese, for Chinese pages and reports
    description: str = ""
    base_year: int | None = None
    end_year: int = Field(default=2060, ge=2001, le=2100)
    mac_year: int = Field(default=2030, ge=2001, le=2100)
    discount_rate_pct: float = Field(default=8.0, ge=0, le=50)
    growth: dict[str, Growth] = Field(default_factory=dict)
    capacity_changes: tuple[CapacityChange, ...] = ()
    efficiency: tuple[Efficiency, ...] = ()
    fuel_switches: tuple[FuelSwitch, ...] = ()
    process_changes: tuple[ProcessChange, ...] = ()
    carbon_capture: tuple[CarbonCapture, ...] = ()
    green_electricity: GreenElectricity = GreenElectricity()
    grid_factor: GridFactor | None = None

    @model_validator(mode="after")
    def _unique_measure_ids(self) -> Scenario:
        ids = [m.id for m in self.measures()]
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        if repeated:
            raise ValueError(f"measure ids must be unique; repeated: {', '.join(repeated)}")
        return self

    def measures(self) -> list[Measure]:
        """Every lever with a cost, in file order."""
        return [
            *self.efficiency,
            *self.fuel_switches,
            *self.process_changes,
            *self.carbon_capture,
        ]

    def growth_of(self, segment: str) -> Growth:
        """A segment's growth: its own entry, else ``default``, else none."""
        return self.growth.get(segment) or self.growth.get("default") or Growth()

    def without(self, measure_id: str) -> Scenario:
        """The same scenario without one lever (a measure id or a green channel name)."""
        if measure_id in ("own_solar", "contracts", "certificates"):
            green = self.green_electricity.model_copy(update={measure_id: None})
            return self.model_copy(update={"green_electricity": green})
        update = {
            field: tuple(m for m in getattr(self, field) if m.id != measure_id)
            for field in ("efficiency", "fuel_switches", "process_changes", "carbon_capture")
        }
        return self.model_copy(update=update)
