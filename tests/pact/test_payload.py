"""Computed footprints become PACT v3 payloads that the specification's schema accepts."""

from __future__ import annotations

import copy
from datetime import UTC, datetime

import pytest

from esgledger.errors import EsgError
from esgledger.pact import spec
from esgledger.pact.payload import decimal_text, product_footprint
from esgledger.units import Q_
from tests.pact.helpers import PUBLISHER, oxide_footprint

CREATED = datetime(2025, 3, 1, tzinfo=UTC)
ID = "0f8fad5b-d9cb-469f-a165-70867728950e"


def test_a_footprint_per_tonne_is_declared_per_kilogram_and_valid():
    payload = product_footprint(
        oxide_footprint(21_400.0), PUBLISHER, footprint_id=ID, created=CREATED
    )
    assert spec.problems(payload) == []
    pcf = payload["pcf"]
    # 21,400 kg CO2e per tonne = 21.4 kg CO2e per kilogram (hand-worked: / 1000)
    assert pcf["declaredUnitOfMeasurement"] == "kilogram"
    assert pcf["declaredUnitAmount"] == "1"
    assert pcf["pcfExcludingBiogenicUptake"] == "21.4"
    assert pcf["primaryDataShare"] == "62"
    assert pcf["referencePeriodEnd"] == "2025-01-01T00:00:00Z"
    assert payload["productIds"] == ["urn:pact:nre.example.cn:product-id:ndpr-oxide"]


def test_an_intensity_in_tonnes_per_tonne_gives_the_same_figure():
    footprint = oxide_footprint(
        total_excluding_biogenic_uptake=Q_(21.4, "tCO2e/t"), fossil=Q_(21.4, "tCO2e/t")
    )
    payload = product_footprint(footprint, PUBLISHER, footprint_id=ID, created=CREATED)
    assert payload["pcf"]["pcfExcludingBiogenicUptake"] == "21.4"


def test_a_quantity_that_is_not_co2e_is_refused():
    with pytest.raises(EsgError) as caught:
        product_footprint(
            oxide_footprint(fossil=Q_(3.0, "kWh")), PUBLISHER, footprint_id=ID, created=CREATED
        )
    assert caught.value.code == "pact_v3.quantity_unit"


def test_a_declared_unit_pact_does_not_know_is_refused():
    with pytest.raises(EsgError) as caught:
        product_footprint(
            oxide_footprint(declared_unit="barrel"), PUBLISHER, footprint_id=ID, created=CREATED
        )
    assert caught.value.code == "pact_v3.declared_unit"


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("status",), "Retired"),
        (("id",), "not-a-uuid"),
        (("pcf", "declaredUnitOfMeasurement"), "ton"),
        (("pcf", "fossilGhgEmissions"), "-1"),
        (("pcf", "pcfExcludingBiogenicUptake"), "1e3"),
        (("companyIds",), ["nre"]),
        (("created",), "2025-03-01"),
    ],
)
def test_the_schema_refuses_what_the_specification_forbids(path, value):
    payload = product_footprint(oxide_footprint(), PUBLISHER, footprint_id=ID, created=CREATED)
    broken = copy.deepcopy(payload)
    target = broken
    for name in path[:-1]:
        target = target[name]
    target[path[-1]] = value
    assert spec.problems(broken)


def test_two_geographies_at_once_are_refused():
    payload = product_footprint(oxide_footprint(), PUBLISHER, footprint_id=ID, created=CREATED)
    payload["pcf"]["geographyRegionOrSubregion"] = "Eastern Asia"
    assert spec.problems(payload)


@pytest.mark.parametrize(
    ("value", "text"),
    [(0.1 + 0.2, "0.3"), (-0.0, "0"), (1e-7, "0.0000001"), (12345678.0, "12345678")],
)
def test_decimals_are_written_without_exponent(value, text):
    assert decimal_text(value) == text


def test_the_gwp_set_and_carbon_content_are_the_footprints_own():
    """Declared by the footprint (its product system's data), per declared unit: 0.3 kg C
    per tonne of oxide is 0.0003 kg C per kilogram."""
    footprint = oxide_footprint(
        ipcc_characterization=("AR5",),
        fossil_carbon_content=Q_(0.3, "kg"),
        biogenic_carbon_content=Q_(0.0, "kg"),
    )
    pcf = product_footprint(footprint, PUBLISHER, footprint_id=ID, created=CREATED)["pcf"]
    assert pcf["ipccCharacterizationFactors"] == ["AR5"]
    assert pcf["fossilCarbonContent"] == "0.0003"
    assert pcf["biogenicCarbonContent"] == "0"
    per_kg = oxide_footprint(fossil_carbon_content=Q_(0.002, "kg/kg"), declared_unit="kilogram")
    pcf = product_footprint(per_kg, PUBLISHER, footprint_id=ID, created=CREATED)["pcf"]
    assert pcf["fossilCarbonContent"] == "0.002"
    assert "biogenicCarbonContent" not in pcf  # not known: not claimed


@pytest.mark.parametrize(
    ("missing", "code"),
    [
        ({"ipcc_characterization": ()}, "pact_v3.no_gwp_set"),
        ({"fossil_carbon_content": None}, "pact_v3.no_carbon_content"),
    ],
)
def test_a_footprint_without_gwp_set_or_carbon_content_is_not_published(missing, code):
    with pytest.raises(EsgError) as raised:
        product_footprint(oxide_footprint(**missing), PUBLISHER, footprint_id=ID, created=CREATED)
    assert raised.value.code == code
