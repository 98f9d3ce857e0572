"""The engine benchmark compares like with like: its hand-written baseline computes the same
totals as the engine, and a run where they part fails before it prints any timing.

A baseline that silently computed less (Scope 1 without fugitive gases, Scope 2 without the
deducted exports) once made the benchmark time two different calculations; these tests run
the benchmark at a tiny size so that such a gap fails CI instead.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

SCRIPT = Path(__file__).parents[2] / "benchmarks" / "engine_speed.py"


def load_benchmark():
    spec = importlib.util.spec_from_file_location("engine_speed", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def bench(tmp_path_factory: pytest.TempPathFactory):
    """One facility per grid region, twelve months of 2015, engine results computed once."""
    module = load_benchmark()
    built = module.Bench(len(module.REGIONS), 12, tmp_path_factory.mktemp("factors"))
    return module, built, built.engine()


def test_engine_baseline_and_loop_agree_on_every_total(bench):
    module, built, results = bench
    module.check_agreement(results, built.baseline(), built, built.loop(1))


@pytest.mark.parametrize(
    ("table", "input_id", "total"),
    [
        ("co2", "ghg.fugitive_sf6", "scope1"),  # a fugitive gas left out of Scope 1
        ("co2", "process.reductant_coke_consumed", "scope1"),
        ("heat", "energy.exported_heat", "scope2"),  # exported heat not deducted
        ("tce", "energy.purchased_steam", "energy"),
    ],
)
def test_a_baseline_that_leaves_an_input_out_fails_the_run(bench, table, input_id, total):
    module, built, results = bench
    tables = {**built.tables, table: built.tables[table].copy()}
    tables[table][tables["inputs"].index(input_id)] = 0.0
    baseline = module.numpy_baseline(built.frame, built.org, tables, built.periods)
    with pytest.raises(module.Disagreement, match=rf"\b{total} \(group\)"):
        module.check_agreement(results, baseline, built, None)


def test_a_baseline_that_counts_green_power_at_the_residual_mix_fails_the_run(bench):
    module, built, results = bench
    market = {**built.tables["electricity"], "market": built.tables["electricity"]["location"]}
    tables = {**built.tables, "electricity": market}
    baseline = module.numpy_baseline(built.frame, built.org, tables, built.periods)
    with pytest.raises(module.Disagreement, match=r"scope2_market \(group\)"):
        module.check_agreement(results, baseline, built, None)


def test_a_loop_that_disagrees_with_the_baseline_fails_the_run(bench):
    module, built, results = bench
    loop = built.loop(1)
    loop["scope1"] = loop["scope1"] * (1 + 1e-6)
    with pytest.raises(module.Disagreement, match=r"scope1 \(loop\)"):
        module.check_agreement(results, built.baseline(), built, loop)


def test_the_benchmark_script_runs_to_its_summary_at_a_tiny_size():
    run = subprocess.run(
        [sys.executable, str(SCRIPT), "--entities", "12", "--months", "12", "--repeat", "2"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert "agreement" in run.stdout and "(a)/(b) first call" in run.stdout
    assert np.isfinite(float(run.stdout.split("(a)/(b) first call ")[1].split(",")[0]))
