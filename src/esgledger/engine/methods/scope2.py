"""Scope 2: purchased electricity and steam, location-based and market-based.

Location-based (GHG Protocol Scope 2 Guidance; MEE grid factors):
    electricity [MWh] × grid factor of the entity's regional grid and year
  + steam [t] × heat content [GJ/t] × heat factor [tCO2/GJ]
Market-based: green electricity bought with certificates or by direct supply counts at its
own factor (zero); the rest at the grid factor without market-traded non-fossil power
(the residual mix) where published, else at the location-based grid factor. Steam as above.
"""

from __future__ import annotations

import numpy as np

from esgledger.engine.context import MethodContext
from esgledger.engine.errors import CalculationError
from esgledger.engine.methodset import GridVintage
from esgledger.engine.registry import method

ELECTRICITY, GREEN, STEAM = (
    "energy.purchased_electricity",
    "energy.green_power_purchased",
    "energy.purchased_steam",
)
HEAT_FACTOR, STEAM_HEAT = "ef_co2.purchased_heat", "coal_equivalent.steam_low_pressure"
RESIDUAL = "grid.electricity_excl_market_nonfossil"


def _grid(
    ctx: MethodContext,
    key: str = "grid.electricity",
    optional: bool = False,
    used_where: np.ndarray | None = None,
) -> np.ndarray:
    fallback = ctx.options.grid_factor_vintage is GridVintage.LATEST_AVAILABLE
    return ctx.factor(
        key,
        "tCO2e/MWh",
        dataset=ctx.options.grid_dataset,
        regional=True,
        fallback=fallback,
        optional=optional,
        used_where=used_where,
    )


def _steam(ctx: MethodContext) -> None:
    """Steam heat from the GB/T 2589 low-pressure steam content (3 763 MJ/t) × 0.11 tCO2/GJ."""
    heat = ctx.amount(STEAM, "t") * ctx.factor(STEAM_HEAT, "GJ/t", dataset="gbt2589")
    factor = ctx.factor(HEAT_FACTOR, "tCO2e/GJ", dataset="ndrc_other_nonferrous")
    ctx.term(
        f"{STEAM} × steam heat content × {HEAT_FACTOR}",
        heat * factor,
        (STEAM,),
        (STEAM_HEAT, HEAT_FACTOR),
    )


@method(
    "ghg.scope2_location_based",
    reads=(ELECTRICITY, STEAM),
    formula="electricity [MWh] × regional grid factor of the year + steam [t] × heat "
    "content [GJ/t] × heat factor [tCO2/GJ]",
)
def scope2_location_based(ctx: MethodContext) -> None:
    ctx.term(
        f"{ELECTRICITY} × grid.electricity",
        ctx.amount(ELECTRICITY, "MWh") * _grid(ctx),
        (ELECTRICITY,),
        ("grid.electricity",),
    )
    _steam(ctx)


@method(
    "ghg.scope2_market_based",
    reads=(ELECTRICITY, GREEN, STEAM),
    formula="(electricity − green electricity with certificates) [MWh] × residual-mix "
    "factor + green electricity × 0 + steam as location-based",
)
def scope2_market_based(ctx: MethodContext) -> None:
    electricity, green = ctx.amount(ELECTRICITY, "MWh"), ctx.amount(GREEN, "MWh")
    if np.any(green > electricity + 1e-9):
        row, col = np.argwhere(green > electricity + 1e-9)[0]
        raise CalculationError(
            f"ghg.scope2_market for {ctx.state.grid.entities[row]} {ctx.state.grid.periods[col]}: "
            f"green electricity ({green[row, col]:,.3f} MWh) exceeds purchased electricity "
            f"({electricity[row, col]:,.3f} MWh); green power is part of the electricity bought"
        )
    _rest_of_electricity(ctx, electricity - green)
    ctx.term(f"{GREEN} × 0 (certificates)", green * 0.0, (GREEN,))
    _steam(ctx)


def _rest_of_electricity(ctx: MethodContext, rest: np.ndarray) -> None:
    """Electricity not covered by certificates, at the residual mix where one is published
    for the cell's year and region, and at the location-based grid factor elsewhere.

    Decided cell by cell, so that a value does not depend on which other years are
    computed with it.
    """
    residual = _grid(ctx, RESIDUAL, optional=True)
    published = ~np.isnan(residual)
    if published.any():
        ctx.term(
            f"({ELECTRICITY} − {GREEN}) × {RESIDUAL}",
            np.where(published, rest * residual, 0.0),
            (ELECTRICITY, GREEN),
            (RESIDUAL,),
        )
    if not published.all():
        ctx.term(
            f"({ELECTRICITY} − {GREEN}) × grid.electricity (no residual mix published)",
            np.where(published, 0.0, rest * _grid(ctx, used_where=~published)),
            (ELECTRICITY, GREEN),
            ("grid.electricity",),
        )


@method(
    "ghg.scope2_reported",
    reads=("ghg.scope2_location", "ghg.scope2_market"),
    formula="Scope 2 on the method set's basis (location or market)",
)
def scope2_reported(ctx: MethodContext) -> None:
    chosen = f"ghg.scope2_{ctx.options.scope2_basis.value}"
    ctx.term(chosen, ctx.amount(chosen, "tCO2e"), (chosen,))
