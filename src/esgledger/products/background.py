"""Footprints of what a product system buys: a supplier's declared footprint where one is
recorded, else a cited factor (a key of ``esgledger.factors`` or a value cited in the file),
and the global warming potentials of the chosen IPCC set, all as kg CO2e per unit."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from esgledger.errors import EsgError, Location
from esgledger.factors import FactorLibrary
from esgledger.factors.errors import FactorError
from esgledger.products.matrices import FlowRow
from esgledger.products.model import BackgroundFlow, ProductSystem
from esgledger.products.suppliers import SupplierFootprint
from esgledger.units import conversion_factor

GASES = ("CO2", "CH4", "N2O", "CF4", "C2F6", "SF6")


def gwp_values(
    library: FactorLibrary, dataset: str, on: date, gases: Iterable[str] = ()
) -> dict[str, float]:
    """kg CO2e per kg of each gas in ``dataset`` (ipcc_ar6_gwp100 ...): the usual ones and
    ``gases`` (those the ledger's figures hold, a refrigerant say)."""
    wanted = dict.fromkeys([*GASES, *gases])
    return {gas: library.get(f"gwp.{gas}", on=on, dataset=dataset).value for gas in wanted}


def gwp_report(library: FactorLibrary, dataset: str, on: date) -> str:
    """The IPCC assessment report of ``dataset`` ("AR6"), the version its factor file
    declares: what PACT's ipccCharacterizationFactors names."""
    return library.get("gwp.CO2", on=on, dataset=dataset).version


def background_rows(
    system: ProductSystem,
    library: FactorLibrary,
    on: date,
    suppliers: Mapping[str, tuple[SupplierFootprint, int]],
) -> dict[str, FlowRow]:
    """One biosphere row per purchased product, keyed by product."""
    return {b.product: _row(system, b, library, on, suppliers) for b in system.background}


def _supplied(
    flow: BackgroundFlow, suppliers: Mapping[str, tuple[SupplierFootprint, int]]
) -> tuple[SupplierFootprint, int] | None:
    """The supplier's footprint of ``flow``: entered under its product, else received over
    PACT under one of its ``supplier_product_ids``."""
    for key in (flow.product, *(p.lower() for p in flow.supplier_product_ids)):
        if key in suppliers:
            return suppliers[key]
    return None


def _supplier_source(footprint: SupplierFootprint, version: int) -> str:
    received = f"PACT footprint {footprint.pact_id}, " if footprint.pact_id else ""
    return f"{footprint.supplier} footprint ({received}products.supplier_footprints v{version})"


def _row(system, flow: BackgroundFlow, library, on, suppliers) -> FlowRow:
    supplied = _supplied(flow, suppliers)
    if supplied is not None:
        footprint, version = supplied
        return FlowRow(
            f"supplier:{flow.product}",
            flow.gas,
            footprint.kg_co2e_per(flow.unit),
            "supplier",
            footprint.primary_data_share,
            flow.uncertainty,
            flow.quality,
            _supplier_source(footprint, version),
        )
    value, citation = _cited(system, flow, library, on)
    return FlowRow(
        f"background:{flow.product}",
        flow.gas,
        value,
        "background",
        0.0,
        flow.uncertainty,
        flow.quality,
        citation,
    )


def _cited(system, flow: BackgroundFlow, library: FactorLibrary, on: date) -> tuple[float, str]:
    where = Location(file=system.source_file, line=flow.line)
    if flow.factor_key is None:
        if flow.value is None or not flow.citation:
            raise EsgError(
                f"{flow.product} has neither a factor key nor a cited value",
                code="footprint.uncited_background",
                params={"product": flow.product},
                location=where,
            )
        return flow.value, flow.citation
    if flow.vintage is not None:
        on = date(flow.vintage, 1, 1)
    try:
        factor = library.get(flow.factor_key, on=on, region=flow.region, dataset=flow.dataset)
    except FactorError as exc:
        raise EsgError(
            str(exc),
            code="footprint.factor_missing",
            params={"product": flow.product, "key": flow.factor_key, "reason": str(exc)},
            location=where,
        ) from exc
    per_unit = factor.value * conversion_factor(_as_co2e(factor.unit), f"kgCO2e/{flow.unit}")
    return per_unit, f"{factor.label}: {factor.citation}"


def _as_co2e(unit: str) -> str:
    """A CO2 factor's unit read as CO2e (tCO2/MWh -> tCO2e/MWh): CO2 counts at GWP 1."""
    return unit if "CO2e" in unit else unit.replace("CO2", "CO2e")
