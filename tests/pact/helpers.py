"""Test footprints built from the products package's contract, and a published ledger."""

from __future__ import annotations

from datetime import date

from esgledger.pact.payload import Publisher
from esgledger.products.footprint import ComputedFootprint, GasContribution
from esgledger.units import Q_

PUBLISHER = Publisher(company_name="Northern Rare Earth Test Co.", domain="nre.example.cn")


def oxide_footprint(per_tonne: float = 21_400.0, **changes: object) -> ComputedFootprint:
    """NdPr oxide of the smelter, 2024, per tonne (kg CO2e per tonne of oxide)."""
    fields: dict[str, object] = dict(
        product_id="NdPr-oxide",
        name_en="Praseodymium-neodymium oxide",
        name_zh="氧化镨钕",
        entity="SMELT",
        declared_unit="ton",
        declared_unit_amount=1.0,
        period_start=date(2024, 1, 1),
        period_end=date(2025, 1, 1),
        geography_country="CN",
        fossil=Q_(per_tonne, "kgCO2e"),
        biogenic_uptake=Q_(0.0, "kgCO2e"),
        total_excluding_biogenic_uptake=Q_(per_tonne, "kgCO2e"),
        primary_data_share=0.62,
        data_quality={"technological": 1.6, "temporal": 1.0, "geographical": 1.2},
        by_gas=(GasContribution("CO2", Q_(per_tonne, "kgCO2e")),),
        cpc_code="34290",
        allocation="mass",
        method_note="ISO 14067; GHG Protocol Product Standard",
        ipcc_characterization=("AR6",),
        fossil_carbon_content=Q_(0.0, "kg"),
    )
    fields.update(changes)
    return ComputedFootprint(**fields)  # type: ignore[arg-type]


def metal_footprint(**changes: object) -> ComputedFootprint:
    base = dict(
        product_id="NdPr-metal",
        name_en="Praseodymium-neodymium metal",
        name_zh="镨钕金属",
        entity="METAL",
    )
    return oxide_footprint(**{**base, **changes})
