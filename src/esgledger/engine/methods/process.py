"""Scope 1 process emissions of rare-earth smelting.

Anode carbon (mass balance, IPCC 2019 Refinement Vol.3 Ch.4 approach for carbon anodes):
    CO2 = carbon anode consumed [t] × carbon content [t C/t] × 44/12
PFCs of molten-salt electrolysis (IPCC 2019 Refinement Vol.3 Ch.4.8, Tier 1/2 form):
    CO2e = rare-earth metal by electrolysis [t] × (EF_CF4 × GWP_CF4 + EF_C2F6 × GWP_C2F6)
Carbonate decomposition (NDRC 2015 guideline; IPCC 2006 Vol.3 Ch.2):
    CO2 = carbonate consumed [t] × purity × stoichiometric factor [t CO2/t]
Oxalic-acid decomposition (NDRC 2015 other non-ferrous guideline):
    CO2 = oxalic acid [t] × 0.349 × purity (default 99.6 %)
Energy used as a reductant (same guideline):
    CO2 = reductant [t, or 10^4 Nm3 of natural gas] × reductant factor
Recovered CO2 is deducted only when the method set allows it, and always shown as its own
term and indicator.
"""

from __future__ import annotations

import numpy as np

from esgledger.engine.context import MethodContext
from esgledger.engine.notices import CellNotices
from esgledger.engine.registry import method
from esgledger.errors import Phrase, render

METAL, ANODE, RECOVERED = (
    "process.re_metal_electrolysis_output",
    "process.carbon_anode_consumed",
    "ghg.scope1_co2_recovered",
)
CARBONATES = {  # consumed, its purity, the stoichiometric factor
    "process.carbonate_caco3_consumed": ("process.carbonate_caco3_purity", "CaCO3"),
    "process.carbonate_mgco3_consumed": ("process.carbonate_mgco3_purity", "MgCO3"),
    "process.carbonate_na2co3_consumed": ("process.carbonate_na2co3_purity", "Na2CO3"),
    "process.carbonate_nahco3_consumed": ("process.carbonate_nahco3_purity", "NaHCO3"),
    "process.carbonate_dolomite_consumed": ("process.carbonate_dolomite_purity", "CaMg(CO3)2"),
}
REDUCTANTS = {  # consumed, its unit, the NDRC reductant factor
    "process.reductant_coke_consumed": ("t", "coke"),
    "process.reductant_semi_coke_consumed": ("t", "semi_coke"),
    "process.reductant_anthracite_consumed": ("t", "anthracite"),
    "process.reductant_natural_gas_consumed": ("wan_Nm3", "natural_gas"),
}
OXALIC, OXALIC_PURITY = "process.oxalic_acid_consumed", "process.oxalic_acid_purity"
NDRC = "ndrc_other_nonferrous"
CO2_PER_C = 44.0 / 12.0


@method(
    "ghg.scope1_anode_co2",
    reads=(ANODE, METAL),
    formula="carbon anode consumed [t] × carbon content [t C/t] × 44/12",
)
def scope1_anode_co2(ctx: MethodContext) -> None:
    key = "carbon_content.carbon_anode"
    carbon = ctx.amount(ANODE, "t") * ctx.factor(key, "dimensionless")
    ctx.term(f"{ANODE} × {key} × 44/12", carbon * CO2_PER_C, (ANODE,), (key,))
    flag_implausible_anode(ctx, carbon)


BOUNDS = {  # what is checked per tonne of metal, its unit, the literature bounds' key
    "anode CO2": ("t", "tCO2e/t", "process_ef.anode_co2.rare_earth_electrolysis"),
    "anode carbon consumed": ("kg", "kg/t", "process_ef.anode_carbon.rare_earth_electrolysis"),
}


def anode_per_tonne(carbon_t: np.ndarray, metal_t: np.ndarray) -> dict[str, np.ndarray]:
    """Anode CO2 [t] and anode carbon [kg] per tonne of metal, the quantities of ``BOUNDS``."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return {
            "anode CO2": carbon_t * CO2_PER_C / metal_t,
            "anode carbon consumed": carbon_t * 1000 / metal_t,
        }


def plausibility_note(what: str, value: float, low: float, high: float) -> str:
    """The notice of a value outside its measured range, in English (the review queue)."""
    return render(PLAUSIBILITY, "en", value=value, low=low, high=high, **_range_words(what))


PLAUSIBILITY = "engine_notice.plausibility"
QUANTITY_CODES = {"anode CO2": "anode_co2", "anode carbon consumed": "anode_carbon"}


def _range_words(what: str) -> dict[str, object]:
    """The parameters of the range notice that every cell of ``what`` shares."""
    mass, _, stem = BOUNDS[what]
    return {
        "what": Phrase.of(f"engine_notice.anode_quantity.{QUANTITY_CODES[what]}"),
        "mass": mass,
        "stem": stem,
        "anode": ANODE,
        "metal": METAL,
    }


def flag_implausible_anode(ctx: MethodContext, carbon_t: np.ndarray) -> None:
    """A notice wherever anode carbon per tonne of metal lies outside the range measured on
    Chinese potlines (dataset literature_rare_earth_electrolysis): a likely unit slip or a
    mix-up of anode and metal figures, for a reviewer to look at. Never changes a value."""
    metal = ctx.amount(METAL, "t")
    checked = ctx.reported(ANODE) & (metal > 0)
    if not checked.any():
        return
    per_tonne = anode_per_tonne(carbon_t, metal)
    for what, (_, unit, stem) in BOUNDS.items():
        low, high = (
            ctx.factor(f"{stem}.measured_{end}", unit, optional=True, used_where=checked)
            for end in ("min", "max")
        )
        outside = checked & ((per_tonne[what] < low) | (per_tonne[what] > high))
        ctx.note(_outside_notes(ctx, what, outside, (per_tonne[what], low, high)))


def _outside_notes(
    ctx: MethodContext,
    what: str,
    outside: np.ndarray,
    arrays: tuple[np.ndarray, np.ndarray, np.ndarray],
) -> CellNotices:
    """The notices of the cells ``outside``, in row-major order, kept as arrays.

    A synthetic or badly keyed ledger can put every cell outside (240,000 notices at 1,000
    entities x 120 months): making their texts took most of a monthly calculation's time,
    so they are made only when read (:mod:`esgledger.engine.notices`).
    """
    rows, cols = np.nonzero(outside)
    cells = (
        np.asarray(ctx.grid.entities, dtype=object)[rows],
        np.asarray(ctx.grid.periods, dtype=object)[cols],
    )
    columns = dict(zip(("value", "low", "high"), (a[rows, cols] for a in arrays), strict=True))
    return CellNotices(ctx.node.indicator, cells, columns, PLAUSIBILITY, _range_words(what))


@method(
    "ghg.scope1_pfc",
    reads=(METAL,),
    formula="rare-earth metal by electrolysis [t] × (EF_CF4 × GWP_CF4 + EF_C2F6 × GWP_C2F6)",
)
def scope1_pfc(ctx: MethodContext) -> None:
    metal = ctx.amount(METAL, "t")
    if not metal.any():
        ctx.term("no rare-earth metal produced by electrolysis", metal * 0.0, (METAL,))
        return
    for gas in ("CF4", "C2F6"):
        key, gwp_key = f"process_ef.pfc.{gas.lower()}.rare_earth_electrolysis", f"gwp.{gas}"
        factor = ctx.factor(key, "t/t")
        gwp = ctx.factor(gwp_key, "dimensionless", dataset=ctx.options.gwp_set)
        ctx.term(
            f"{gas}: {METAL} × {key} × {gwp_key}", metal * factor * gwp, (METAL,), (key, gwp_key)
        )


@method(
    "ghg.scope1_carbonates",
    reads=tuple(CARBONATES) + tuple(purity for purity, _ in CARBONATES.values()),
    formula="Σ carbonate consumed [t] × purity × stoichiometric CO2 factor [t CO2/t]",
)
def scope1_carbonates(ctx: MethodContext) -> None:
    """E = Σ AD × PUR × EF (NDRC other non-ferrous guideline, carbonate decomposition).

    No default purity was found in the guideline; an unreported purity counts the carbonate
    as pure, which can only overstate the emission."""
    for indicator, (purity_id, formula) in CARBONATES.items():
        key = f"process_ef.carbonate.{formula}"
        factor = ctx.factor(key, "tCO2e/t", dataset="stoichiometry")
        purity = ctx.value(purity_id, "dimensionless")
        purity = np.where(np.isnan(purity), 1.0, purity)
        ctx.term(
            f"{indicator} × {purity_id} (1 where not reported) × {key}",
            ctx.amount(indicator, "t") * purity * factor,
            (indicator, purity_id),
            (key,),
        )


@method(
    "ghg.scope1_oxalic_acid",
    reads=(OXALIC, OXALIC_PURITY),
    formula="oxalic acid consumed [t] × 0.349 [t CO2/t] × purity",
)
def scope1_oxalic_acid(ctx: MethodContext) -> None:
    """E = AD × 0.349 × PUR; the guideline's default purity 99.6 % where none is reported."""
    key, purity_key = "ef_co2.oxalic_acid", "purity.oxalic_acid"
    factor = ctx.factor(key, "tCO2e/t", dataset=NDRC)
    reported = ctx.value(OXALIC_PURITY, "dimensionless")
    keys: tuple[str, ...] = (key,)
    if np.isnan(reported).any():
        default = ctx.factor(purity_key, "dimensionless", dataset=NDRC)
        reported, keys = np.where(np.isnan(reported), default, reported), (key, purity_key)
    ctx.term(
        f"{OXALIC} × {key} × purity",
        ctx.amount(OXALIC, "t") * factor * reported,
        (OXALIC, OXALIC_PURITY),
        keys,
    )


@method(
    "ghg.scope1_reductants",
    reads=tuple(REDUCTANTS),
    formula="Σ reductant consumed [t or 10^4 Nm3] × reductant CO2 factor",
)
def scope1_reductants(ctx: MethodContext) -> None:
    """Energy used as raw material (能源作为原材料用途): AD × EF of the NDRC guideline."""
    for indicator, (unit, fuel) in REDUCTANTS.items():
        key = f"ef_co2.reductant.{fuel}"
        factor = ctx.factor(key, f"tCO2e/{unit}", dataset=NDRC)
        ctx.term(f"{indicator} × {key}", ctx.amount(indicator, unit) * factor, (indicator,), (key,))


@method(
    "ghg.scope1_process",
    reads=("ghg.scope1_process_gross", RECOVERED),
    formula="gross process emissions − recovered CO2 (when the method set deducts it)",
)
def scope1_process(ctx: MethodContext) -> None:
    gross = "ghg.scope1_process_gross"
    ctx.term(gross, ctx.amount(gross, "tCO2e"), (gross,))
    if ctx.options.deduct_recovered_co2:
        ctx.term(f"− {RECOVERED} (deducted)", -ctx.amount(RECOVERED, "tCO2e"), (RECOVERED,))


GASES = "CO2 CH4 N2O SF6 NF3 HFC-23 HFC-32 HFC-125 HFC-134a HFC-143a HFC-152a HFC-227ea"
FUGITIVE_GASES = {  # input indicator → the gas's GWP key
    f"ghg.fugitive_{gas.lower().replace('-', '_')}": f"gwp.{gas}" for gas in GASES.split()
}


@method(
    "ghg.scope1_fugitive",
    reads=tuple(FUGITIVE_GASES),
    formula="Σ gas released [t] × GWP of the gas in the method set's GWP set",
)
def scope1_fugitive(ctx: MethodContext) -> None:
    """Fugitive releases (GHG Protocol Corporate Standard ch.4): mass × GWP-100."""
    for indicator, gwp_key in FUGITIVE_GASES.items():
        if ctx.empty(indicator):
            continue  # a gas nobody releases needs no GWP looked up
        gwp = ctx.factor(gwp_key, "dimensionless", dataset=ctx.options.gwp_set)
        ctx.term(
            f"{indicator} × {gwp_key}", ctx.amount(indicator, "t") * gwp, (indicator,), (gwp_key,)
        )
