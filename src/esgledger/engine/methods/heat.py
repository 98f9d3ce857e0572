"""Heat bought as steam, hot water or metered heat, in GJ (NDRC enterprise guidelines).

The NDRC enterprise GHG accounting guidelines (e.g. 《工业其他行业企业温室气体排放核算方法与
报告指南（试行）》, and the other non-ferrous metals guideline, "net purchased heat") count
heat, not steam mass:

    steam      AD_st = Ma_st [t] × (En_st − 83.74) [kJ/kg] × 10^-3   → GJ
    hot water  AD_w  = Ma_w [t] × (T_w − 20) [°C] × 4.1868 [kJ/(kg·°C)] × 10^-3 → GJ

83.74 kJ/kg is the enthalpy of the water the heat is counted from (about 20 °C), 4.1868
kJ/(kg·K) the specific heat of water (International Table calorie). The steam's enthalpy
En_st is measured, or read from the IAPWS-IF97 steam tables (``iapws``) at its absolute
pressure and temperature (saturated vapour when only the pressure is known).
"""

from __future__ import annotations

import numpy as np

from esgledger.engine.context import MethodContext
from esgledger.engine.errors import CalculationError
from esgledger.engine.lineage import Diagnostic
from esgledger.engine.registry import method
from esgledger.errors import Phrase

STEAM, PRESSURE, TEMPERATURE, ENTHALPY = (
    "energy.purchased_steam",
    "energy.purchased_steam_pressure",
    "energy.purchased_steam_temperature",
    "energy.purchased_steam_enthalpy",
)
HOT_WATER, WATER_TEMPERATURE, HEAT = (
    "energy.purchased_hot_water",
    "energy.purchased_hot_water_temperature",
    "energy.purchased_heat",
)
REFERENCE_ENTHALPY = "steam.reference_enthalpy"  # 83.74 kJ/kg, NDRC guideline
STAND_IN = "coal_equivalent.steam_low_pressure"  # GB/T 2589 heat content of low-pressure steam
WATER_SPECIFIC_HEAT = 4.1868  # kJ/(kg·K), International Table calorie: 1 kcal/(kg·K)
WATER_REFERENCE_C = 20.0  # °C, the guideline's hot-water reference
KELVIN = 273.15


def steam_enthalpy(pressure_mpa: float, temperature_c: float | None) -> float:
    """Specific enthalpy [kJ/kg] of steam at an absolute pressure and temperature (IAPWS-IF97);
    saturated vapour at the pressure when the temperature is not known.

    Raises:
        ValueError: the state is outside IF97 or is not steam (liquid water).
    """
    # Imported here, not at the top: iapws loads scipy.optimize (about 0.8 s), and only
    # purchased steam given by its conditions needs the tables.
    from iapws import IAPWS97

    if temperature_c is None or np.isnan(temperature_c):
        state = IAPWS97(P=pressure_mpa, x=1.0)
    else:
        state = IAPWS97(P=pressure_mpa, T=temperature_c + KELVIN)
        if state.region == 1:  # IF97 region 1: compressed liquid water
            saturation = IAPWS97(P=pressure_mpa, x=1.0).T - KELVIN
            raise ValueError(
                f"at {pressure_mpa:g} MPa and {temperature_c:g} °C water is liquid (it boils "
                f"at {saturation:.1f} °C at that pressure)"
            )
    if not state.status or state.h is None:
        raise ValueError(f"{pressure_mpa:g} MPa, {temperature_c} °C is outside IAPWS-IF97")
    return float(state.h)


def _enthalpies(ctx: MethodContext, steam: np.ndarray) -> np.ndarray:
    """En_st per cell [kJ/kg]: measured, else from the steam tables (NaN: no conditions).

    The steam tables are scalar: they are asked once per distinct (pressure, temperature)."""
    measured = ctx.value(ENTHALPY, "kJ/kg")
    pressure, temperature = ctx.value(PRESSURE, "MPa"), ctx.value(TEMPERATURE)
    need = (steam != 0) & np.isnan(measured) & ~np.isnan(pressure)
    found = np.where(steam != 0, measured, np.nan)
    if not need.any():
        return found
    pairs = np.stack([pressure[need], temperature[need]], axis=1)
    unique, back = np.unique(pairs, axis=0, return_inverse=True)
    values = np.empty(len(unique))
    for n, (p, t) in enumerate(unique):
        try:
            values[n] = steam_enthalpy(float(p), None if np.isnan(t) else float(t))
        except (ValueError, NotImplementedError) as exc:  # iapws: state outside its range
            raise CalculationError(_bad_state(ctx, need, pairs, (p, t), exc)) from None
    found[need] = values[back.ravel()]
    return found


def _bad_state(ctx: MethodContext, need: np.ndarray, pairs: np.ndarray, pair, exc) -> str:
    grid = ctx.grid
    row, col = np.argwhere(need)[int(np.flatnonzero((pairs == pair).all(axis=1))[0])]
    return (
        f"{ctx.node.indicator} for {grid.entities[row]} {grid.periods[col]}: purchased steam "
        f"{exc}; give the absolute pressure in MPa ({PRESSURE}) and the temperature in °C "
        f"({TEMPERATURE}) at the meter, or the measured enthalpy ({ENTHALPY})"
    )


def _steam_heat(ctx: MethodContext) -> None:
    steam = ctx.amount(STEAM, "t")
    if not steam.any():
        return
    enthalpy = _enthalpies(ctx, steam)
    known = ~np.isnan(enthalpy)
    if known.any():
        reference = ctx.factor(REFERENCE_ENTHALPY, "kJ/kg", dataset="ndrc_other_nonferrous")
        ctx.term(
            f"{STEAM} × (enthalpy − {REFERENCE_ENTHALPY}) × 10^-3",
            np.where(known, steam * (np.where(known, enthalpy, 0.0) - reference) * 1e-3, 0.0),
            (STEAM, PRESSURE, TEMPERATURE, ENTHALPY),
            (REFERENCE_ENTHALPY,),
        )
    unknown = (steam != 0) & ~known
    if unknown.any():
        _stand_in(ctx, steam, unknown)


def _stand_in(ctx: MethodContext, steam: np.ndarray, unknown: np.ndarray) -> None:
    """Steam without its conditions: the GB/T 2589 heat content of low-pressure steam, with
    a notice on every such value (the guideline needs the enthalpy)."""
    content = ctx.factor(STAND_IN, "GJ/t", dataset="gbt2589", used_where=unknown)
    ctx.term(
        f"{STEAM} × {STAND_IN} (steam conditions not reported)",
        np.where(unknown, steam * content, 0.0),
        (STEAM,),
        (STAND_IN,),
    )
    grid = ctx.grid
    ctx.note(  # one per entity: a monthly grid would repeat it 12 times
        Diagnostic.coded(
            ctx.node.indicator,
            grid.entities[row],
            "*",
            "engine_notice.steam_stand_in",
            periods=_periods(grid.periods, unknown[row]),
            pressure=PRESSURE,
            temperature=TEMPERATURE,
            enthalpy=ENTHALPY,
        )
        for row in np.flatnonzero(unknown.any(axis=1))
    )


def _periods(periods: tuple[str, ...], where: np.ndarray) -> str | Phrase:
    """``2024-01`` or ``2024-01 … 2024-12 (12 periods)``."""
    chosen = [periods[col] for col in np.flatnonzero(where)]
    if len(chosen) == 1:
        return chosen[0]
    return Phrase.of("engine_notice.periods", first=chosen[0], last=chosen[-1], count=len(chosen))


def _hot_water_heat(ctx: MethodContext) -> None:
    water = ctx.amount(HOT_WATER, "t")
    if not water.any():
        return
    temperature = ctx.value(WATER_TEMPERATURE)
    missing = (water != 0) & np.isnan(temperature)
    if missing.any():
        row, col = np.argwhere(missing)[0]
        raise CalculationError.coded(
            "calc.hot_water_temperature",
            indicator=ctx.node.indicator,
            entity=ctx.grid.entities[row],
            period=ctx.grid.periods[col],
            temperature=WATER_TEMPERATURE,
        )
    ctx.term(
        f"{HOT_WATER} × ({WATER_TEMPERATURE} − 20) × 4.1868 × 10^-3",
        np.where(
            water != 0, water * (temperature - WATER_REFERENCE_C) * WATER_SPECIFIC_HEAT * 1e-3, 0.0
        ),
        (HOT_WATER, WATER_TEMPERATURE),
    )


@method(
    "energy.purchased_heat_gj",
    reads=(STEAM, PRESSURE, TEMPERATURE, ENTHALPY, HOT_WATER, WATER_TEMPERATURE, HEAT),
    formula="steam [t] × (enthalpy − 83.74 kJ/kg) × 10^-3 + hot water [t] × (T − 20 °C) × "
    "4.1868 × 10^-3 + heat [GJ]",
)
def purchased_heat_gj(ctx: MethodContext) -> None:
    _steam_heat(ctx)
    _hot_water_heat(ctx)
    if not ctx.empty(HEAT):
        ctx.term(HEAT, ctx.amount(HEAT, "GJ"), (HEAT,))
