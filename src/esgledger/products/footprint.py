"""What a computed product carbon footprint is: the contract between the LCA and its users.

The product systems (this package) compute it; the PACT host (``esgledger.pact``) publishes
it to customers, the product report prints it. Quantities carry their units (pint), so a
footprint per tonne is never read as one per kilogram.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from pint import Quantity


@dataclass(frozen=True)
class GasContribution:
    """One greenhouse gas's share of a footprint (CO2, CH4, N2O, CF4, C2F6 ...), as CO2e."""

    gas: str
    co2e: Quantity  # mass of CO2e per declared unit
    mass: Quantity | None = None  # mass of the gas itself per declared unit; None: "CO2e"


@dataclass(frozen=True)
class ComputedFootprint:
    """The cradle-to-gate footprint of one product of one entity over one period.

    ``fossil`` and ``biogenic_uptake`` are per declared unit (kg CO2e per kg of product
    when ``declared_unit`` is "kilogram"); ``total_excluding_biogenic_uptake`` is what PACT
    calls ``pcfExcludingBiogenicUptake``. ``by_gas`` holds each gas's CO2e per declared
    unit and, where the inventory knows it, its mass. ``primary_data_share`` is in [0, 1] and
    ``data_quality`` maps PACT's DQR names (technological, temporal, geographical,
    completeness, reliability) to ratings 1 (best) to 3.
    """

    product_id: str  # the group's product code, e.g. "NdPr-oxide"
    name_en: str
    name_zh: str
    entity: str  # the producing entity's code
    declared_unit: str  # "kilogram", "ton", "liter", "cubic meter", "kilowatt hour", ...
    declared_unit_amount: float
    period_start: date
    period_end: date
    geography_country: str  # ISO 3166-1 alpha-2, "CN"
    fossil: Quantity
    biogenic_uptake: Quantity
    total_excluding_biogenic_uptake: Quantity
    primary_data_share: float
    data_quality: dict[str, float] = field(default_factory=dict)
    by_gas: tuple[GasContribution, ...] = ()
    cpc_code: str | None = None  # UN CPC product category, when known
    boundary: str = "cradle-to-gate"
    allocation: str = ""  # how co-products share the burdens (mass, economic, substitution)
    method_note: str = ""  # standards followed (ISO 14067, GHG Protocol Product Standard)
    # the IPCC assessment reports whose GWPs characterise the gases ("AR6"): PACT's
    # ipccCharacterizationFactors; empty when not known (not publishable then)
    ipcc_characterization: tuple[str, ...] = ()
    # carbon held in one declared unit of product (mass of C); None: not known
    fossil_carbon_content: Quantity | None = None
    biogenic_carbon_content: Quantity | None = None
    biogenic_note: str = ""  # why the biogenic uptake is what it is (the system file's reason)
    biogenic_note_zh: str = ""
