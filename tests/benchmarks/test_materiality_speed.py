"""The materiality benchmark at a tiny size: its numpy baseline computes the same scores as
esgledger (else the ratio would compare different work), and the script runs to the end."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from esgledger.materiality.model import load_method

SCRIPT = Path(__file__).parents[2] / "benchmarks" / "materiality_speed.py"


def load_benchmark():
    spec = importlib.util.spec_from_file_location("materiality_speed", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_baseline_and_esgledger_agree_on_every_topic():
    bench = load_benchmark()
    data = bench.Responses(load_method(), 60, 5)
    ours, svg = bench.esgledger_scores(data)
    bench.check_agreement(ours, bench.numpy_baseline(data))
    assert svg.startswith("<svg") and len(ours) == 5


def test_a_baseline_that_computes_less_is_caught():
    bench = load_benchmark()
    data = bench.Responses(load_method(), 60, 5)
    ours, _ = bench.esgledger_scores(data)
    unweighted = {t: (i + 0.01, f) for t, (i, f) in bench.numpy_baseline(data).items()}
    with pytest.raises(AssertionError):
        bench.check_agreement(ours, unweighted)


def test_the_script_runs_and_prints_its_figures(capsys):
    bench = load_benchmark()
    bench.main(["--responses", "40", "--topics", "4", "--repeat", "2"])
    printed = capsys.readouterr().out
    assert "numpy baseline" in printed and "ratio esgledger / baseline" in printed
    assert np.isfinite(
        float(printed.split("ratio esgledger / baseline (warm medians): ")[1].split("×")[0])
    )
