"""Standard-coal equivalents (tce) of energy carriers, GB/T 2589-2020.

tce = activity × coefficient. Fuels use the Appendix A reference coefficients; electricity
uses either the equivalent value (0.1229 kgce/kWh, its calorific content) or the year's
average coal consumption of thermal power supply, as the method set says.
"""

from __future__ import annotations

import numpy as np

from esgledger.engine.carriers import fuel_carriers
from esgledger.engine.context import MethodContext
from esgledger.engine.methodset import ElectricityMethod
from esgledger.engine.registry import method

TCE = "tce"
GBT2589 = "gbt2589"
HEAT, STEAM = "energy.purchased_heat_gj", "energy.purchased_steam"
PRESSURE, ENTHALPY = "energy.purchased_steam_pressure", "energy.purchased_steam_enthalpy"


def electricity_coefficient(ctx: MethodContext) -> tuple[str, object]:
    """The tce/MWh of electricity under the method set's electricity method."""
    if ctx.options.electricity_method is ElectricityMethod.COAL_CONSUMPTION:
        key = "coal_equivalent.electricity_coal_consumption"
        return key, ctx.factor(key, "tce/MWh", dataset="cn_power_supply_coal_rate")
    key = "coal_equivalent.electricity"
    return key, ctx.factor(key, "tce/MWh", dataset=GBT2589)


def _electricity_tce(ctx: MethodContext, indicator: str) -> None:
    key, coefficient = electricity_coefficient(ctx)
    ctx.term(
        f"{indicator} × {key}", ctx.amount(indicator, "MWh") * coefficient, (indicator,), (key,)
    )


@method(
    "energy.purchased_electricity_tce",
    reads=("energy.purchased_electricity",),
    formula="purchased electricity [MWh] × electricity coefficient [tce/MWh]",
)
def purchased_electricity_tce(ctx: MethodContext) -> None:
    _electricity_tce(ctx, "energy.purchased_electricity")


@method(
    "energy.renewable_self_generated_tce",
    reads=("energy.renewable_self_generated",),
    formula="self-generated renewable electricity [MWh] × electricity coefficient [tce/MWh]",
)
def renewable_self_generated_tce(ctx: MethodContext) -> None:
    _electricity_tce(ctx, "energy.renewable_self_generated")


@method(
    "energy.green_power_purchased_tce",
    reads=("energy.green_power_purchased",),
    formula="green electricity purchased [MWh] × electricity coefficient [tce/MWh]",
)
def green_power_purchased_tce(ctx: MethodContext) -> None:
    _electricity_tce(ctx, "energy.green_power_purchased")


@method(
    "energy.purchased_steam_tce",
    reads=(HEAT, STEAM, PRESSURE, ENTHALPY),
    formula="purchased heat [GJ] × heat coefficient [kgce/MJ]; steam without its conditions "
    "[t] × low-pressure steam coefficient [kgce/kg]",
)
def purchased_steam_tce(ctx: MethodContext) -> None:
    """Purchased steam, hot water and heat in tce (GB/T 2589-2020 Appendix A): their heat
    (``energy.purchased_heat_gj``) × 0.03412 kgce/MJ. Steam whose heat stood in for its
    unknown enthalpy counts at the low-pressure steam coefficient instead, as before."""
    heat_key, steam_key = "coal_equivalent.heat", "coal_equivalent.steam_low_pressure"
    steam = ctx.amount(STEAM, "t")
    unknown = (steam != 0) & np.isnan(ctx.value(ENTHALPY)) & np.isnan(ctx.value(PRESSURE))
    stand_in = np.where(unknown, steam, 0.0)
    heat = ctx.amount(HEAT, "GJ")
    if unknown.any():
        content = ctx.factor(steam_key, "GJ/t", dataset=GBT2589, used_where=unknown)
        heat = heat - stand_in * content
        ctx.term(
            f"{STEAM} without its conditions × {steam_key}",
            stand_in * ctx.factor(steam_key, "tce/t", dataset=GBT2589, used_where=unknown),
            (STEAM,),
            (steam_key,),
        )
    if (~unknown & (heat != 0)).any():
        coefficient = ctx.factor(heat_key, "tce/GJ", dataset=GBT2589)
        ctx.term(f"{HEAT} × {heat_key}", heat * coefficient, (HEAT,), (heat_key,))


@method(
    "energy.fossil_total",
    reads=tuple(c.indicator for c in fuel_carriers() if c.fossil),
    formula="Σ fossil fuel activity × GB/T 2589 coefficient",
)
def fossil_total(ctx: MethodContext) -> None:
    for carrier in (c for c in fuel_carriers() if c.fossil):
        coefficient = ctx.factor(carrier.coal_equivalent, f"{TCE}/{carrier.unit}", dataset=GBT2589)
        ctx.term(
            f"{carrier.indicator} × {carrier.coal_equivalent}",
            ctx.amount(carrier.indicator, carrier.unit) * coefficient,
            (carrier.indicator,),
            (carrier.coal_equivalent,),
        )
