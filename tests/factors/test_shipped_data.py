"""The shipped factor data: every value cited, tagged and in a unit the registry reads,
and hand-checked against the figures of the reference report and the source tables."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import yaml

from esgledger.factors import DATA_DIR, Confidence, load_factor_sets, shipped_factor_sets
from esgledger.factors.model import KEY_PATTERN
from esgledger.units import Q_, parse_unit

LIB = load_factor_sets()
ALL = LIB.all_factors()
ON_2024 = date(2024, 12, 31)


@pytest.mark.parametrize("factor", ALL, ids=lambda f: f.label)
def test_every_shipped_factor_has_a_readable_unit_a_citation_and_a_tag(factor):
    parse_unit(factor.unit)
    assert len(factor.citation) > 20
    assert factor.confidence in set(Confidence)
    assert factor.origin and ".yaml:" in factor.origin


def test_no_shipped_factor_is_negative():
    """User files may not give negative factors; no shipped dataset needs one either."""
    assert [f.label for f in ALL if f.value < 0] == []


def test_every_key_follows_the_naming_scheme():
    import re

    assert all(re.match(KEY_PATTERN, f.key) for f in ALL)


def test_every_dataset_is_listed_with_its_source_for_the_methodology_page():
    infos = LIB.datasets()
    names = {d.name for d in infos}
    assert {"gbt2589", "ndrc_other_nonferrous", "ipcc2006_energy", "cn_grid_mee"} <= names
    assert {"ipcc_ar4_gwp100", "ipcc_ar5_gwp100", "ipcc_ar6_gwp100", "stoichiometry"} <= names
    assert all(d.source and d.version and d.factor_count for d in infos)
    assert not any(d.is_override for d in infos)


def test_gwp_sets_declare_their_metric_and_cover_the_report_gases():
    gases = (
        "CO2 CH4 N2O CF4 C2F6 SF6 NF3 HFC-23 HFC-32 HFC-125 HFC-134a HFC-143a HFC-152a HFC-227ea"
    )
    for item in shipped_factor_sets():
        if item.name.endswith("_gwp100"):
            assert item.gwp_set and item.gwp_set.endswith("GWP100")
            for gas in gases.split():
                LIB.get(f"gwp.{gas}", on=ON_2024, dataset=item.name)
    ar6 = "ipcc_ar6_gwp100"
    assert LIB.get("gwp.CF4", on=ON_2024, dataset=ar6).value == 7380
    assert LIB.get("gwp.N2O", on=ON_2024, dataset="ipcc_ar5_gwp100").value == 265


def test_natural_gas_2024_in_standard_coal_by_hand():
    """69,759,526 Nm3 (report 2024) x 1.2143 kgce/Nm3 (GB/T 2589, gas-field gas) = 84,709 tce."""
    coefficient = LIB.get("coal_equivalent.natural_gas", on=ON_2024)
    assert (coefficient.value, coefficient.unit) == (1.2143, "kgce/Nm3")
    tce = (Q_(69_759_526, "Nm3") * Q_(coefficient.value, parse_unit(coefficient.unit))).to("tce")
    assert tce.magnitude == pytest.approx(84_708.99, abs=0.01)


def test_report_2024_carriers_in_standard_coal_by_hand():
    """Diesel 931 t x 1.4571 and purchased electricity 819,687 MWh x 0.1229 (当量值)."""
    diesel = LIB.get("coal_equivalent.diesel", on=ON_2024).value
    electricity = LIB.get("coal_equivalent.electricity", on=ON_2024).value
    assert 931 * diesel == pytest.approx(1_356.56, abs=0.01)
    assert 819_687 * electricity == pytest.approx(100_739.5, abs=0.1)
    assert electricity == pytest.approx(860 / 7000, abs=5e-5)
    assert LIB.get("coal_equivalent.heat", on=ON_2024).value == pytest.approx(1 / 29.3076, abs=1e-5)


def test_diesel_ipcc_default_by_hand():
    """931 t diesel x 43.0 TJ/Gg x 74,100 kg CO2/TJ = 2,966.4 t CO2 (IPCC 2006 Tier 1)."""
    ncv = LIB.get("ncv.diesel", on=ON_2024, dataset="ipcc2006_energy")
    ef = LIB.get("ef_co2.diesel", on=ON_2024, dataset="ipcc2006_energy")
    assert (ncv.value, ef.value) == (43.0, 74100)
    co2 = Q_(931, "t") * Q_(ncv.value, parse_unit(ncv.unit)) * Q_(ef.value, parse_unit(ef.unit))
    assert co2.to("tCO2e").magnitude == pytest.approx(2_966.45, abs=0.01)


def test_ipcc_co2_factors_follow_from_carbon_content():
    """EF (kg CO2/TJ) = carbon content (kg C/GJ) x 44/12 x 1000, within table rounding."""
    for factor in ALL:
        if factor.dataset == "ipcc2006_energy" and factor.key.startswith("ef_co2."):
            fuel = factor.key.split(".", 1)[1]
            carbon = LIB.get(f"carbon_content.{fuel}", on=ON_2024, dataset="ipcc2006_energy")
            assert factor.value == pytest.approx(carbon.value * 44 / 12 * 1000, rel=0.005), fuel


def test_ndrc_natural_gas_parameters_reproduce_the_guideline_reductant_factor():
    """389.31 GJ/10^4 Nm3 x 15.3 tC/TJ x 99 % x 44/12 = 21.622 t CO2/10^4 Nm3."""
    ncv, carbon, oxidation = (
        LIB.get(f"{kind}.natural_gas", on=ON_2024, dataset="ndrc_other_nonferrous")
        for kind in ("ncv", "carbon_content", "oxidation")
    )
    heat = Q_(ncv.value, parse_unit(ncv.unit))
    per_wan_m3 = heat * Q_(carbon.value, parse_unit(carbon.unit)) * oxidation.value * 44 / 12
    assert per_wan_m3.to("t/wan_Nm3").magnitude == pytest.approx(21.622, abs=0.001)
    reductant = LIB.get("ef_co2.reductant.natural_gas", on=ON_2024)
    assert reductant.value == 21.622


def test_carbonate_stoichiometry():
    expected = {"CaCO3": 0.4397, "MgCO3": 0.5220, "Na2CO3": 0.4152, "CaMg(CO3)2": 0.4773}
    for formula, value in expected.items():
        factor = LIB.get(f"process_ef.carbonate.{formula}", on=ON_2024)
        assert factor.value == pytest.approx(value, abs=1e-4)
        assert factor.confidence is Confidence.V


def test_grid_factors_by_year_and_region():
    national = {2021: 0.5568, 2022: 0.5366, 2023: 0.5306}
    for year, value in national.items():
        assert LIB.get("grid.electricity", on=date(year, 6, 30)).value == value
    north = LIB.get("grid.electricity", on=date(2023, 6, 30), region="north")
    assert north.value == 0.6361 and north.confidence is Confidence.V
    assert LIB.get("grid.electricity", on=date(2022, 6, 30), region="CN-NM").value == 0.6849
    for grid in ("north", "northeast", "east", "central", "northwest", "south"):
        for year in national:
            assert LIB.get("grid.electricity", on=date(year, 1, 1), region=grid).region == grid
    assert LIB.get("grid.electricity_reporting", on=date(2023, 6, 30)).value == 0.5703
    assert LIB.get("ef_co2.purchased_heat", on=ON_2024).value == 0.11


def test_unchecked_values_are_marked_so_the_engine_can_warn():
    memory = {f.key for f in ALL if f.confidence is Confidence.M}
    assert "coal_equivalent.coke_oven_gas" in memory
    assert "ncv.diesel" in memory  # NDRC table not retrieved
    verified = LIB.get("coal_equivalent.diesel", on=ON_2024)
    assert verified.confidence is Confidence.V


def test_shipped_sets_are_read_once_per_process():
    assert shipped_factor_sets() is shipped_factor_sets()
    assert load_factor_sets().all_factors()[0] is LIB.all_factors()[0]


@pytest.mark.parametrize("path", sorted(DATA_DIR.rglob("*.yaml")), ids=lambda p: p.name)
def test_shipped_files_load_to_the_factors_and_dates_pyyaml_reads(path):
    """Dates are read as text and checked by the models; the factors are those of before."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    written = [{**raw.get("defaults", {}), **item} for item in raw["factors"]]
    expected = [
        (f["key"], f["value"], f["unit"], f.get("region"), f.get("valid_from"), f.get("valid_to"))
        for f in written
    ]
    (loaded,) = [s for s in shipped_factor_sets() if s.path == str(path)]
    found = [(f.key, f.value, f.unit, f.region, f.valid_from, f.valid_to) for f in loaded.factors]
    assert found == expected


def test_no_shipped_value_ends_on_the_last_day_of_a_month():
    """valid_to is the first day a value no longer holds, as user files must write it."""
    assert [f.label for f in ALL if f.valid_to and (f.valid_to + timedelta(days=1)).day == 1] == []
