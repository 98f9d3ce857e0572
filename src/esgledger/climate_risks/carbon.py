"""Carbon-price scenarios as data: a price path, the share of Scope 1 under a carbon price
and the share of it allocated free, by year, each point with its source.

Points are interpolated linearly between the years given and held after the last one
(and before the first). Prices are in any unit of money per tonne CO2e the unit registry
reads (``CNY/tCO2e``, ``10^4 CNY/tCO2e``); a price in another currency needs the
scenario's ``rate_to_cny`` (the registry keeps currencies apart on purpose).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from esgledger.errors import EsgError
from esgledger.units import UnitError, conversion_factor

SHIPPED_PRICES = Path(__file__).with_name("data") / "carbon_prices.yaml"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class PricePath(_Frozen):
    """Values by year, and where each came from (a citation, or ``ASSUMPTION: ...``)."""

    points: dict[int, float] = Field(min_length=1)
    sources: dict[int, str] = Field(default_factory=dict)

    def at(self, years: np.ndarray) -> np.ndarray:
        """The path in each of ``years``: linear between points, held outside them."""
        known = sorted(self.points)
        return np.interp(years, known, [self.points[y] for y in known])


class PriceScenario(_Frozen):
    """One carbon-price and policy scenario."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    name_en: str
    name_zh: str
    description: str = ""
    price_unit: str = "CNY/tCO2e"
    rate_to_cny: float | None = Field(default=None, gt=0)
    price: PricePath
    coverage_pct: PricePath
    free_allocation_pct: PricePath

    @model_validator(mode="after")
    def _percent(self) -> PriceScenario:
        for name in ("coverage_pct", "free_allocation_pct"):
            bad = {y: v for y, v in getattr(self, name).points.items() if not 0 <= v <= 100}
            if bad:
                raise ValueError(f"{name} holds percent (0-100); got {bad}")
        if any(v < 0 for v in self.price.points.values()):
            raise ValueError("a carbon price is not negative")
        return self

    def name(self, lang: str) -> str:
        return self.name_zh if lang == "zh" else self.name_en

    def cny_per_t(self, years: np.ndarray) -> np.ndarray:
        """The price path in CNY per tCO2e."""
        return self.price.at(years) * price_factor(self.price_unit, self.rate_to_cny)


def price_factor(unit: str, rate_to_cny: float | None) -> float:
    """CNY/tCO2e per unit of ``unit`` (money per tonne); a foreign currency uses the rate.

    Raises:
        UnitError: the unit is not money per mass of CO2e, or is foreign without a rate.
    """
    money, _, per = unit.partition("/")
    rate = rate_to_cny if rate_to_cny is not None else conversion_factor(money.strip(), "CNY")
    return rate / conversion_factor(per.strip() or "?", "tCO2e")


class PriceFile(_Frozen):
    """A file of carbon-price scenarios."""

    price_scenarios: tuple[PriceScenario, ...] = Field(min_length=1)


def load_prices(path: Path | None = None) -> PriceFile:
    """The scenarios of ``path`` (default: the shipped, cited file), checked.

    Raises:
        EsgError: unreadable file, bad fields, or a price unit that cannot become CNY/tCO2e.
    """
    path = path or SHIPPED_PRICES
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        prices = PriceFile.model_validate(data)
        for scenario in prices.price_scenarios:
            price_factor(scenario.price_unit, scenario.rate_to_cny)
    except (OSError, yaml.YAMLError, ValidationError, UnitError) as exc:
        detail = str(exc).splitlines()[0] if not isinstance(exc, ValidationError) else str(exc)
        raise EsgError(
            f"{path}: {detail}",
            code="climate_risks.price_file",
            params={"file": path, "detail": detail},
        ) from None
    return prices
