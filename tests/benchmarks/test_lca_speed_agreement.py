"""The LCA benchmark at a tiny size: its three solvers agree before anything is timed, and
a run within budget exits 0 (one over budget exits 1)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

SCRIPT = Path(__file__).parents[2] / "benchmarks" / "lca_speed.py"


def load_benchmark():
    spec = importlib.util.spec_from_file_location("lca_speed", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_solvers_agree_on_a_tiny_system():
    module = load_benchmark()
    matrices, demands = module.random_system(40, 5, seed=1)
    module.check_agreement(matrices, demands)


def test_a_wrong_baseline_is_caught_before_timing(monkeypatch):
    module = load_benchmark()
    matrices, demands = module.random_system(40, 5, seed=1)
    honest = module.dense_run
    monkeypatch.setattr(module, "dense_run", lambda m, d: (honest(m, d)[0] * 1.001, None))
    with pytest.raises(AssertionError):
        module.check_agreement(matrices, demands)


def test_the_tiny_run_reports_and_keeps_its_budget(capsys):
    module = load_benchmark()
    assert (
        module.main(["--processes", "40", "--products", "5", "--repeats", "2", "--budget", "30"])
        == 0
    )
    printed = capsys.readouterr().out
    assert "bw2calc" in printed and "dense numpy" in printed
    assert (
        module.main(["--processes", "40", "--products", "5", "--repeats", "2", "--budget", "0"])
        == 1
    )


def test_the_random_system_solves_to_positive_footprints():
    module = load_benchmark()
    matrices, demands = module.random_system(40, 5, seed=2)
    scores, _ = module.esgledger_run(matrices, demands)
    assert np.all(scores > 0)
