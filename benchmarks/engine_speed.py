"""Engine speed: a full monthly recompute of a 1,000-entity group against a numpy baseline.

Run:  .venv/bin/python benchmarks/engine_speed.py [--entities N] [--months N] [--repeat N]
      [--loop-sample N] [--no-probe] [--malloc-defaults]
      (defaults: 1000 entities, 120 months, 5 repeats)

The synthetic group is one group entity over five subsidiaries over N facilities (grid
regions, segments, tags, partial ownership and a few entities outside operational control).
Each facility reports 60 INPUT indicators of the shipped catalog every month, from January
2015 on: all energy carriers, purchased electricity, steam, green power (never more than the
electricity), self-generated renewables, production outputs, process inputs and other flow
inputs. At the defaults that is 1,000 x 120 x 60 = 7.2 M observations in one long polars
frame with the columns of ``esgledger.engine.arrays.cube.OBSERVATION_SCHEMA``, its rows in the
order the ledger hands frames over (indicator, entity, period).

Timed on that same frame, in the same process:

* (a) engine: ``esgledger.engine.run.calculate`` for the years, as ``esgledger calc`` runs
  it, method set cn-default: every derived indicator of the catalog for every facility and
  month (each month with its own factors), the years rolled up from the months, and both
  consolidated to the group, tags, segments and subsidiaries;
* (b) baseline: hand-written numpy that pivots the frame itself and computes only the
  totals, with the accounting of cn-default written out per input: energy (tce, GB/T 2589),
  Scope 1 (NDRC guideline combustion, anode carbon, PFCs, carbonates, oxalic acid,
  reductants, fugitive gases at AR5 GWPs) and Scope 2 location-based and market-based (net
  of exported electricity and heat, purchased heat and steam), per facility and month,
  their sums per year, and the group sums of both; its factor tables are prepared before
  timing;
* (b2) the same baseline pivoting all 60 inputs first (the cost of reading everything);
* (c) loop: a plain Python loop over the rows as tuples, computing the same totals.

The totals of (a), (b) and (c) must agree to 1e-9 relative: the first run of (a) and (b)
is checked before any timing is printed, (c) after its run, and a disagreement ends the
run with the totals that differ (tests/benchmarks run this check at a tiny size).

Each timing is repeated with its peak resident memory (the kernel's peak mark is reset
before each). The first run of each is printed apart from the later, warm ones (their
median and range): it faults in memory the later runs reuse. (a) is also timed at 1/4,
1/2 and all of the facilities.

The process runs as the ``esgledger`` command and server do: freed memory is kept for the
next calculation (``esgledger.engine.arrays.memory.keep_freed_memory``, glibc). With
``--malloc-defaults`` it is not, and every run of (a) faults in its arrays afresh (see
docs/performance.md, Engine).

Shipped factors do not cover 2015 to March 2021 (GB/T 2589-2020 took effect in April 2021,
MEE grid factors start with 2021), nor do they hold PFC factors for electrolysis. The
script says which years fail with the shipped factors, then adds a benchmark factor file
that supplies them (illustrative values, not published figures; see ``bench_factor_file``).
Grid factors then resolve up to 2028 (five years after the last published), so --months
can go up to 168.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import math
import os
import platform
import re
import resource
import statistics
import tempfile
import time
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import yaml

from esgledger.catalog import load_catalog
from esgledger.catalog.registry import Catalog
from esgledger.engine.arrays.cube import OBSERVATION_SCHEMA
from esgledger.engine.arrays.memory import keep_freed_memory
from esgledger.engine.carriers import fuel_carriers
from esgledger.engine.errors import CalculationError
from esgledger.engine.methodset import get_method_sets
from esgledger.engine.run import calculate
from esgledger.factors import (
    FactorLibrary,
    FactorNotFoundError,
    load_factor_sets,
    shipped_factor_sets,
)
from esgledger.observation_frame import in_ledger_order
from esgledger.org import Entity, OrgTree
from esgledger.org.divisions import NATIONAL
from esgledger.org.model import Segment
from esgledger.periods import Granularity, Period
from esgledger.units import conversion_factor

FIRST_YEAR = 2015
INDICATORS = 60
SUBSIDIARIES = 5
REGIONS = (
    "north",
    "northeast",
    "east",
    "central",
    "northwest",
    "south",
    "southwest",
    "CN-NM",
    "CN-JX",
    "CN-GD",
    "CN-SC",
    NATIONAL,  # the national average, chosen on purpose
)
ELECTRICITY, STEAM, GREEN, RENEWABLE = (
    "energy.purchased_electricity",
    "energy.purchased_steam",
    "energy.green_power_purchased",
    "energy.renewable_self_generated",
)
HEAT, EXPORTED_ELECTRICITY, EXPORTED_HEAT = (
    "energy.purchased_heat",
    "energy.exported_electricity",
    "energy.exported_heat",
)
CARBONATES = {  # input → the formula in its stoichiometric factor's key
    "process.carbonate_caco3_consumed": "CaCO3",
    "process.carbonate_mgco3_consumed": "MgCO3",
    "process.carbonate_na2co3_consumed": "Na2CO3",
    "process.carbonate_nahco3_consumed": "NaHCO3",
    "process.carbonate_dolomite_consumed": "CaMg(CO3)2",
}
ANODE, METAL, OXALIC = (
    "process.carbon_anode_consumed",
    "process.re_metal_electrolysis_output",
    "process.oxalic_acid_consumed",
)
PROCESS = (ANODE, METAL, *CARBONATES, OXALIC)  # process inputs counted per tonne
REDUCTANTS = {  # input → (unit its NDRC reductant factor is per, fuel in the key)
    "process.reductant_coke_consumed": ("t", "coke"),
    "process.reductant_semi_coke_consumed": ("t", "semi_coke"),
    "process.reductant_anthracite_consumed": ("t", "anthracite"),
    "process.reductant_natural_gas_consumed": ("wan_Nm3", "natural_gas"),
}
GASES = ("CO2", "CH4", "N2O", "SF6", "NF3", "HFC-23", "HFC-32", "HFC-125", "HFC-134a")
GASES += ("HFC-143a", "HFC-152a", "HFC-227ea")
FUGITIVE = {f"ghg.fugitive_{gas.lower().replace('-', '_')}": gas for gas in GASES}  # → GWP key
SCOPE2 = (ELECTRICITY, EXPORTED_ELECTRICITY, GREEN, STEAM, HEAT, EXPORTED_HEAT)
TOTALS = {  # what the baseline and the loop compute, and the engine's indicator for each
    "energy": "energy.total",
    "scope1": "ghg.scope1",
    "scope2": "ghg.scope2_location",
    "scope2_market": "ghg.scope2_market",
}
NDRC, GBT, GRID = "ndrc_other_nonferrous", "gbt2589", "cn_grid_mee"
GWP, RESIDUAL = "ipcc_ar5_gwp100", "grid.electricity_excl_market_nonfossil"
BACKFILL = ("pfc", "gbt", "grid")
METHOD_SET = "cn-default"


# ---------------------------------------------------------------- synthetic data


def facility_codes(count: int) -> list[str]:
    return [f"F{number:04d}" for number in range(1, count + 1)]


def build_org(count: int) -> OrgTree:
    """GRP over SUB1..SUB5 over ``count`` facilities; facility i is the same at every size."""
    base = {"name_zh": "测试", "operational_control": True}
    entities = [Entity(code="GRP", name_en="Bench group", kind="group", **base)]
    for number in range(1, SUBSIDIARIES + 1):
        share = (1.0, 0.8, 0.65, 1.0, 0.51)[number - 1]
        entities.append(
            Entity(
                code=f"SUB{number}",
                name_en=f"Sub {number}",
                kind="subsidiary",
                parent="GRP",
                ownership_share=share,
                **base,
            )
        )
    segments = list(Segment)
    for index, code in enumerate(facility_codes(count)):
        tags = tuple(t for t, every in (("key_entity", 7), ("ets", 11)) if index % every == 0)
        entities.append(
            Entity(
                code=code,
                name_en=f"Facility {code}",
                name_zh="工厂",
                kind="facility",
                parent=f"SUB{index % SUBSIDIARIES + 1}",
                grid_region=REGIONS[index % len(REGIONS)],
                segment=segments[index % len(segments)],
                tags=tags,
                ownership_share=(1.0, 1.0, 0.6, 1.0, 0.35)[index % 5],
                operational_control=index % 40 != 39,
                financial_control=index % 50 != 49,
            )
        )
    return OrgTree(entities)


def choose_indicators(catalog: Catalog) -> list[str]:
    """Monthly flow inputs first, then yearly flow inputs that feed derived indicators."""
    inputs = [i for i in catalog if i.kind == "input" and i.quantity_type == "flow"]
    inputs = [i for i in inputs if not i.id.startswith("scope3.")]  # would need user factors
    # hot water's heat needs its temperature, an input that is not a flow (methods/heat.py)
    inputs = [i for i in inputs if i.id != "energy.purchased_hot_water"]
    used = {d for i in catalog if i.kind == "derived" for d in i.dependencies}
    ranked = sorted(inputs, key=lambda i: (i.frequency != "monthly", i.id not in used, i.id))
    chosen = [i.id for i in ranked[:INDICATORS]]
    missing = {c.indicator for c in fuel_carriers()} | {RENEWABLE, *SCOPE2}
    missing |= {*PROCESS, *REDUCTANTS, *FUGITIVE}
    assert missing <= set(chosen), missing - set(chosen)
    return chosen


def month_labels(months: int) -> list[str]:
    return [f"{FIRST_YEAR + m // 12}-{m % 12 + 1:02d}" for m in range(months)]


def synthetic_values(entities: int, months: int, indicators: list[str]) -> np.ndarray:
    """(entity, month, indicator) values: size × seasonality × noise; green ≤ electricity."""
    rng = np.random.default_rng(20240601)
    size = rng.lognormal(0.0, 1.0, entities)[:, None, None]
    scale = rng.lognormal(3.0, 2.0, len(indicators))[None, None, :]
    season = 1.0 + 0.15 * np.sin(np.arange(months) * np.pi / 6.0)[None, :, None]
    values = size * scale * season * rng.uniform(0.8, 1.2, (entities, months, len(indicators)))
    electricity, green = indicators.index(ELECTRICITY), indicators.index(GREEN)
    values[:, :, green] = values[:, :, electricity] * rng.uniform(0.0, 0.3, (entities, months))
    return values


def build_observations(entities: int, months: int, indicators: list[str]) -> pl.DataFrame:
    """The long frame: one approved observation per facility, month and indicator.

    Rows come in the order the ledger hands frames over, by indicator, entity and period,
    and the frame says so as the ledger's do.
    """
    order = sorted(indicators)
    by_entity = synthetic_values(entities, months, indicators)  # (entity, month, indicator)
    values = by_entity[:, :, [indicators.index(i) for i in order]].transpose(2, 0, 1).reshape(-1)
    count, per_indicator = values.size, entities * months
    k_index = np.repeat(np.arange(len(order)), per_indicator)
    e_index = np.tile(np.repeat(np.arange(entities), months), len(order))
    m_index = np.tile(np.arange(months), entities * len(order))
    estimated = (np.random.default_rng(7).random(count) < 0.02).astype(np.int64)
    labels = month_labels(months)
    columns = {
        "entity": pl.Series(facility_codes(entities)).gather(e_index),
        "period": pl.Series(labels).gather(m_index),
        "indicator": pl.Series(order).gather(k_index),
        "value": values,
        "revision_id": np.arange(1, count + 1, dtype=np.int64),
        "quality": pl.Series(["measured", "estimated"]).gather(estimated),
        "source": pl.Series([f"monthly report {label}" for label in labels]).gather(m_index),
    }
    return in_ledger_order(pl.DataFrame(columns).cast(OBSERVATION_SCHEMA))


# ---------------------------------------------------------------- factors


def bench_factor_file(folder: Path, parts: tuple[str, ...] = BACKFILL) -> Path:
    """What the shipped factors lack (``parts`` of BACKFILL), as a user factor file.

    gbt: the GB/T 2589-2020 coefficients also before the standard took effect (2021-04);
    grid: the MEE 2021 grid factors also for 2015-2020; pfc: the illustrative plant PFC
    factors of the engine tests. Enough for every lookup to succeed, not published figures.
    """
    factors = []
    for item in shipped_factor_sets():
        for f in item.factors:
            if item.name == GBT and "gbt" in parts:
                factors.append(_copy(f, date(FIRST_YEAR, 1, 1), date(2021, 4, 1)))
            elif item.name == GRID and f.valid_from == date(2021, 1, 1) and "grid" in parts:
                factors.append(_copy(f, date(FIRST_YEAR, 1, 1), date(2021, 1, 1)))
    for gas, kg_per_t in (("cf4", 0.5), ("c2f6", 0.05)) if "pfc" in parts else ():
        factors.append(
            {
                "key": f"process_ef.pfc.{gas}.rare_earth_electrolysis",
                "value": kg_per_t,
                "unit": "kg/t",
                "confidence": "M",
                "citation": "illustrative (engine tests)",
            }
        )
    path = folder / f"bench_factors_{'_'.join(parts)}.yaml"
    header = {
        "name": "bench_backfill",
        "title": "Benchmark stand-ins",
        "version": "1",
        "source": "benchmarks/engine_speed.py; not published values",
        "overrides": "global",
    }
    path.write_text(yaml.safe_dump({**header, "factors": factors}, allow_unicode=True))
    return path


def _copy(factor: Any, start: date, end: date) -> dict[str, Any]:
    return {
        "key": factor.key,
        "value": factor.value,
        "unit": factor.unit,
        "region": factor.region,
        "valid_from": start,
        "valid_to": end,
        "confidence": "M",
        "citation": f"stand-in: {factor.dataset} {factor.version} value",
    }


def probe_shipped(indicators: list[str], months: int, folder: Path) -> list[str]:
    """Per year, the factor keys a small org misses with the shipped factors only.

    A run stops at its first missing factor, so each year is retried with the stand-ins
    added one kind at a time until it succeeds.
    """
    org, catalog = build_org(len(REGIONS)), load_catalog()
    method_set = get_method_sets(METHOD_SET)[0]
    steps = [BACKFILL[:n] for n in range(len(BACKFILL) + 1)]
    libraries = [load_factor_sets([bench_factor_file(folder, p)] if p else None) for p in steps]
    frame = build_observations(len(REGIONS), months, indicators)
    labels, report = month_labels(months), []
    for year in sorted({label[:4] for label in labels}):
        periods = [label for label in labels if label.startswith(year)]
        part, missing = frame.filter(pl.col("period").is_in(periods)), {}
        for library in libraries:
            try:
                calculate(part, org, catalog, library, method_set, periods, Granularity.MONTH)
                break
            except CalculationError as exc:
                found = re.search(r"period (\S+): no factor '([^']+)'", str(exc))
                missing.setdefault(found[2] if found else str(exc)[:80], found and found[1])
        lacks = ", ".join(f"{key} (from {first})" for key, first in missing.items())
        report.append(f"  {year}: " + (f"shipped factors lack {lacks}" if lacks else "all found"))
    return report


# ---------------------------------------------------------------- baseline and loop


def factor_tables(library: FactorLibrary, catalog: Catalog, periods: list[str]) -> dict[str, Any]:
    """Per input and month, what one catalog unit of it adds to each total; grid factors.

    The accounting of the method set cn-default, written out by hand: GB/T 2589
    coefficients for energy; Scope 1 as NDRC guideline combustion (CO2 only), anode carbon,
    PFCs, carbonates (pure where no purity is reported), oxalic acid (the guideline's
    default purity), reductants and fugitive gases at AR5 GWPs (recovered CO2 not
    deducted); Scope 2 as net purchased electricity (exports deducted) at the MEE grid
    factor of the region with the latest published year standing in, or for market-based
    the residual mix after green power, plus net purchased heat (steam at the low-pressure
    default, heat in GJ, exported heat deducted) at the NDRC heat factor.
    """
    ends = [Period.parse(p).end - timedelta(days=1) for p in periods]
    fuels = fuel_carriers()
    inputs = [c.indicator for c in fuels] + [RENEWABLE, *SCOPE2, *PROCESS, *REDUCTANTS, *FUGITIVE]
    row = {indicator: k for k, indicator in enumerate(inputs)}
    tables = {name: np.zeros((len(inputs), len(ends))) for name in ("tce", "co2", "heat")}
    grid = np.zeros((len(REGIONS), len(ends)))
    for j, on in enumerate(ends):
        for name, amounts in _per_unit(library, on, fuels).items():
            for indicator, (amount, unit) in amounts.items():
                to_unit = conversion_factor(catalog.get(indicator).unit, unit)
                tables[name][row[indicator], j] = amount * to_unit
        grid[:, j] = [_grid_factor(library, on, region) for region in REGIONS]
    signs = {"location": {ELECTRICITY: 1.0, EXPORTED_ELECTRICITY: -1.0}}
    signs["market"] = {**signs["location"], GREEN: -1.0}
    to_mwh = {i: conversion_factor(catalog.get(i).unit, "MWh") for i in SCOPE2[:3]}
    electricity = {  # net MWh priced at the grid (location) or residual (market) factor
        name: np.array([by.get(i, 0.0) * to_mwh.get(i, 0.0) for i in inputs])
        for name, by in signs.items()
    }
    market = _market_factors(library, ends, grid)
    return {"inputs": inputs, **tables, "electricity": electricity, "grid": grid, "market": market}


def _per_unit(library: FactorLibrary, on: date, fuels: list[Any]) -> dict[str, dict[str, Any]]:
    """On day ``on``: tce, Scope 1 tCO2e and Scope 2 heat tCO2e per unit of each input that
    has them, as (amount, the unit it is per)."""
    electricity = _get(library, "coal_equivalent.electricity", on, GBT, "tce/MWh"), "MWh"
    steam_key = "coal_equivalent.steam_low_pressure"
    tce = {
        c.indicator: (_get(library, c.coal_equivalent, on, GBT, f"tce/{c.unit}"), c.unit)
        for c in fuels
    }
    tce |= {ELECTRICITY: electricity, RENEWABLE: electricity}
    tce[STEAM] = _get(library, steam_key, on, GBT, "tce/t"), "t"
    co2 = {c.indicator: (_combustion_co2(library, c, on), c.unit) for c in fuels}
    co2 |= {indicator: (amount, "t") for indicator, amount in _process_co2(library, on).items()}
    for indicator, (unit, fuel) in REDUCTANTS.items():
        key = f"ef_co2.reductant.{fuel}"
        co2[indicator] = _get(library, key, on, NDRC, f"tCO2e/{unit}"), unit
    for indicator, gas in FUGITIVE.items():
        co2[indicator] = _get(library, f"gwp.{gas}", on, GWP, ""), "t"
    heat_factor = _get(library, "ef_co2.purchased_heat", on, NDRC, "tCO2e/GJ")
    heat = {STEAM: (_get(library, steam_key, on, GBT, "GJ/t") * heat_factor, "t")}
    heat |= {HEAT: (heat_factor, "GJ"), EXPORTED_HEAT: (-heat_factor, "GJ")}
    return {"tce": tce, "co2": co2, "heat": heat}


def _process_co2(library: FactorLibrary, on: date) -> dict[str, float]:
    """tCO2e per tonne of each of PROCESS: anode carbon, rare-earth metal (PFCs),
    carbonates (taken as pure: no purity is reported), oxalic acid (default purity)."""
    anode = _get(library, "carbon_content.carbon_anode", on, None, "") * 44 / 12
    pfc = sum(
        _get(library, f"process_ef.pfc.{gas.lower()}.rare_earth_electrolysis", on, None, "t/t")
        * _get(library, f"gwp.{gas}", on, GWP, "")
        for gas in ("CF4", "C2F6")
    )
    carbonates = {
        indicator: _get(library, f"process_ef.carbonate.{name}", on, "stoichiometry", "tCO2e/t")
        for indicator, name in CARBONATES.items()
    }
    oxalic = _get(library, "ef_co2.oxalic_acid", on, NDRC, "tCO2e/t")
    oxalic *= _get(library, "purity.oxalic_acid", on, NDRC, "")
    return {ANODE: anode, METAL: pfc, **carbonates, OXALIC: oxalic}


def _market_factors(library: FactorLibrary, ends: list[date], grid: np.ndarray) -> np.ndarray:
    """Per region and month, the residual-mix factor where one is published, else the grid
    factor."""
    market = grid.copy()
    for i, region in enumerate(REGIONS):
        for j, on in enumerate(ends):
            try:
                market[i, j] = _grid_factor(library, on, region, RESIDUAL)
            except FactorNotFoundError:
                continue  # no residual mix for this month and region: the grid factor stays
    return market


def _get(library: FactorLibrary, key: str, on: date, dataset: str | None, unit: str) -> float:
    factor = library.get(key, on=on, dataset=dataset)
    return factor.value * conversion_factor(factor.unit, unit)


def _combustion_co2(library: FactorLibrary, carrier: Any, on: date) -> float:
    """NDRC: NCV × carbon content × oxidation × 44/12, per unit of the carrier."""
    ncv = _get(library, f"ncv.{carrier.fuel}", on, NDRC, f"GJ/{carrier.unit}")
    carbon = _get(library, f"carbon_content.{carrier.fuel}", on, NDRC, "t/GJ")
    return ncv * carbon * _get(library, f"oxidation.{carrier.fuel}", on, NDRC, "") * 44 / 12


def _grid_factor(
    library: FactorLibrary, on: date, region: str | None, key: str = "grid.electricity"
) -> float:
    """The grid factor of the year, else the latest of the five years before (cn-default)."""
    for attempt in [on, *(date(on.year - k, 12, 31) for k in range(1, 6))]:
        try:
            found = library.get(
                key, on=attempt, region=None if region == NATIONAL else region, dataset=GRID
            )
        except FactorNotFoundError:
            continue
        return found.value * conversion_factor(found.unit, "tCO2e/MWh")
    raise FactorNotFoundError(f"no {key} for {region} on {on}")


def pivot(frame: pl.DataFrame, inputs: list[str], codes: list[str], periods: list[str]):
    """(input, facility, month) sums of the rows (all of ``inputs``): enum codes, bincount."""
    coded = frame.select(
        pl.col("indicator").cast(pl.Enum(inputs)).to_physical(),
        pl.col("entity").cast(pl.Enum(codes)).to_physical(),
        pl.col("period").cast(pl.Enum(periods)).to_physical(),
    )
    k, e, m = (coded[name].to_numpy().astype(np.int64) for name in coded.columns)
    shape = (len(inputs), len(codes), len(periods))
    flat = (k * len(codes) + e) * len(periods) + m
    weights = frame["value"].to_numpy()
    return np.bincount(flat, weights=weights, minlength=np.prod(shape)).reshape(shape)


def numpy_baseline(
    frame: pl.DataFrame,
    org: OrgTree,
    tables: dict[str, Any],
    periods: list[str],
    every: list[str] | None = None,
):
    """Pivot the needed inputs (or ``every`` input) and apply the factor tables."""
    codes = sorted(e.code for e in org if e.kind == "facility")
    inputs = tables["inputs"]
    if every is None:
        cube = pivot(frame.filter(pl.col("indicator").is_in(inputs)), inputs, codes, periods)
    else:
        cube = pivot(frame, every, codes, periods)[[every.index(i) for i in inputs]]
    regions = np.array([REGIONS.index(org.get(c).grid_region) for c in codes])
    heat = np.einsum("kem,km->em", cube, tables["heat"])
    net = {name: np.einsum("kem,k->em", cube, by) for name, by in tables["electricity"].items()}
    totals = {
        "energy": np.einsum("kem,km->em", cube, tables["tce"]),
        "scope1": np.einsum("kem,km->em", cube, tables["co2"]),
        "scope2": net["location"] * tables["grid"][regions] + heat,
        "scope2_market": net["market"] * tables["market"][regions] + heat,
    }
    years = len(periods) // 12
    for name in list(totals):  # each facility's years: the sums of their months
        totals[f"{name}_year"] = totals[name].reshape(len(codes), years, 12).sum(axis=2)
    weights = np.array([1.0 if org.get(c).operational_control else 0.0 for c in codes])
    return totals, {name: weights @ array for name, array in totals.items()}


def python_loop(rows: Iterable[tuple], org: OrgTree, tables: dict[str, Any], periods: list[str]):
    """Row by row: look each factor up in lists, add into per (facility, month) totals."""
    column = {p: j for j, p in enumerate(periods)}
    row_of = {k: i for i, k in enumerate(tables["inputs"])}
    region_of = {e.code: REGIONS.index(e.grid_region) for e in org if e.kind == "facility"}
    tce, co2, heat = (tables[name].tolist() for name in ("tce", "co2", "heat"))
    location, residual = (tables["electricity"][n].tolist() for n in ("location", "market"))
    grid, market = tables["grid"].tolist(), tables["market"].tolist()
    cells: dict[tuple[str, str], list[float]] = {}
    for entity, period, indicator, value in rows:
        k = row_of.get(indicator)
        if k is None:
            continue
        j, region = column[period], region_of[entity]
        cell = cells.setdefault((entity, period), [0.0, 0.0, 0.0, 0.0])
        cell[0] += value * tce[k][j]
        cell[1] += value * co2[k][j]
        cell[2] += value * (location[k] * grid[region][j] + heat[k][j])
        cell[3] += value * (residual[k] * market[region][j] + heat[k][j])
    group = {name: np.zeros(len(periods)) for name in TOTALS}
    for (entity, period), cell in cells.items():
        if org.get(entity).operational_control:
            for name, amount in zip(group, cell, strict=True):
                group[name][column[period]] += amount
    return group


# ---------------------------------------------------------------- measuring


def reset_peak() -> None:
    """Reset the kernel's peak-RSS mark (Linux), so that each phase gets its own peak."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def peak_rss_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(function: Callable[[], Any]) -> tuple[float, float, Any]:
    """(seconds, peak RSS in MB during the call, result)."""
    gc.collect()
    reset_peak()
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, peak_rss_mb(), result


def engine_group(results: Any) -> dict[str, np.ndarray]:
    """The group's months and years of each total."""
    found = {}
    for suffix, state in (("", results.months.boundaries), ("_year", results.boundaries)):
        row = state.grid.entity_index("group")
        for name, indicator in TOTALS.items():
            found[name + suffix] = state.values[indicator][row]
    return found


def engine_entities(results: Any, codes: list[str]) -> dict[str, np.ndarray]:
    """Each facility's months and years of each total."""
    found = {}
    for suffix, state in (("", results.months.entities), ("_year", results.entities)):
        rows = [state.grid.entity_index(code) for code in codes]
        for name, indicator in TOTALS.items():
            found[name + suffix] = state.values[indicator][rows]
    return found


def relative_difference(a: dict[str, np.ndarray], b: dict[str, np.ndarray]) -> dict[str, float]:
    return {k: float(np.max(np.abs(a[k] - b[k]) / np.maximum(np.abs(b[k]), 1e-300))) for k in b}


# ---------------------------------------------------------------- main


class Bench:
    """The inputs every timing shares."""

    def __init__(self, entities: int, months: int, folder: Path) -> None:
        self.catalog = load_catalog()
        self.indicators = choose_indicators(self.catalog)
        self.periods = month_labels(months)
        self.years = sorted({label[:4] for label in self.periods})
        self.library = load_factor_sets([bench_factor_file(folder)])
        self.method_set = get_method_sets(METHOD_SET)[0]
        self.org = build_org(entities)
        self.frame = build_observations(entities, months, self.indicators)
        self.tables = factor_tables(self.library, self.catalog, self.periods)

    def engine(self, frame: pl.DataFrame | None = None, org: OrgTree | None = None) -> Any:
        return calculate(
            self.frame if frame is None else frame,
            org or self.org,
            self.catalog,
            self.library,
            self.method_set,
            self.years,
        )

    def baseline(self) -> Any:
        return numpy_baseline(self.frame, self.org, self.tables, self.periods)

    def loop(self, fraction: int) -> Any:
        part = self.frame
        if fraction > 1:
            keep = facility_codes(len(self.org) - SUBSIDIARIES - 1)[::fraction]
            part = self.frame.filter(pl.col("entity").is_in(keep))
        rows = part.select("entity", "period", "indicator", "value").iter_rows()
        return python_loop(rows, self.org, self.tables, self.periods)


def run_main_timings(bench: Bench, repeat: int) -> dict[str, Any]:
    """(a), (b) and (b2) interleaved ``repeat`` times, with the peak memory of each."""
    found: dict[str, Any] = {"results": None}
    every = bench.indicators
    runs = {
        "a": bench.engine,
        "b": bench.baseline,
        "b2": lambda: numpy_baseline(bench.frame, bench.org, bench.tables, bench.periods, every),
    }
    for _ in range(repeat):
        found["results"] = None  # the previous run's results are not kept during the next
        for name, function in runs.items():
            seconds, peak, result = timed(function)
            found.setdefault(name, []).append(seconds)
            found[f"mem_{name}"] = max(found.get(f"mem_{name}", 0.0), peak)
            found["results" if name == "a" else "baseline" if name == "b" else "all"] = result
        if len(found["a"]) == 1:  # the first results are checked before any timing is shown
            check_agreement(found["results"], found["baseline"], bench, None)
        print("  run: " + ", ".join(f"({n}) {found[n][-1]:.2f} s" for n in runs), flush=True)
    return found


def run_scaling(bench: Bench, entities: int, repeat: int) -> list[tuple[int, int, float]]:
    """(entities, observations, best seconds) for 1/4, 1/2 and all of the facilities."""
    rows = []
    for part in (entities // 4, entities // 2, entities):
        codes = facility_codes(part)
        frame = bench.frame.filter(pl.col("entity").is_in(codes)) if part < entities else None
        org = build_org(part)
        seconds = min(timed(lambda f=frame, o=org: bench.engine(f, o))[0] for _ in range(repeat))
        rows.append((part, frame.height if frame is not None else bench.frame.height, seconds))
        print(f"  {part:>6} entities: {seconds:.2f} s", flush=True)
    return rows


TOLERANCE = 1e-9  # relative: engine and baseline compute the same sums in other orders


class Disagreement(AssertionError):
    """The engine's totals and the hand-written baseline's differ: one of them is wrong."""


def check_agreement(results: Any, baseline: Any, bench: Bench, loop_group: dict | None) -> None:
    """Print the largest relative differences and fail above TOLERANCE, before any timing
    is summarised: timings of two computations that disagree compare nothing."""
    codes = facility_codes(len(bench.org) - SUBSIDIARIES - 1)
    per_entity, group = baseline
    print("agreement (max relative difference over months; per facility over all cells):")
    by_group = relative_difference(engine_group(results), group)
    by_cell = relative_difference(engine_entities(results, codes), per_entity)
    by_loop = relative_difference(loop_group, {k: group[k] for k in TOTALS}) if loop_group else {}
    for name in [*TOTALS, *(f"{k}_year" for k in TOTALS)]:
        loop = f"{by_loop[name]:.1e}" if name in by_loop else "n/a"
        print(
            f"  {name:<18} group (a) vs (b) {by_group[name]:.1e}   facilities (a) vs (b) "
            f"{by_cell[name]:.1e}   group (c) vs (b) {loop}"
        )
    total = {k: float(v.sum()) for k, v in group.items() if k in TOTALS}
    print(
        f"  group totals over all months: energy {total['energy']:,.0f} tce, Scope 1 "
        f"{total['scope1']:,.0f} tCO2e, Scope 2 {total['scope2']:,.0f} tCO2e location-based, "
        f"{total['scope2_market']:,.0f} tCO2e market-based"
    )
    apart = {
        f"{name} ({where})": difference
        for where, found in (("group", by_group), ("facilities", by_cell), ("loop", by_loop))
        for name, difference in found.items()
        if not difference <= TOLERANCE
    }
    if apart:
        raise Disagreement(
            f"engine and baseline disagree beyond {TOLERANCE:g} relative: "
            + ", ".join(f"{name} {difference:.1e}" for name, difference in apart.items())
        )


def machine() -> str:
    """CPU, cores, memory, versions, BLAS threads and load: what the figures depend on."""
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown CPU",
    )
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"machine: {cpu}, {os.cpu_count()} cores, {memory:.0f} GB; Python "
        f"{platform.python_version()}, numpy {np.__version__}, polars {pl.__version__}; "
        f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', 'unset')}; "
        f"load average {os.getloadavg()[0]:.2f}"
    )


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--entities", type=int, default=1000)
    parser.add_argument("--months", type=int, default=120, help="whole years: a multiple of 12")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each timing; best counts")
    parser.add_argument(
        "--loop-sample",
        type=int,
        default=1,
        help="run (c) on every Nth facility only and extrapolate (1 = all of them)",
    )
    parser.add_argument("--no-probe", action="store_true", help="skip the shipped-factor check")
    parser.add_argument(
        "--malloc-defaults",
        action="store_true",
        help="leave glibc malloc as it is (the esgledger command keeps freed memory)",
    )
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    if args.months % 12:
        raise SystemExit("--months must be whole years (a multiple of 12)")
    kept = not args.malloc_defaults and keep_freed_memory()
    print(
        "malloc: "
        + ("freed memory kept for reuse, as in the esgledger command" if kept else "defaults")
    )
    with tempfile.TemporaryDirectory() as folder:
        try:
            run(args, Path(folder))
        except Disagreement as exc:
            raise SystemExit(f"benchmark stopped: {exc}") from None


def run(args: argparse.Namespace, folder: Path) -> None:
    print(
        f"esgledger engine benchmark: {args.entities} facilities x {args.months} months "
        f"from {FIRST_YEAR}-01 x {INDICATORS} input indicators, method set {METHOD_SET}"
    )
    print(machine())
    if not args.no_probe:
        print("shipped-factor check (one facility per grid region, year by year):")
        print("\n".join(probe_shipped(choose_indicators(load_catalog()), args.months, folder)))
        print("  -> the runs below add a factor file of stand-ins for these (bench_factor_file)")
    start = time.perf_counter()
    bench = Bench(args.entities, args.months, folder)
    print(
        f"built {bench.frame.height:,} observations in {time.perf_counter() - start:.1f} s "
        f"(frame {bench.frame.estimated_size('mb'):,.0f} MB, process RSS "
        f"{peak_rss_mb():,.0f} MB)\n(a) engine, (b) numpy baseline, (b2) numpy pivoting all inputs:"
    )
    found = run_main_timings(bench, args.repeat)
    seconds_c, mem_c, loop_group = timed(lambda: bench.loop(args.loop_sample))
    print("(a) at 1/4, 1/2 and all of the facilities:")
    scaling = run_scaling(bench, args.entities, args.repeat)
    if args.loop_sample == 1:  # (c) against (b), and again (a) against (b)
        check_agreement(found["results"], found["baseline"], bench, loop_group)
    summarise(found, (seconds_c * args.loop_sample, mem_c, args.loop_sample), scaling)
    print(f"load average at the end {os.getloadavg()[0]:.2f} (other work on the machine)")


def warm_ratio(found: dict[str, Any]) -> float:
    """(a)/(b) of the warm calls' medians (every call after the first); NaN with one run."""
    if len(found["a"]) < 2:
        return math.nan
    return statistics.median(found["a"][1:]) / statistics.median(found["b"][1:])


def verdicts(first: float, warm: float, median: float) -> str:
    """The budgets against the baseline: issue 14's first-call and warm-call ratios, and the
    earlier requirement on the median of all calls."""
    budgets = [
        ("first call", first, 1.5),
        ("warm calls", warm, 1.2),
        ("median of all calls (the earlier requirement)", median, 2.0),
    ]
    return "; ".join(
        f"{name} <= {limit}: {'met' if ratio <= limit else 'NOT met'}"
        for name, ratio, limit in budgets
    )


def first_and_warm(seconds: list[float]) -> str:
    """The first timed call of the process apart from the later, warm ones (the shipped-
    factor probe has computed a few small grids before, unless ``--no-probe``).

    The first call faults in the memory the later ones reuse and fills the caches of the
    process (factor lookups, hash tables), so a median over all runs mixes two costs: a
    command-line ``calc`` pays the first, a server recomputing pays the warm one.
    """
    first, warm = seconds[0], seconds[1:]
    if not warm:
        return f"first {first:6.2f} s  (no warm run: --repeat 1)"
    spread = f"{min(warm):.2f}-{max(warm):.2f}"
    return (
        f"first {first:6.2f} s  warm median {statistics.median(warm):6.2f} s "
        f"(range {spread}, {len(warm)} runs)"
    )


def summarise(found: dict[str, Any], loop: tuple[float, float, int], scaling: list) -> None:
    best = {name: min(found[name]) for name in ("a", "b", "b2")}
    median = {name: statistics.median(found[name]) for name in ("a", "b", "b2")}
    seconds_c, mem_c, sample = loop
    print("\nresults (peak RSS of the process during the timing, frame included):")
    labels = {
        "a": "engine, full recompute",
        "b": "numpy baseline",
        "b2": "numpy, all inputs pivoted",
    }
    for name, label in labels.items():
        print(
            f"  {'(' + name + ')':<5}{label:<27}{first_and_warm(found[name])}  "
            f"peak {found[f'mem_{name}']:,.0f} MB"
        )
    first = found["a"][0] / found["b"][0]
    print(
        f"  (a)/(b) first call {first:.2f}, best {best['a'] / best['b']:.2f}, "
        f"median {median['a'] / median['b']:.2f}, warm median {warm_ratio(found):.2f}"
    )
    print("  " + verdicts(first, warm_ratio(found), median["a"] / median["b"]))
    note = "" if sample == 1 else f"  (1/{sample} of the facilities, x{sample} extrapolated)"
    print(f"  (c)  per-row Python loop       {seconds_c:8.2f} s  peak {mem_c:,.0f} MB{note}")
    print(f"  (a)/(b2) {best['a'] / best['b2']:.2f}; (c)/(a) {seconds_c / best['a']:.1f}")
    full = scaling[-1][2]
    for entities, observations, seconds in scaling:
        print(
            f"  scaling: {entities:>6} entities {observations:>10,} obs  {seconds:7.2f} s  "
            f"{seconds / full:.2f} of full  {seconds / observations * 1e6:.3f} us/obs"
        )


if __name__ == "__main__":
    main()
