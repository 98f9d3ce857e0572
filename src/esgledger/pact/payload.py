"""A computed footprint as a PACT v3 ProductFootprint payload.

The LCA hands over a :class:`~esgledger.products.footprint.ComputedFootprint` whose
quantities carry units; here they become PACT's decimal strings in kg CO2e per declared
unit. A mass-declared product is declared per 1 kilogram (PACT: bulk products declare 1
unit), so a footprint computed per tonne is divided by 1000, by the unit registry.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any

from pint import Quantity

from esgledger.errors import EsgError
from esgledger.pact import spec
from esgledger.products.footprint import ComputedFootprint
from esgledger.units import Q_

_DQR_NAMES = {
    "technological": "technologicalDQR",
    "geographical": "geographicalDQR",
    "temporal": "temporalDQR",
}
_SIGNIFICANT = 12  # decimal digits kept: beyond a float's honest precision nothing is added


@dataclass(frozen=True)
class Publisher:
    """Who publishes: the data owner's legal name and the domain its URNs are made in."""

    company_name: str
    domain: str  # e.g. "nre.example.cn": urn:pact:nre.example.cn:company-id:SMELT

    def company_urn(self, entity: str) -> str:
        return f"urn:pact:{self.domain}:company-id:{entity}".lower()

    def product_urn(self, product_id: str) -> str:
        return f"urn:pact:{self.domain}:product-id:{product_id}".lower()


def decimal_text(value: float) -> str:
    """A number as PACT's decimal string: no exponent, no "-0", 12 significant digits."""
    number = Decimal(format(value, f".{_SIGNIFICANT}g"))
    if number == 0:
        return "0"
    return format(number.normalize(), "f")


def per_declared_unit(footprint: ComputedFootprint, quantity: Quantity) -> float:
    """``quantity`` in kg CO2e per one PACT declared unit.

    A mass of CO2e is per the footprint's declared amount; an intensity (kg CO2e per
    tonne) is per one of its unit. Both are brought to one PACT unit (1 kg for mass).
    """
    unit = spec.declared_unit(footprint.declared_unit)
    per_amount = footprint.declared_unit_amount * float(unit["factor"])
    if quantity.check("[co2e_mass]"):
        return float(quantity.to("kgCO2e").magnitude) / per_amount
    if unit["pint"] is None:
        raise _unit_error(footprint, quantity)
    pact_unit = Q_(1 / float(unit["factor"]), unit["pint"])
    try:
        return float((quantity * pact_unit).to("kgCO2e").magnitude)
    except Exception as error:  # pint's DimensionalityError: neither form
        raise _unit_error(footprint, quantity) from error


def _unit_error(footprint: ComputedFootprint, quantity: Quantity) -> EsgError:
    return EsgError(
        f"footprint of {footprint.product_id}: {quantity:~P} is neither a mass of CO2e per "
        f"declared unit nor CO2e per {footprint.declared_unit}",
        code="pact_v3.quantity_unit",
        params={
            "product": footprint.product_id,
            "quantity": f"{quantity:~P}",
            "unit": footprint.declared_unit,
        },
    )


def _utc(day: date) -> str:
    return datetime.combine(day, time(), tzinfo=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _validity_end(footprint: ComputedFootprint) -> str:
    years = int(spec.settings()["default_validity_years"])
    end = footprint.period_end
    return _utc(end.replace(year=end.year + years))


def _gwp_reports(footprint: ComputedFootprint, options: dict[str, Any]) -> list[str]:
    """The IPCC reports whose GWPs the footprint used: its own, unless a publication names
    them (``ipcc_characterization_factors``); never assumed."""
    reports = options.get("ipcc_characterization_factors") or footprint.ipcc_characterization
    if not reports:
        raise EsgError.coded("pact_v3.no_gwp_set", product=footprint.product_id)
    return list(reports)


def _carbon_content(footprint: ComputedFootprint, options: dict[str, Any]) -> dict[str, str]:
    """fossilCarbonContent (required) and biogenicCarbonContent, kg C per declared unit,
    from the product system's data; a publication may give fossil_carbon_content."""
    fossil, biogenic = footprint.fossil_carbon_content, footprint.biogenic_carbon_content
    given = options.get("fossil_carbon_content")
    if fossil is None and given is None:
        raise EsgError.coded("pact_v3.no_carbon_content", product=footprint.product_id)
    found = {
        "fossilCarbonContent": str(given)
        if fossil is None
        else decimal_text(_carbon_per_unit(footprint, fossil))
    }
    if biogenic is not None:
        found["biogenicCarbonContent"] = decimal_text(_carbon_per_unit(footprint, biogenic))
    return found


def _carbon_per_unit(footprint: ComputedFootprint, content: Quantity) -> float:
    """kg C per one PACT declared unit, from kg C per kg of product (or per declared unit)."""
    unit = spec.declared_unit(footprint.declared_unit)
    if content.check("[mass]"):  # per the footprint's declared amount
        per_amount = footprint.declared_unit_amount * float(unit["factor"])
        return float(content.to("kg").magnitude) / per_amount
    mass = float(unit.get("mass_per_unit") or 0)
    return float(content.to("kg/kg").magnitude) * mass


def boundary_description(footprint: ComputedFootprint) -> str:
    """The system boundary and, where the product system declares one, why its biogenic
    uptake is what it is (in English, then Chinese, as the product description)."""
    text = footprint.boundary
    if footprint.biogenic_note:
        zh = f" ({footprint.biogenic_note_zh})" if footprint.biogenic_note_zh else ""
        text = f"{text}. {footprint.biogenic_note}{zh}"
    return text


def carbon_footprint(footprint: ComputedFootprint, options: dict[str, Any]) -> dict[str, Any]:
    """The ``pcf`` object: emissions per declared unit, period, geography, DQIs."""
    unit = spec.declared_unit(footprint.declared_unit)
    excluding = per_declared_unit(footprint, footprint.total_excluding_biogenic_uptake)
    uptake = -abs(per_declared_unit(footprint, footprint.biogenic_uptake))
    pcf: dict[str, Any] = {
        "declaredUnitOfMeasurement": unit["pact"],
        "declaredUnitAmount": "1",
        "productMassPerDeclaredUnit": decimal_text(
            float(unit.get("mass_per_unit") or options.get("mass_per_unit") or 0)
        ),
        "referencePeriodStart": _utc(footprint.period_start),
        "referencePeriodEnd": _utc(footprint.period_end),
        "geographyCountry": footprint.geography_country,
        "boundaryProcessesDescription": boundary_description(footprint),
        "pcfExcludingBiogenicUptake": decimal_text(excluding),
        "pcfIncludingBiogenicUptake": decimal_text(excluding + uptake),
        "fossilGhgEmissions": decimal_text(per_declared_unit(footprint, footprint.fossil)),
        "biogenicCO2Uptake": decimal_text(uptake),
        **_carbon_content(footprint, options),
        "ipccCharacterizationFactors": _gwp_reports(footprint, options),
        "crossSectoralStandards": list(options["cross_sectoral_standards"]),
        "exemptedEmissionsPercent": options["exempted_emissions_percent"],
        "packagingEmissionsIncluded": bool(options["packaging_emissions_included"]),
        "primaryDataShare": decimal_text(100 * footprint.primary_data_share),
    }
    if footprint.allocation:
        pcf["allocationRulesDescription"] = footprint.allocation
    dqi = {
        _DQR_NAMES[k]: decimal_text(v) for k, v in footprint.data_quality.items() if k in _DQR_NAMES
    }
    if len(dqi) == len(_DQR_NAMES):
        pcf["dqi"] = dqi
    return pcf


def product_footprint(
    footprint: ComputedFootprint,
    publisher: Publisher,
    *,
    footprint_id: str,
    created: datetime,
    preceding: list[str] | None = None,
    overrides: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The whole ProductFootprint, checked against the schema before it is returned."""
    options = {**spec.settings()["publication_defaults"], **(overrides or {})}
    payload: dict[str, Any] = {
        "id": footprint_id,
        "specVersion": spec.settings()["spec_version"],
        "created": created.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "status": "Active",
        "validityPeriodStart": _utc(footprint.period_end),
        "validityPeriodEnd": _validity_end(footprint),
        "companyName": publisher.company_name,
        "companyIds": [publisher.company_urn(footprint.entity)],
        "productDescription": f"{footprint.name_en} ({footprint.name_zh})",
        "productIds": [publisher.product_urn(footprint.product_id)],
        "productNameCompany": footprint.name_en,
        "comment": footprint.method_note,
        "pcf": carbon_footprint(footprint, options),
    }
    if footprint.cpc_code:
        payload["productClassifications"] = [
            f"urn:pact:productclassification:un-cpc:{footprint.cpc_code}"
        ]
    if preceding:
        payload["precedingPfIds"] = list(preceding)
    spec.require_valid(payload, what=f"footprint of {footprint.product_id}")
    return payload
