"""Method sets: the methodological choices of a calculation, declared as data.

A method set never changes the data; computing one snapshot under two method sets shows
exactly what a methodology change does to every figure.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from esgledger.engine.method_names import DEFAULT_METHOD_SET as DEFAULT_METHOD_SET
from esgledger.errors import EsgError, Location, NotFoundError, ValidationFailed
from esgledger.field_errors import field_problem
from esgledger.plugins import Provided, claim, collect, derived


class ElectricityMethod(StrEnum):
    EQUIVALENT_VALUE = "equivalent_value"
    COAL_CONSUMPTION = "coal_consumption"


class CombustionFactors(StrEnum):
    CN_GUIDELINE = "cn_guideline"
    IPCC2006 = "ipcc2006"


class Scope2Basis(StrEnum):
    LOCATION = "location"
    MARKET = "market"


class GridVintage(StrEnum):
    PERIOD_YEAR = "period_year"
    LATEST_AVAILABLE = "latest_available"


class GridFactor(StrEnum):
    """Which electricity factor prices purchased power (location-based Scope 2)."""

    REGIONAL_AVERAGE = "regional_average"  # grid.electricity of the entity's grid and year
    CARBON_MARKET = "carbon_market"  # grid.electricity_reporting: MEE's national MRV factor

    @property
    def key(self) -> str:
        return "grid.electricity" if self is GridFactor.REGIONAL_AVERAGE else GRID_REPORTING

    @property
    def regional(self) -> bool:
        """Whether the factor depends on the entity's grid region."""
        return self is GridFactor.REGIONAL_AVERAGE


GRID_REPORTING = "grid.electricity_reporting"


class Consolidation(StrEnum):
    OPERATIONAL_CONTROL = "operational_control"
    FINANCIAL_CONTROL = "financial_control"
    EQUITY_SHARE = "equity_share"


class MethodSet(BaseModel):
    """One named combination of choices; see ``data/method_sets.yaml`` for their meaning."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    description: str = ""
    gwp_set: str = "ipcc_ar5_gwp100"
    electricity_method: ElectricityMethod = ElectricityMethod.EQUIVALENT_VALUE
    combustion_factors: CombustionFactors = CombustionFactors.CN_GUIDELINE
    scope2_basis: Scope2Basis = Scope2Basis.LOCATION
    grid_factor_vintage: GridVintage = GridVintage.LATEST_AVAILABLE
    grid_dataset: str = "cn_grid_mee"
    grid_factor: GridFactor = GridFactor.REGIONAL_AVERAGE
    consolidation: Consolidation = Consolidation.OPERATIONAL_CONTROL
    mobile_fuels: tuple[str, ...] = ("energy.diesel", "energy.gasoline")
    combustion_non_co2: bool = False
    deduct_recovered_co2: bool = False
    deduct_exported_energy: bool = True
    factor_files: tuple[str, ...] = ()

    @property
    def combustion_dataset(self) -> str:
        if self.combustion_factors is CombustionFactors.CN_GUIDELINE:
            return "ndrc_other_nonferrous"
        return "ipcc2006_energy"


def method_sets(extra: Path | None = None) -> dict[str, MethodSet]:
    """The registered method sets (shipped and plugins'), plus those of a user's YAML file."""
    found = {name: provided.item for name, provided in registered_method_sets().items()}
    if extra is not None:
        found.update(_read(extra))
    return found


def get_method_sets(names: str, extra: Path | None = None) -> list[MethodSet]:
    """Method sets named in a comma-separated list, in that order."""
    known = method_sets(extra)
    chosen = []
    for name in (part.strip() for part in names.split(",") if part.strip()):
        if name not in known:
            raise NotFoundError.coded(
                "calc.no_method_set", name=name, known=", ".join(sorted(known))
            )
        chosen.append(known[name])
    return chosen


def registered_method_sets() -> dict[str, Provided[MethodSet]]:
    """The method sets of every plugin's files (esgledger's first), with their plugin.

    Raises:
        PluginError: two plugins declare the same method-set name.
    """
    from esgledger.engine import shipped_sets as shipped

    return derived("esgledger_method_sets", "method sets", _registered, shipped)


def _registered() -> dict[str, Provided[MethodSet]]:
    from esgledger.engine import shipped_sets as shipped

    found: dict[str, Provided[MethodSet]] = {}
    for provided in collect("esgledger_method_sets", Path, str, shipped).values():
        for name, item in _read(provided.item).items():
            taken = {n: p.plugin for n, p in found.items()}
            claim(taken, name, provided.plugin, f"the method-set file {provided.item}")
            found[name] = Provided(item, provided.plugin)
    return found


def _read(path: Path) -> dict[str, MethodSet]:
    if not path.is_file():
        raise EsgError.coded("calc.method_file_missing", path=path)
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    entries = data.get("method_sets") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise EsgError.coded("calc.method_file_shape", path=path)
    result = {}
    for number, entry in enumerate(entries, start=1):
        try:
            item = MethodSet.model_validate(entry)
        except ValidationError as exc:
            at = Location(file=str(path))
            problems = [field_problem(at, error, error.get("input")) for error in exc.errors()]
            raise ValidationFailed.refusing(
                problems, "calc.method_set_invalid", path=path, number=number
            ) from None
        result[item.name] = item
    return result
