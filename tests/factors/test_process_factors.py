"""Process-emission factors of rare-earth metal electrolysis and the NDRC "other non-ferrous"
guideline: what ships, what deliberately does not, and hand-worked cases.

Sources and what could not be found are in ``factors/data/SOURCES.md`` (section "Rare-earth
electrolysis and NDRC process emissions"). In short: the IPCC 2019 Refinement Tier 1 CF4,
C2F6 and CO2 defaults for rare earths production (Vol. 3, Ch. 4, section 4.8) were not
retrievable, so nothing of them ships and a PFC calculation needs the plant's own factor in
an override file. What ships is the measured CO2/CO/carbon range of one Chinese study,
dataset ``literature_rare_earth_electrolysis``, as bounds only.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from esgledger.factors import Confidence, FactorNotFoundError, load_factor_sets
from esgledger.units import Q_, parse_unit

LIB = load_factor_sets()
ON = date(2024, 12, 31)
LITERATURE = "literature_rare_earth_electrolysis"
CN_PROCESS = Path("factors") / "data" / "cn_process"
AR5, AR6 = "ipcc_ar5_gwp100", "ipcc_ar6_gwp100"

M_C, M_CO, M_CO2 = 12.011, 28.010, 44.009  # IUPAC standard atomic weights, as in stoichiometry

# Keys the engine needs for rare-earth electrolysis and that have no retrievable default.
NO_DEFAULT = (
    "process_ef.pfc.cf4.rare_earth_electrolysis",
    "process_ef.pfc.c2f6.rare_earth_electrolysis",
    "process_ef.anode_co2.rare_earth_electrolysis",
)


def _literature(key: str) -> float:
    return LIB.get(key, on=ON, dataset=LITERATURE).value


def _process_factors():
    return [f for f in LIB.all_factors() if f.origin and str(CN_PROCESS) in f.origin]


def test_the_process_files_load_with_readable_units_citations_and_tags():
    factors = _process_factors()
    assert {f.dataset for f in factors} == {LITERATURE}
    assert len(factors) == 4
    for factor in factors:
        parse_unit(factor.unit)
        assert len(factor.citation) > 20 and "abstract" in factor.citation
        assert factor.confidence is Confidence.V
        assert factor.notes


def test_the_literature_set_says_it_is_literature_and_only_gives_bounds():
    info = next(d for d in LIB.datasets() if d.name == LITERATURE)
    assert "Literature (not a standard)" in info.title
    assert info.url and info.url.startswith("https://")
    assert all(f.key.endswith((".measured_min", ".measured_max")) for f in _process_factors())


def test_literature_keys_collide_with_no_other_dataset():
    """A second dataset with the same key would make every plain lookup ambiguous."""
    mine = {f.key for f in _process_factors()}
    others = {f.key for f in LIB.all_factors() if f.dataset != LITERATURE}
    assert not mine & others


@pytest.mark.parametrize("key", NO_DEFAULT)
def test_no_default_ships_for_what_could_not_be_retrieved(key):
    """The engine must ask for the plant's own factor rather than fall back on a guess."""
    with pytest.raises(FactorNotFoundError):
        LIB.get(key, on=ON)


def test_anode_carbon_content_is_at_most_an_assumption():
    """No standard gives a carbon content for RE electrolysis anodes, so a shipped value can
    only be a modelling assumption (tag M), never presented as verified."""
    try:
        factor = LIB.get("carbon_content.carbon_anode", on=ON)
    except FactorNotFoundError:
        return
    assert factor.confidence is Confidence.M
    assert 0 < factor.value <= 1


def test_literature_bounds_are_internally_consistent():
    """Carbon in CO2 is over 97 % of the carbon consumed, at each end of the range (abstract).

    Lower end: 165.0 x 12.011/44.009 = 45.03 kg C/t of 46.4; upper end: 672.4 x 0.27292 =
    183.51 of 186.8 (the rest leaves as CO, whose bounds are not shipped: CO is no GHG).
    """
    for end in ("measured_min", "measured_max"):
        co2 = Q_(_literature(f"process_ef.anode_co2.rare_earth_electrolysis.{end}"), "tCO2/t")
        carbon = _literature(f"process_ef.anode_carbon.rare_earth_electrolysis.{end}")
        carbon_in_co2 = co2.to("kgCO2/t").magnitude * M_C / M_CO2
        assert 0.97 < carbon_in_co2 / carbon < 1.0
    assert _literature("process_ef.anode_co2.rare_earth_electrolysis.measured_min") < _literature(
        "process_ef.anode_co2.rare_earth_electrolysis.measured_max"
    )


def test_anode_co2_range_for_1000_t_of_metal_by_hand():
    """1,000 t RE metal x 0.1650 / 0.6724 t CO2/t = 165.0 / 672.4 t CO2 (literature bounds).

    The carbon bound counted wholly as CO2 gives 186.8 x 44/12 = 684.9 t CO2 per 1,000 t.
    """
    metal = Q_(1000, "t")
    low, high = (
        metal * Q_(_literature(f"process_ef.anode_co2.rare_earth_electrolysis.{end}"), "tCO2/t")
        for end in ("measured_min", "measured_max")
    )
    assert low.to("tCO2").magnitude == pytest.approx(165.0)
    assert high.to("tCO2").magnitude == pytest.approx(672.4)
    carbon_max = metal * Q_(
        _literature("process_ef.anode_carbon.rare_earth_electrolysis.measured_max"), "kg/t"
    )
    assert carbon_max.to("t").magnitude * 44 / 12 == pytest.approx(684.9, abs=0.1)


MEASURED_PFC = """\
name: plant_measured_pfc
title: Measured PFC factors of one potline (illustrative numbers for this test only)
version: "2024"
source: Hypothetical stack-measurement report of a Pr-Nd potline, used only by this test
overrides:
  entities: [HUAXING]
factors:
  - key: process_ef.pfc.cf4.rare_earth_electrolysis
    value: 1.0
    unit: kg/t
    confidence: T
    citation: illustrative value, kg CF4 per tonne of Pr-Nd metal
  - key: process_ef.pfc.c2f6.rare_earth_electrolysis
    value: 0.1
    unit: kg/t
    confidence: T
    citation: illustrative value, kg C2F6 per tonne of Pr-Nd metal
"""


def test_pfc_for_1000_t_pr_nd_metal_by_hand(write):
    """PFC in CO2e from a plant's measured factors (there is no shipped default).

    The factors are illustrative, not real: 1.0 kg CF4/t and 0.1 kg C2F6/t, supplied as the
    plant's override file, as the engine will require. GWPs from the shipped sets (AR5 WG1
    Table 8.A.1; AR6 WG1 Table 7.SM.7): CF4 6,630 / 7,380, C2F6 11,100 / 12,400.

    1,000 t x 1.0 kg/t = 1,000 kg = 1.0 t CF4    -> AR5 6,630 tCO2e, AR6 7,380 tCO2e
    1,000 t x 0.1 kg/t =   100 kg = 0.1 t C2F6   -> AR5 1,110 tCO2e, AR6 1,240 tCO2e
    total                                          AR5 7,740 tCO2e, AR6 8,620 tCO2e
    """
    library = load_factor_sets([write("pfc.yaml", MEASURED_PFC)])
    metal = Q_(1000, "t")
    expected = {AR5: (6630, 1110), AR6: (7380, 1240)}
    for gwp_set, (cf4_expected, c2f6_expected) in expected.items():
        results = []
        for gas in ("CF4", "C2F6"):
            ef = library.get(
                f"process_ef.pfc.{gas.lower()}.rare_earth_electrolysis", on=ON, entity="HUAXING"
            )
            assert ef.dataset == "plant_measured_pfc"
            mass = (metal * Q_(ef.value, parse_unit(ef.unit))).to("t").magnitude
            results.append(mass * library.get(f"gwp.{gas}", on=ON, dataset=gwp_set).value)
        assert results == pytest.approx([cf4_expected, c2f6_expected])
        assert sum(results) == pytest.approx(cf4_expected + c2f6_expected)
    with pytest.raises(FactorNotFoundError):  # another entity still has no PFC factor
        library.get("process_ef.pfc.cf4.rare_earth_electrolysis", on=ON, entity="OTHER")


def test_ndrc_reductant_factors_follow_from_chinese_default_fuel_parameters():
    """The guideline's reductant factors (one transcription, tag T) are each reproduced by a
    plausible Chinese default parameter set, EF = NCV x carbon content x oxidation x 44/12:

    natural gas 389.31 GJ/10^4 Nm3 x 15.3 tC/TJ x 0.99 = 21.622 t CO2/10^4 Nm3
    anthracite  20.304 GJ/t x 27.49 tC/TJ x 0.94         = 1.924 t CO2/t
    coke        28.447 GJ/t x 29.5 tC/TJ x 0.93          = 2.862 t CO2/t
    semi-coke   28.435 GJ/t x 29.42 tC/TJ x 0.93         = 2.853 t CO2/t

    These are reconstructions, not readings of the guideline: anthracite needs 27.49 (the
    ndrc file ships 27.4, tag M) and coke 28.447 GJ/t (the ndrc file ships 28.435, tag M).
    """
    reconstruction = {
        "natural_gas": (389.31, 15.3, 0.99),
        "anthracite": (20.304, 27.49, 0.94),
        "coke": (28.447, 29.5, 0.93),
        "semi_coke": (28.435, 29.42, 0.93),
    }
    for fuel, (ncv, carbon, oxidation) in reconstruction.items():
        shipped = LIB.get(f"ef_co2.reductant.{fuel}", on=ON, dataset="ndrc_other_nonferrous")
        assert ncv * carbon / 1000 * oxidation * 44 / 12 == pytest.approx(shipped.value, abs=5e-4)


def test_ndrc_carbonate_and_oxalic_acid_process_emissions_by_hand():
    """E = AD x PUR x EF with the stoichiometric factors (not duplicated per guideline).

    1,000 t limestone at 90 % CaCO3 x 0.4397 = 395.73 t CO2
    1,000 t dolomite at 95 % CaMg(CO3)2 x 0.4773 = 453.44 t CO2
    1,000 t soda ash at 99 % Na2CO3 x 0.4152 = 411.05 t CO2 (the guideline prints 0.4149)
    1,000 t oxalic acid x 0.349 x 0.996 = 347.60 t CO2 (NDRC default purity)
    """
    cases = {"CaCO3": (0.90, 395.73), "CaMg(CO3)2": (0.95, 453.44), "Na2CO3": (0.99, 411.05)}
    for formula, (purity, expected) in cases.items():
        ef = LIB.get(f"process_ef.carbonate.{formula}", on=ON)
        assert ef.dataset == "stoichiometry"
        assert 1000 * purity * ef.value == pytest.approx(expected, abs=0.01)
    oxalic = LIB.get("ef_co2.oxalic_acid", on=ON).value * LIB.get("purity.oxalic_acid", on=ON).value
    assert 1000 * oxalic == pytest.approx(347.60, abs=0.01)
