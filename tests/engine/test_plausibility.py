"""Anode consumption per tonne of metal is checked against the measured range."""

from __future__ import annotations

from pathlib import Path

import pytest

from esgledger.engine.explain import explain
from tests.engine.harness import run_case

SCENARIOS = Path(__file__).parent / "scenarios"  # its factor_files/ sits beside it


def anode_case(anode_t: float, metal_t: float) -> dict:
    return {
        "name": "t",
        "period": 2024,
        "entities": [{"code": "G", "kind": "group"}],
        "input": {
            "G": {
                "process.carbon_anode_consumed": anode_t,
                "process.re_metal_electrolysis_output": metal_t,
            }
        },
        "factor_files": ["pfc_plant_factors.yaml"],
    }


def plausibility_notes(results) -> list[str]:
    return [d.message for d in results.entities.diagnostics if "plausibility" in d.message]


def test_anode_use_inside_the_measured_range_raises_no_flag():
    # 100 t anode (carbon content 1.0) for 1,000 t metal: 100 kg C/t and 0.3667 t CO2/t,
    # inside 46.4-186.8 kg C/t and 0.165-0.6724 t CO2/t (literature_rare_earth_electrolysis)
    results = run_case(anode_case(100, 1000), SCENARIOS)
    assert plausibility_notes(results) == []
    assert results.value("ghg.scope1_anode_co2", "G", "2024") == pytest.approx(366.666667)


def test_anode_use_outside_the_measured_range_is_flagged_with_value_and_bounds():
    # 1,000 t anode for 1,000 t metal (e.g. kg typed as t somewhere): 1,000 kg C/t, 3.667 t CO2/t
    results = run_case(anode_case(1000, 1000), SCENARIOS)
    notes = plausibility_notes(results)
    assert any("anode CO2 3.667 t per t" in n and "0.165–0.6724 t/t" in n for n in notes)
    assert any("anode carbon consumed 1,000.000 kg per t" in n and "46.4–186.8" in n for n in notes)
    tree = explain(results, "ghg.scope1_anode_co2", "G", "2024")
    assert any("plausibility" in note for note in tree.to_dict().get("notes", []))


def test_the_notice_reads_in_chinese_for_a_chinese_reader_and_in_english_for_the_api():
    results = run_case(anode_case(1000, 1000), SCENARIOS)
    notice = next(d for d in results.entities.diagnostics if "anode CO2" in d.message)
    assert notice.text("zh").startswith("合理性：阳极 CO2为每吨稀土金属 3.667 t，超出国内电解槽")
    assert notice.line("zh").startswith("ghg.scope1_anode_co2，G，2024：合理性")
    tree = explain(results, "ghg.scope1_anode_co2", "G", "2024")
    assert any(n.startswith("合理性：阳极 CO2") for n in tree.to_dict("zh")["notes"])
    assert tree.to_dict()["notes"] == tree.notes and "plausibility" in tree.notes[0]
