"""One table of PACT declared units serves the footprints published and those received."""

from __future__ import annotations

import pytest

from esgledger.errors import EsgError
from esgledger.pact.spec import schema
from esgledger.products.pact_units import declared_units, registry_units
from esgledger.products.suppliers import from_pact


def schema_units(node) -> list[str]:
    """The enum of declaredUnitOfMeasurement in the PACT v3 schema."""
    if isinstance(node, dict):
        if "declaredUnitOfMeasurement" in node:
            return node["declaredUnitOfMeasurement"]["enum"]
        node = list(node.values())
    for child in node if isinstance(node, list) else ():
        found = schema_units(child)
        if found:
            return found
    return []


def received(unit: str, amount: str = "1") -> dict:
    return {
        "id": "3f6a7f0e-0000-4000-8000-000000000001",
        "companyName": "供应商",
        "productIds": ["urn:pact:product:hcl"],
        "pcf": {
            "declaredUnitOfMeasurement": unit,
            "declaredUnitAmount": amount,
            "pcfExcludingBiogenicUptake": "2.5",
            "referencePeriodStart": "2024-01-01T00:00:00Z",
            "referencePeriodEnd": "2025-01-01T00:00:00Z",
        },
    }


def test_every_unit_of_the_specification_is_in_the_table_once():
    published = {unit["pact"] for unit in declared_units().values()}
    assert published == set(schema_units(schema()))


def test_a_received_footprint_is_read_per_the_registry_unit_of_its_declared_unit():
    assert registry_units()["ton kilometer"] == "t*km"
    footprint = from_pact(received("kilogram", amount="2"))
    assert (footprint.pcf, footprint.pcf_unit) == (1.25, "kgCO2e/kg")


def test_a_footprint_per_piece_cannot_replace_a_factor_and_says_which_units_can():
    with pytest.raises(EsgError) as caught:
        from_pact(received("piece"))
    assert caught.value.code == "footprint.supplier_unit"
    assert "kilogram" in str(caught.value) and "piece" not in caught.value.params["known"]
