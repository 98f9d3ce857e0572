"""A product system that cannot be solved or allocated is refused in both languages, naming
the process, the file and the YAML line."""

from __future__ import annotations

from pathlib import Path

import pytest

from esgledger.errors import EsgError
from esgledger.factors import load_factor_sets
from esgledger.products.compute import compute_footprint
from esgledger.products.loading import read_system
from esgledger.products.service import offline_inputs

SYSTEM = Path(__file__).with_name("systems") / "three_process.yaml"


def _variant(tmp_path: Path, old: str, new: str) -> Path:
    text = SYSTEM.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "variant.yaml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def _compute(path: Path):
    system = read_system(path)
    return compute_footprint(system, offline_inputs(system, load_factor_sets(), 2024))


def _line_of(path: Path, text: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if text in line)


def test_a_cycle_that_makes_nothing_names_its_processes_and_line(tmp_path):
    # the mine takes back 1 t of metal per t of concentrate: metal -> oxide -> concentrate
    # -> metal loops with gain 1.2 x 2 x 0.6 / 0.6 ... chosen so the loop makes no net output
    path = _variant(
        tmp_path,
        "      - {product: electricity, amount: 50, unit: kWh}\n",
        "      - {product: electricity, amount: 50, unit: kWh}\n"
        "      - {product: metal, amount: 0.41666666666666667, unit: t}\n",
    )
    with pytest.raises(EsgError) as caught:
        _compute(path)
    error = caught.value
    assert error.code == "footprint.singular"
    assert error.location.line == _line_of(path, "- id: mine")
    assert "mine" in error.render("en") and "variant.yaml" in error.render("en")
    assert "循环" in error.render("zh") and "mine" in error.render("zh")


def test_the_same_cycle_with_a_net_output_solves(tmp_path):
    path = _variant(
        tmp_path,
        "      - {product: electricity, amount: 50, unit: kWh}\n",
        "      - {product: electricity, amount: 50, unit: kWh}\n"
        "      - {product: metal, amount: 0.2, unit: t}\n",
    )
    assert _compute(path).solution.score > 0.99948


def test_declared_shares_that_miss_100_percent_name_the_process_and_line(tmp_path):
    path = _variant(
        tmp_path,
        "    name: {en: Separation, zh: 分离}\n",
        "    name: {en: Separation, zh: 分离}\n    allocation_shares: {oxide-a: 55, oxide-b: 40}\n",
    )
    with pytest.raises(EsgError) as caught:
        _compute(path)
    error = caught.value
    assert error.code == "footprint.allocation_not_100"
    assert error.params["total"] == 95
    assert error.location.line == _line_of(path, "- id: separate")
    assert "separate" in error.render("en") and "95" in error.render("en")
    assert "合计为 95%" in error.render("zh")


def test_declared_shares_of_100_percent_are_used(tmp_path):
    path = _variant(
        tmp_path,
        "    name: {en: Separation, zh: 分离}\n",
        "    name: {en: Separation, zh: 分离}\n    allocation_shares: {oxide-a: 60, oxide-b: 40}\n",
    )
    assert _compute(path).solution.score == pytest.approx(0.99948, rel=1e-12)


def test_a_wrong_field_names_its_yaml_line(tmp_path):
    path = _variant(tmp_path, "{product: metal, amount: 1, unit: t}", "{product: metal, amout: 1}")
    with pytest.raises(EsgError) as caught:
        read_system(path)
    assert caught.value.code == "footprint.invalid_field"
    assert caught.value.location.line == _line_of(path, "amout")
    assert "processes.2.outputs.0" in caught.value.render("en")


def test_an_input_nobody_makes_is_named(tmp_path):
    path = _variant(tmp_path, "{product: oxide-a, amount: 1.2", "{product: oxide-c, amount: 1.2")
    with pytest.raises(EsgError) as caught:
        _compute(path)
    assert caught.value.code == "footprint.unknown_input"
    assert caught.value.location.line == _line_of(path, "oxide-c")
    assert "oxide-c" in caught.value.render("zh")
