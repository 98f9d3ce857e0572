"""Scope 1 process emissions of rare-earth smelting.

Anode carbon (mass balance, IPCC 2019 Refinement Vol.3 Ch.4 approach for carbon anodes):
    CO2 = carbon anode consumed [t] × carbon content [t C/t] × 44/12
PFCs of molten-salt electrolysis (IPCC 2019 Refinement Vol.3 Ch.4.8, Tier 1/2 form):
    CO2e = rare-earth metal by electrolysis [t] × (EF_CF4 × GWP_CF4 + EF_C2F6 × GWP_C2F6)
Carbonate decomposition (NDRC 2015 guideline; IPCC 2006 Vol.3 Ch.2):
    CO2 = carbonate consumed [t] × stoichiometric factor [t CO2/t]
Recovered CO2 is deducted only when the method set allows it, and always shown as its own
term and indicator.
"""

from __future__ import annotations

from esgledger.engine.context import MethodContext
from esgledger.engine.registry import method

METAL, ANODE, RECOVERED = (
    "process.re_metal_electrolysis_output",
    "process.carbon_anode_consumed",
    "ghg.scope1_co2_recovered",
)
CARBONATES = {
    "process.carbonate_caco3_consumed": "process_ef.carbonate.CaCO3",
    "process.carbonate_mgco3_consumed": "process_ef.carbonate.MgCO3",
    "process.carbonate_na2co3_consumed": "process_ef.carbonate.Na2CO3",
}
CO2_PER_C = 44.0 / 12.0


@method(
    "ghg.scope1_anode_co2",
    reads=(ANODE,),
    formula="carbon anode consumed [t] × carbon content [t C/t] × 44/12",
)
def scope1_anode_co2(ctx: MethodContext) -> None:
    key = "carbon_content.carbon_anode"
    content = ctx.factor(key, "dimensionless")
    ctx.term(
        f"{ANODE} × {key} × 44/12", ctx.amount(ANODE, "t") * content * CO2_PER_C, (ANODE,), (key,)
    )


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
    reads=tuple(CARBONATES),
    formula="Σ carbonate consumed [t] × stoichiometric CO2 factor [t CO2/t]",
)
def scope1_carbonates(ctx: MethodContext) -> None:
    for indicator, key in CARBONATES.items():
        factor = ctx.factor(key, "tCO2e/t", dataset="stoichiometry")
        ctx.term(f"{indicator} × {key}", ctx.amount(indicator, "t") * factor, (indicator,), (key,))


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
