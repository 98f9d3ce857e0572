"""Scope 2: purchased electricity and steam, location-based and market-based.

Location-based (GHG Protocol Scope 2 Guidance; MEE grid factors; NDRC guidelines, "net
purchased electricity and heat"):
    (electricity − exported electricity) [MWh] × grid factor of the entity's grid and year
  + (heat − exported heat) [GJ] × heat factor [tCO2/GJ]
Exports are deducted only where the method set says (``deduct_exported_energy``); the heat
of steam and hot water comes from ``energy.purchased_heat_gj`` (methods/heat.py).
Market-based: green electricity bought with certificates or by direct supply counts at its
own factor (zero); the rest at the grid factor without market-traded non-fossil power
(the residual mix) where published, else at the location-based grid factor. Heat as above.
"""

from __future__ import annotations

import numpy as np

from esgledger.engine.context import MethodContext
from esgledger.engine.errors import CalculationError
from esgledger.engine.methodset import GridVintage
from esgledger.engine.registry import method

ELECTRICITY, GREEN, HEAT = (
    "energy.purchased_electricity",
    "energy.green_power_purchased",
    "energy.purchased_heat_gj",
)
EXPORTED_ELECTRICITY, EXPORTED_HEAT = "energy.exported_electricity", "energy.exported_heat"
HEAT_FACTOR = "ef_co2.purchased_heat"
RESIDUAL = "grid.electricity_excl_market_nonfossil"


def _grid(
    ctx: MethodContext,
    key: str | None = None,
    optional: bool = False,
    used_where: np.ndarray | None = None,
) -> np.ndarray:
    """The grid factor the method set prices electricity with (or ``key`` of its dataset)."""
    fallback = ctx.options.grid_factor_vintage is GridVintage.LATEST_AVAILABLE
    return ctx.factor(
        key or ctx.options.grid_factor.key,
        "tCO2e/MWh",
        dataset=ctx.options.grid_dataset,
        regional=ctx.options.grid_factor.regional,
        fallback=fallback,
        optional=optional,
        used_where=used_where,
    )


def _require_grid(ctx: MethodContext, electricity: np.ndarray) -> None:
    """Refuse electricity of an entity whose grid region is unknown: its factor would
    silently be the national average. The message says how to give the entity a grid."""
    problems = ctx.grid_problems
    if not problems or not ctx.options.grid_factor.regional:
        return
    used = np.flatnonzero((electricity != 0).any(axis=1))
    missing = [ctx.grid.entities[row] for row in used]
    missing = [code for code in missing if code in problems]
    if missing:
        raise CalculationError.coded(
            "calc.no_grid_region",
            indicator=ctx.node.indicator,
            entities=", ".join(missing),
            problems=[problems[c] for c in missing],
        )


def _heat(ctx: MethodContext) -> None:
    """Net purchased heat [GJ] × 0.11 tCO2/GJ (NDRC default for purchased heat); the heat
    of steam and hot water is worked out by ``energy.purchased_heat_gj``."""
    factor = ctx.factor(HEAT_FACTOR, "tCO2e/GJ", dataset="ndrc_other_nonferrous")
    ctx.term(f"{HEAT} × {HEAT_FACTOR}", ctx.amount(HEAT, "GJ") * factor, (HEAT,), (HEAT_FACTOR,))
    if ctx.options.deduct_exported_energy and not ctx.empty(EXPORTED_HEAT):
        ctx.term(
            f"− {EXPORTED_HEAT} × {HEAT_FACTOR} (exported)",
            -ctx.amount(EXPORTED_HEAT, "GJ") * factor,
            (EXPORTED_HEAT,),
            (HEAT_FACTOR,),
        )


def _exported_electricity(ctx: MethodContext) -> np.ndarray:
    """Electricity supplied outside the boundary [MWh], where the method set nets it (the
    NDRC guidelines count net purchased electricity); 0 where it does not."""
    if not ctx.options.deduct_exported_energy:
        return ctx.zeros()
    return ctx.amount(EXPORTED_ELECTRICITY, "MWh")


@method(
    "ghg.scope2_location_based",
    reads=(ELECTRICITY, EXPORTED_ELECTRICITY, HEAT, EXPORTED_HEAT),
    formula="(electricity − exported electricity) [MWh] × grid factor of the year + "
    "(heat − exported heat) [GJ] × heat factor [tCO2/GJ]",
)
def scope2_location_based(ctx: MethodContext) -> None:
    electricity = ctx.amount(ELECTRICITY, "MWh")
    _require_grid(ctx, electricity)
    key, factor = ctx.options.grid_factor.key, _grid(ctx)
    ctx.term(f"{ELECTRICITY} × {key}", electricity * factor, (ELECTRICITY,), (key,))
    exported = _exported_electricity(ctx)
    if exported.any():
        ctx.term(
            f"− {EXPORTED_ELECTRICITY} × {key} (exported)",
            -exported * factor,
            (EXPORTED_ELECTRICITY,),
            (key,),
        )
    _heat(ctx)


@method(
    "ghg.scope2_market_based",
    reads=(ELECTRICITY, GREEN, EXPORTED_ELECTRICITY, HEAT, EXPORTED_HEAT),
    formula="(electricity − green electricity with certificates − exported electricity) "
    "[MWh] × residual-mix factor + green electricity × 0 + heat as location-based",
)
def scope2_market_based(ctx: MethodContext) -> None:
    electricity, green = ctx.amount(ELECTRICITY, "MWh"), ctx.amount(GREEN, "MWh")
    if np.any(green > electricity + 1e-9):
        row, col = np.argwhere(green > electricity + 1e-9)[0]
        raise CalculationError.coded(
            "calc.green_over_bought",
            entity=ctx.grid.entities[row],
            period=ctx.grid.periods[col],
            green=green[row, col],
            bought=electricity[row, col],
        )
    _require_grid(ctx, electricity)
    _rest_of_electricity(ctx, electricity - green - _exported_electricity(ctx))
    ctx.term(f"{GREEN} × 0 (certificates)", green * 0.0, (GREEN,))
    _heat(ctx)


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
            (ELECTRICITY, GREEN, EXPORTED_ELECTRICITY),
            (RESIDUAL,),
        )
    if not published.all():
        key = ctx.options.grid_factor.key
        ctx.term(
            f"({ELECTRICITY} − {GREEN}) × {key} (no residual mix published)",
            np.where(published, 0.0, rest * _grid(ctx, used_where=~published)),
            (ELECTRICITY, GREEN, EXPORTED_ELECTRICITY),
            (key,),
        )


@method(
    "ghg.scope2_reported",
    reads=("ghg.scope2_location", "ghg.scope2_market"),
    formula="Scope 2 on the method set's basis (location or market)",
)
def scope2_reported(ctx: MethodContext) -> None:
    chosen = f"ghg.scope2_{ctx.options.scope2_basis.value}"
    ctx.term(chosen, ctx.amount(chosen, "tCO2e"), (chosen,))
