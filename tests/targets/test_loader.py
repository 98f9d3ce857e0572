"""Targets files: the demo's loads; a wrong one is refused whole, every problem at its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from esgledger.catalog import load_catalog
from esgledger.demo.generate import DATA_DIR
from esgledger.errors import ValidationFailed
from esgledger.targets import TargetType, load_targets

GOOD = """\
targets:
  - id: energy-cap
    name: {en: Energy cap, zh: 能源消费总量}
    indicator: energy.total
    type: absolute_cap
    base_year: 2022
    target_year: 2025
    target_value: 28.52
    unit: 10^4 tce
    source: test
"""


def _load(tmp_path: Path, text: str):
    path = tmp_path / "targets.yaml"
    path.write_text(text, encoding="utf-8")
    return path, load_targets(path, load_catalog())


def test_the_demo_targets_load_with_a_source_each():
    targets = load_targets(DATA_DIR / "targets.yaml", load_catalog())
    assert len(targets.targets) == 11
    assert all("2024 ESG Report" in t.source for t in targets.targets)
    assert targets.policy.threshold_pct == 5


def test_values_are_converted_into_the_indicator_unit(tmp_path):
    _, targets = _load(tmp_path, GOOD)
    (target,) = targets.targets
    assert target.unit == "tce" and target.target_value == pytest.approx(285_200)
    assert target.type is TargetType.ABSOLUTE_CAP


def _problems(tmp_path: Path, text: str) -> str:
    with pytest.raises(ValidationFailed) as caught:
        _load(tmp_path, text)
    return str(caught.value)


def test_every_problem_is_reported_with_its_line(tmp_path):
    text = GOOD + (
        "  - id: intensity\n"  # line 11
        "    name: {en: Intensity, zh: 强度}\n"
        "    indicator: ghg.intensity_key_entites\n"  # line 13: a typo
        "    type: intensity_cap\n"
        "    target_year: 2025\n"
        "    target_value: 2.956\n"
        "    source: test\n"
        "  - id: energy-cap\n"  # line 18: a repeated id
        "    name: {en: Cap, zh: 上限}\n"
        "    indicator: ghg.scope12_total\n"
        "    type: intensity_cap\n"  # line 21: a total is not an intensity
        "    target_year: 2025\n"
        "    target_value: 1\n"
        "    unit: MWh\n"  # line 24: not convertible to tCO2e
        "    source: test\n"
    )
    message = _problems(tmp_path, text)
    assert "4 problem(s); nothing was loaded" in message
    assert "line 13, column 'indicator'" in message
    assert "no such indicator. Did you mean ghg.intensity_key_entities," in message
    assert "line 18, column 'id'" in message and "id already used at line 2" in message
    assert "line 21, column 'type'" in message and "is not an intensity" in message
    assert "line 24, column 'unit'" in message and "cannot be converted to 'tCO2e'" in message


def test_shape_errors_name_the_field_and_line(tmp_path):
    text = GOOD.replace("    type: absolute_cap\n", "    type: cap\n    base_year: 2026\n")
    message = _problems(tmp_path, text)
    assert "line 5, column 'targets.0.type'" in message
    assert "absolute_cap" in message  # the allowed values are listed


def test_a_missing_field_points_at_the_entry(tmp_path):
    message = _problems(tmp_path, GOOD.replace("    source: test\n", ""))
    assert "line 2, column 'targets.0.source': field 'source' is required. Add the field." in (
        message
    )


def test_a_base_year_after_the_target_year_is_refused(tmp_path):
    message = _problems(tmp_path, GOOD.replace("base_year: 2022", "base_year: 2026"))
    assert "base_year 2026 must come before target_year 2025" in message


def test_a_scoped_indicator_is_judged_only_at_its_own_scope(tmp_path):
    text = GOOD.replace("indicator: energy.total", "indicator: ghg.intensity_key_entities")
    text = text.replace("type: absolute_cap", "type: intensity_cap").replace(
        "unit: 10^4 tce", "unit: tCO2e/tREO"
    )
    message = _problems(tmp_path, text)  # scope defaults to the group
    assert "ghg.intensity_key_entities exists only for tag:key-entity" in message
    assert "Set scope: tag:key-entity" in message
    fixed = text.replace(
        "    type: intensity_cap", "    scope: tag:key-entity\n    type: intensity_cap"
    )
    assert _load(tmp_path, fixed)[1].targets[0].scope == "tag:key-entity"
