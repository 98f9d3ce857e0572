"""Scope 1 emissions of fuel combustion, stationary and mobile.

Chinese guideline (NDRC 2015, other non-ferrous metal smelting, formula 2-4):
    CO2 = activity × NCV × carbon content per unit heat × oxidation rate × 44/12
IPCC 2006 Guidelines Vol.2 Ch.2 (Tier 1):
    CO2 = activity × NCV × default CO2 emission factor
CH4 and N2O (when the method set asks): activity × NCV × IPCC default factor × GWP.
"""

from __future__ import annotations

import numpy as np

from esgledger.engine.carriers import Carrier, fuel_carriers
from esgledger.engine.context import MethodContext
from esgledger.engine.methodset import CombustionFactors
from esgledger.engine.registry import method

CO2_PER_C = 44.0 / 12.0
IPCC = "ipcc2006_energy"


def _energy_gj(ctx: MethodContext, carrier: Carrier) -> tuple[np.ndarray, str]:
    """Heat released by the fuel: activity × NCV of the dataset the method set uses."""
    dataset = ctx.options.combustion_dataset
    if ctx.options.combustion_factors is CombustionFactors.IPCC2006:
        dataset = carrier.ipcc_ncv_dataset
    ncv = ctx.factor(f"ncv.{carrier.fuel}", f"GJ/{carrier.unit}", dataset=dataset)
    return ctx.amount(carrier.indicator, carrier.unit) * ncv, f"ncv.{carrier.fuel}"


def _co2(ctx: MethodContext, carrier: Carrier, heat: np.ndarray, ncv_key: str) -> None:
    fuel, label = carrier.fuel, carrier.indicator
    if ctx.options.combustion_factors is CombustionFactors.CN_GUIDELINE:
        dataset = ctx.options.combustion_dataset
        carbon = ctx.factor(f"carbon_content.{fuel}", "t/GJ", dataset=dataset)
        oxidation = ctx.factor(f"oxidation.{fuel}", "dimensionless", dataset=dataset)
        keys = (ncv_key, f"carbon_content.{fuel}", f"oxidation.{fuel}")
        ctx.term(
            f"CO2 of {label}: activity × NCV × carbon content × oxidation × 44/12",
            heat * carbon * oxidation * CO2_PER_C,
            (label,),
            keys,
        )
        return
    factor = ctx.factor(f"ef_co2.{fuel}", "tCO2e/GJ", dataset=IPCC)
    ctx.term(
        f"CO2 of {label}: activity × NCV × IPCC CO2 factor",
        heat * factor,
        (label,),
        (ncv_key, f"ef_co2.{fuel}"),
    )


def _non_co2(
    ctx: MethodContext, carrier: Carrier, heat: np.ndarray, ncv_key: str, sector: str
) -> None:
    for gas in ("CH4", "N2O"):
        key, gwp_key = f"ef_{gas.lower()}.{sector}.{carrier.fuel}", f"gwp.{gas}"
        factor = ctx.factor(key, "t/GJ", dataset=IPCC)
        gwp = ctx.factor(gwp_key, "dimensionless", dataset=ctx.options.gwp_set)
        ctx.term(
            f"{gas} of {carrier.indicator}: activity × NCV × IPCC {gas} factor × GWP",
            heat * factor * gwp,
            (carrier.indicator,),
            (ncv_key, key, gwp_key),
        )


def _combustion(ctx: MethodContext, mobile: bool) -> None:
    sector = "road" if mobile else "manufacturing"
    for carrier in fuel_carriers():
        if (carrier.indicator in ctx.options.mobile_fuels) != mobile:
            continue
        heat, ncv_key = _energy_gj(ctx, carrier)
        _co2(ctx, carrier, heat, ncv_key)
        if ctx.options.combustion_non_co2:
            _non_co2(ctx, carrier, heat, ncv_key, sector)


@method(
    "ghg.scope1_stationary_combustion",
    reads=tuple(c.indicator for c in fuel_carriers()),
    formula="Σ stationary fuels: activity × NCV × carbon content × oxidation × 44/12 "
    "(or × IPCC CO2 factor) [+ CH4, N2O × GWP]",
)
def scope1_stationary_combustion(ctx: MethodContext) -> None:
    _combustion(ctx, mobile=False)


@method(
    "ghg.scope1_mobile_combustion",
    reads=tuple(c.indicator for c in fuel_carriers()),
    formula="Σ mobile fuels: activity × NCV × carbon content × oxidation × 44/12 "
    "(or × IPCC CO2 factor) [+ CH4, N2O × GWP]",
)
def scope1_mobile_combustion(ctx: MethodContext) -> None:
    _combustion(ctx, mobile=True)
